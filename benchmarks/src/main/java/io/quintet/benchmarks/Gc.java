package io.quintet.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/** The garbage collectors' share of a run; the harnesses report it beside {@link Jit}'s compilation time. */
public final class Gc {
    private Gc() {}

    /**
     * Milliseconds all garbage collectors of this JVM have spent so far, the broker's garbage included (G1: the young
     * and mixed pauses, and full ones).
     */
    public static long millis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }
}
