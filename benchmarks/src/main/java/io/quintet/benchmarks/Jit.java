package io.quintet.benchmarks;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

/**
 * The JIT compilers' share of a run. On two cores a compiler busy with the code of the broker, the clients and the
 * application takes a core away from what is measured, so the harnesses warm up until it is nearly idle and report
 * the compilation time inside each measured phase.
 */
public final class Jit {
    private Jit() {}

    /** Accumulated busy time of the JIT compiler threads (HotSpot's approximation), 0 when the JVM does not report it. */
    public static long millis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    /**
     * Waits (at most {@code maxSeconds}) until the JIT compilers are nearly idle: less than 250 ms of compilation in
     * the last 2 s. Returns the compilation time seen while waiting (ms).
     */
    public static long awaitSettled(int maxSeconds) throws InterruptedException {
        long start = millis();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        long last = start;
        while (System.nanoTime() < deadline) {
            Thread.sleep(2_000);
            long now = millis();
            if (now - last < 250) {
                break;
            }
            last = now;
        }
        return millis() - start;
    }
}
