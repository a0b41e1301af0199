package io.quintet.benchmarks.pipeline;

import io.quintet.demo.DemoDay;
import io.quintet.demo.GatewayClient;
import io.quintet.model.CanonicalEvent;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One event at a time through the gateway while something is broken (the broker is down), every answer recorded:
 * status, {@code Retry-After}, and the ids the gateway accepted (which must all turn up downstream: a 2xx is a
 * promise that Kafka has the event). Each event has a fresh id, so a refused event's id must never turn up.
 */
public final class OutageProbe implements AutoCloseable {
    private final GatewayClient gateway;
    private final long everyMillis;
    private final Thread thread;
    private final AtomicInteger sequence = new AtomicInteger();
    private volatile boolean stopped;
    /** "status" or "status Retry-After: n" -> answers. */
    private final Map<String, Integer> answers = new ConcurrentHashMap<>();

    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final AtomicInteger unavailableWithoutRetryAfter = new AtomicInteger();
    private final AtomicInteger requestErrors = new AtomicInteger();

    public OutageProbe(GatewayClient gateway, long everyMillis) {
        this.gateway = gateway;
        this.everyMillis = everyMillis;
        this.thread = new Thread(this::loop, "outage-probe");
        thread.setDaemon(true);
    }

    public OutageProbe start() {
        thread.start();
        return this;
    }

    private void loop() {
        while (!stopped) {
            CanonicalEvent e =
                    DemoDay.failedLogin(Instant.now(), "outage-probe", "probe-" + sequence.incrementAndGet());
            try {
                GatewayClient.Answer a = gateway.sendEvents(List.of(e));
                String key = a.status() + (a.retryAfter() == null ? "" : " Retry-After: " + a.retryAfter());
                answers.merge(key, 1, Integer::sum);
                if (a.status() / 100 == 2) {
                    accepted.add(e.id());
                } else {
                    refused.add(e.id());
                    if (a.status() == 503 && a.retryAfter() == null) {
                        unavailableWithoutRetryAfter.incrementAndGet();
                    }
                }
            } catch (Exception failed) {
                requestErrors.incrementAndGet();
                String why = failed.getMessage() == null ? "" : ": " + failed.getMessage();
                answers.merge(
                        "no answer (" + failed.getClass().getSimpleName() + why.substring(0, Math.min(why.length(), 80))
                                + ")",
                        1,
                        Integer::sum);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(everyMillis);
            } catch (InterruptedException interrupted) {
                return;
            }
        }
    }

    /** Answers so far, e.g. {@code {"503 Retry-After: 5"=40}}. */
    public Map<String, Integer> answers() {
        return new TreeMap<>(answers);
    }

    public Set<String> acceptedIds() {
        return Set.copyOf(accepted);
    }

    public Set<String> refusedIds() {
        return Set.copyOf(refused);
    }

    public int unavailableWithoutRetryAfter() {
        return unavailableWithoutRetryAfter.get();
    }

    public void print(PrintStream out) {
        out.println("  the gateway's answers during the outage: " + answers());
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(35));
    }
}
