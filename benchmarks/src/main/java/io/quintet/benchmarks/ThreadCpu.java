package io.quintet.benchmarks.enricher;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of one Kafka Streams application in this JVM: every live thread whose name contains its application id
 * (stream threads, their producer network threads, consumer heartbeat threads). Threads that end between two reads
 * keep the CPU last seen for them. A per-event CPU figure is robust to other work on the machine in a way that
 * events/s is not: it does not count time spent waiting for a core (though cache and JIT effects remain).
 */
final class AppCpu {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final String applicationId;
    private final Map<Long, Long> lastSeen = new HashMap<>();

    AppCpu(String applicationId) {
        this.applicationId = applicationId;
        if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
    }

    /** Cumulative CPU nanoseconds of the application's threads so far. */
    long nanos() {
        long[] ids = threads.getAllThreadIds();
        ThreadInfo[] infos = threads.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] == null || !infos[i].getThreadName().contains(applicationId)) {
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
}
