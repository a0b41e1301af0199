package io.quintet.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time of another process on this machine, from Linux's /proc. */
public final class ProcessCpu {
    private ProcessCpu() {
    }

    /**
     * utime + stime of process {@code pid} in nanoseconds (clock ticks of 10 ms, the Linux USER_HZ), or 0 when it
     * cannot be read (no pid, the process ended, not Linux).
     */
    public static long nanos(long pid) {
        if (pid <= 0) {
            return 0;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": state is field 0, utime field 11, stime field 12
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
