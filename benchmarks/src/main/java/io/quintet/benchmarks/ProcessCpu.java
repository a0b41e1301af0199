package io.quintet.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.ToLongFunction;

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
        return sumOverThreads(
                pid,
                task -> isCompilerThread(read(task.resolve("comm")).trim())
                        ? statNanos(read(task.resolve("stat")))
                        : 0);
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
        return sumOverThreads(
                pid,
                task -> Long.parseLong(read(task.resolve("schedstat")).trim().split(" ")[1]));
    }

    /**
     * The sum of {@code perThread} over the threads of process {@code pid} ({@code /proc/PID/task/TID}); a thread
     * that ends while it is read counts 0, and a process that cannot be listed gives 0.
     */
    private static long sumOverThreads(String pid, ToLongFunction<Path> perThread) {
        long sum = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    sum += perThread.applyAsLong(task);
                } catch (RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return sum;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
