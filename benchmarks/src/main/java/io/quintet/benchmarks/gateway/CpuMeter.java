package io.quintet.benchmarks.gateway;

import io.quintet.benchmarks.Jit;
import io.quintet.benchmarks.ProcessCpu;
import io.quintet.benchmarks.ThreadCpu;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * Where the CPU time of a benchmark phase goes, so a throughput figure on a shared 2-core machine can be read as a
 * budget: CPU time per request of the HTTP load client, the gateway, the broker (its threads when it runs in this
 * JVM, or its process when {@code brokerPid} is given) and the rest of this JVM (garbage collection, JIT compiler,
 * VM threads: process CPU minus the CPU of every Java thread), and the bytes the gateway's and the in-JVM broker's
 * threads allocated (what the garbage collector has to clean up; unlike CPU time, not inflated by other work on the
 * machine).
 * <p>
 * Threads are told apart by name: the gateway's are Vert.x threads other than the client's event loop, its Kafka
 * producer and admin client ({@code quintet-gateway*} client ids) and its retry scheduler; every other live Java
 * thread in this JVM belongs to the in-JVM broker (or is idle: the benchmark's main thread).
 */
final class CpuMeter {
    /** One reading of cumulative CPU nanoseconds per part. */
    record Reading(
            long client,
            long gateway,
            long broker,
            long otherJvm,
            long brokerProcess,
            long runQueueWait,
            long jitMillis,
            long gatewayAllocated,
            long brokerAllocated,
            long wallNanos) {
        Reading minus(Reading o) {
            return new Reading(
                    client - o.client,
                    gateway - o.gateway,
                    broker - o.broker,
                    otherJvm - o.otherJvm,
                    brokerProcess - o.brokerProcess,
                    runQueueWait - o.runQueueWait,
                    jitMillis - o.jitMillis,
                    gatewayAllocated - o.gatewayAllocated,
                    brokerAllocated - o.brokerAllocated,
                    wallNanos - o.wallNanos);
        }
    }

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final LongPredicate isClientThread;
    private final long brokerPid;
    /** CPU seen so far of threads that have since ended, so a part's total never goes backwards. */
    private final Map<Long, long[]> lastSeen = new HashMap<>();

    /**
     * @param isClientThread the load client's event-loop thread ids
     * @param brokerPid      pid of an out-of-JVM broker to read from /proc, or 0
     */
    CpuMeter(LongPredicate isClientThread, long brokerPid) {
        this.isClientThread = isClientThread;
        this.brokerPid = brokerPid;
        if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
    }

    synchronized Reading read() {
        long client = 0;
        long gateway = 0;
        long broker = 0;
        long[] ids = threads.getAllThreadIds();
        ThreadInfo[] infos = threads.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] == null) {
                continue;
            }
            long cpu = threads.getThreadCpuTime(ids[i]);
            if (cpu < 0) {
                continue;
            }
            int part = isClientThread.test(ids[i]) ? 0 : isGateway(infos[i].getThreadName()) ? 1 : 2;
            long allocated = threads instanceof com.sun.management.ThreadMXBean sun
                    ? Math.max(0, sun.getThreadAllocatedBytes(ids[i]))
                    : 0;
            lastSeen.put(ids[i], new long[] {part, cpu, allocated});
        }
        long javaThreads = 0;
        long gatewayAllocated = 0;
        long brokerAllocated = 0;
        for (long[] seen : lastSeen.values()) {
            javaThreads += seen[1];
            if (seen[0] == 1) {
                gatewayAllocated += seen[2];
            } else if (seen[0] == 2) {
                brokerAllocated += seen[2];
            }
            switch ((int) seen[0]) {
                case 0 -> client += seen[1];
                case 1 -> gateway += seen[1];
                default -> broker += seen[1];
            }
        }
        long process = ThreadCpu.processNanos();
        long wait = runQueueWaitNanos("self") + (brokerPid > 0 ? runQueueWaitNanos(Long.toString(brokerPid)) : 0);
        return new Reading(
                client,
                gateway,
                broker,
                Math.max(0, process - javaThreads),
                brokerProcessNanos(),
                wait,
                Jit.millis(),
                gatewayAllocated,
                brokerAllocated,
                System.nanoTime());
    }

    private static long runQueueWaitNanos(String pid) {
        return ProcessCpu.runQueueWaitNanos(pid);
    }

    static boolean isGateway(String name) {
        return name.startsWith("vert.x-") || name.contains("quintet-gateway") || name.startsWith("gateway-");
    }

    /** utime + stime of the broker process, 0 without a pid. */
    private long brokerProcessNanos() {
        return ProcessCpu.nanos(brokerPid);
    }
}
