package io.quintet.gateway.http;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts requests in flight and, once draining, turns new ones away, so shutdown can answer every accepted request. */
public final class RequestTracker {
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;

    /** False when draining: the request must be refused. */
    public boolean enter() {
        inFlight.incrementAndGet();
        if (draining) {
            inFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    public void exit() {
        inFlight.decrementAndGet();
    }

    public void drain() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** Waits until no request is in flight or the timeout passes; true when idle. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
