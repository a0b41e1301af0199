package io.quintet.benchmarks.pipeline;

import io.quintet.demo.DemoDay;
import io.quintet.demo.GatewayClient;
import io.quintet.demo.LoadGenerator;
import io.quintet.model.CanonicalEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load through the gateway: one thread sends, every {@code tickMillis}, as many events as the offered rate
 * says are due since the stage started (the n-th event of a stage is due at start + n / rate), whatever the gateway
 * answered before; requests run asynchronously, at most {@link #MAX_IN_FLIGHT} at a time (events due while the limit
 * is reached are counted as shed, not sent later). Events come from the demo's {@link LoadGenerator} mix, event time
 * = send time; every {@code burstEverySeconds} a burst of five failed logins for a fresh actor goes in a request of
 * its own ({@link DemoDay#failedLogin}).
 */
final class OpenLoopLoad implements AutoCloseable {
    static final int MAX_IN_FLIGHT = 256;
    static final int MAX_BATCH = 500;

    private final GatewayClient gateway;
    private final LoadGenerator generator;
    private final EventLog log;
    private final String runTag;
    private final long burstEveryNanos;
    private final long tickNanos;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final Thread thread;
    /** Per stage: events due, sent, accepted, rejected, failed (request error or no answer), shed. */
    final AtomicLongArray due;

    final AtomicLongArray sent;
    final AtomicLongArray accepted;
    final AtomicLongArray rejected;
    final AtomicLongArray failed;
    final AtomicLongArray shed;
    private volatile int stage = -1;
    private volatile int rate;
    private volatile long stageStart;
    private volatile boolean stopped;
    private int bursts;

    OpenLoopLoad(
            GatewayClient gateway,
            LoadGenerator generator,
            EventLog log,
            String runTag,
            int stages,
            int burstEverySeconds,
            int tickMillis) {
        this.gateway = gateway;
        this.generator = generator;
        this.log = log;
        this.runTag = runTag;
        this.burstEveryNanos = TimeUnit.SECONDS.toNanos(burstEverySeconds);
        this.tickNanos = TimeUnit.MILLISECONDS.toNanos(tickMillis);
        this.due = new AtomicLongArray(stages);
        this.sent = new AtomicLongArray(stages);
        this.accepted = new AtomicLongArray(stages);
        this.rejected = new AtomicLongArray(stages);
        this.failed = new AtomicLongArray(stages);
        this.shed = new AtomicLongArray(stages);
        this.thread = new Thread(this::loop, "pipeline-bench-load");
        thread.setDaemon(true);
    }

    /** Starts a stage at {@code eventsPerSecond} now (starts the sending thread on the first call). */
    synchronized void stage(int index, int eventsPerSecond) {
        rate = eventsPerSecond;
        stageStart = System.nanoTime();
        stage = index;
        if (!thread.isAlive()) {
            thread.start();
        }
    }

    private void loop() {
        long next = System.nanoTime();
        long lastBurst = System.nanoTime();
        int currentStage = -1;
        long dueSoFar = 0;
        while (!stopped) {
            next += tickNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int s = stage;
            if (s != currentStage) {
                currentStage = s;
                dueSoFar = 0;
            }
            long now = System.nanoTime();
            long shouldHave = (long) ((now - stageStart) / 1e9 * rate);
            int n = (int) Math.max(0, shouldHave - dueSoFar);
            dueSoFar += n;
            due.addAndGet(s, n);
            while (n > 0) {
                int size = Math.min(n, MAX_BATCH);
                n -= size;
                List<CanonicalEvent> batch = new ArrayList<>(size);
                Instant at = Instant.now();
                for (int i = 0; i < size; i++) {
                    batch.add(generator.next().toBuilder()
                            .eventTimestamp(at)
                            .observedTimestamp(null)
                            .build());
                }
                send(batch, s, null);
            }
            if (rate > 0 && now - lastBurst >= burstEveryNanos) {
                lastBurst = now;
                String actor = "pbench-" + runTag + "-" + (bursts++);
                Instant at = Instant.now();
                List<CanonicalEvent> burst = new ArrayList<>(5);
                for (int i = 0; i < 5; i++) {
                    burst.add(DemoDay.failedLogin(at, actor, "session-" + actor + "-" + i));
                }
                EventLog.Burst b = new EventLog.Burst(
                        s, actor, burst.stream().map(CanonicalEvent::id).toList());
                log.burst(b);
                due.addAndGet(s, 5);
                send(burst, s, b);
            }
        }
    }

    private void send(List<CanonicalEvent> batch, int s, EventLog.Burst burst) {
        if (!inFlight.tryAcquire()) {
            shed.addAndGet(s, batch.size());
            return;
        }
        for (CanonicalEvent e : batch) {
            log.sent(e.id(), s, e.eventTimestamp().getEpochSecond() / 60);
        }
        sent.addAndGet(s, batch.size());
        try {
            gateway.sendEventsAsync(batch).whenComplete((answer, error) -> {
                long at = System.nanoTime();
                inFlight.release();
                if (error != null) {
                    failed.addAndGet(s, batch.size());
                    return;
                }
                for (String id : answer.acceptedIds()) {
                    EventLog.Tracked t = log.events.get(id);
                    if (t != null) {
                        t.answeredNanos = at;
                    }
                }
                accepted.addAndGet(s, answer.acceptedIds().size());
                rejected.addAndGet(s, batch.size() - answer.acceptedIds().size());
                if (burst != null && answer.acceptedIds().size() == batch.size()) {
                    burst.answeredNanos = at;
                }
            });
        } catch (Exception e) {
            inFlight.release();
            failed.addAndGet(s, batch.size());
        }
    }

    /** Stops sending and waits up to {@code seconds} for the requests in flight. */
    void stop(int seconds) throws InterruptedException {
        stopped = true;
        thread.join(TimeUnit.SECONDS.toMillis(5));
        if (inFlight.tryAcquire(MAX_IN_FLIGHT, seconds, TimeUnit.SECONDS)) {
            inFlight.release(MAX_IN_FLIGHT);
        }
    }

    int inFlight() {
        return MAX_IN_FLIGHT - inFlight.availablePermits();
    }

    @Override
    public void close() throws InterruptedException {
        stop(30);
    }
}
