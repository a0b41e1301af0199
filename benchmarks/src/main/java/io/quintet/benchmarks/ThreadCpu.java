package io.quintet.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * CPU time of a group of this JVM's threads, chosen by name (a Kafka Streams application's threads by its
 * application id, the sink's by their prefixes). Threads that end between two reads keep the CPU last seen for them.
 * Garbage collection, JIT compiler and VM threads are not Java threads and are never in it. A per-unit CPU figure is
 * robust to other work on the machine in a way that a rate is not: it does not count time spent waiting for a core
 * (though cache and JIT effects remain).
 */
public final class ThreadCpu {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Predicate<String> name;
    private final Map<Long, Long> lastSeen = new HashMap<>();

    public ThreadCpu(Predicate<String> name) {
        this.name = name;
        if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
    }

    /** Cumulative CPU nanoseconds of the group's threads so far. */
    public long nanos() {
        long[] ids = threads.getAllThreadIds();
        ThreadInfo[] infos = threads.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] == null || !name.test(infos[i].getThreadName())) {
                continue;
            }
            long cpu = threads.getThreadCpuTime(ids[i]);
            if (cpu >= 0) {
                lastSeen.put(ids[i], cpu);
            }
        }
        long total = 0;
        for (long cpu : lastSeen.values()) {
            total += cpu;
        }
        return total;
    }

    /** CPU time of the whole JVM (every thread, GC, JIT and VM included), or -1 where the platform does not say. */
    public static long processNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
