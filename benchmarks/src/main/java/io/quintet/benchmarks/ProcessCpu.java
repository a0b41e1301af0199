package io.quintet.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time of another process on this machine, from Linux's /proc. */
public final class ProcessCpu {
    private ProcessCpu() {}

    /**
     * utime + stime of process {@code pid} in nanoseconds (clock ticks of 10 ms, the Linux USER_HZ), or 0 when it
     * cannot be read (no pid, the process ended, not Linux).
     */
    public static long nanos(long pid) {
        if (pid <= 0) {
            return 0;
        }
        try {
            return statNanos(Files.readString(Path.of("/proc/" + pid + "/stat")));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** utime + stime in nanoseconds from the text of a {@code /proc/PID/stat} file. */
    static long statNanos(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) ": state is field 0, utime field 11, stime field 12
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
    }

    /**
     * utime + stime of the JIT compiler threads of JVM {@code pid} (HotSpot's "C1 CompilerThread" and
     * "C2 CompilerThread" threads, their names truncated to 15 characters in {@code comm}), in nanoseconds; 0 when it
     * cannot be read. Compiler threads that ended (HotSpot starts and stops them with the queue) are not counted, so
     * this is a lower bound. {@code pid} is a number or {@code self}.
     */
    public static long jitNanos(String pid) {
        long sum = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    if (isCompilerThread(Files.readString(task.resolve("comm")).trim())) {
                        sum += statNanos(Files.readString(task.resolve("stat")));
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return sum;
    }

    /** Whether a thread's {@code comm} names one of HotSpot's JIT compiler threads. */
    static boolean isCompilerThread(String comm) {
        return comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre");
    }

    /**
     * Time the process's threads spent runnable but waiting for a core (Linux schedstat, second field), summed over
     * its threads: on a machine shared with other work this says how much of a phase was spent queueing for CPU.
     * Threads that ended are not counted. {@code pid} is a number or {@code self}; 0 when it cannot be read.
     */
    public static long runQueueWaitNanos(String pid) {
        long sum = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String[] f =
                            Files.readString(task.resolve("schedstat")).trim().split(" ");
                    sum += Long.parseLong(f[1]);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return sum;
    }
}
