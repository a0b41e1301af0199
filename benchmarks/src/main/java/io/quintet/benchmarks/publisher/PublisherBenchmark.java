package io.quintet.benchmarks.publisher;

import io.quintet.benchmarks.Benchmark;
import io.quintet.benchmarks.BenchmarkContext;
import io.quintet.benchmarks.BenchmarkResult;
import io.quintet.demo.LoadGenerator;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.publish.EventPublisher;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The ceiling every later stage is compared with: raw {@link EventPublisher} throughput (events/s acknowledged by the
 * broker, acks=all, idempotent) and send-to-ack latency, with realistic events from {@link LoadGenerator}.
 * Events are generated before the clock starts, so the figure is publishing cost, not generation cost.
 * Options: {@code --events} (default 200000), {@code --warmup} (20000), {@code --inflight} (10000), {@code --seed} (42).
 */
public final class PublisherBenchmark implements Benchmark {

    @Override
    public String name() {
        return "publisher";
    }

    @Override
    public String description() {
        return "EventPublisher to a real broker: events/s acknowledged and send-to-ack latency";
    }

    @Override
    public BenchmarkResult run(BenchmarkContext ctx) throws Exception {
        int events = ctx.intOption("events", 200_000);
        int warmup = ctx.intOption("warmup", 20_000);
        int inflight = ctx.intOption("inflight", 10_000);
        long seed = ctx.longOption("seed", 42);
        String topic = "bench.publisher." + System.currentTimeMillis();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ctx.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
        LoadGenerator gen =
                new LoadGenerator(seed, 10_000, Instant.parse("2026-11-02T08:00:00Z"), Duration.ofMillis(20));
        List<CanonicalEvent> batch = new ArrayList<>(events + warmup);
        for (int i = 0; i < events + warmup; i++) {
            batch.add(gen.next());
        }
        long payloadBytes = 0;
        for (int i = warmup; i < batch.size(); i++) {
            payloadBytes += io.quintet.model.json.CanonicalJson.toBytes(batch.get(i)).length;
        }

        Histogram latency = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
        AtomicLong failures = new AtomicLong();
        long elapsedNanos;
        try (EventPublisher publisher =
                EventPublisher.builder(ctx.bootstrapServers()).topic(topic).build()) {
            send(publisher, batch.subList(0, warmup), inflight, null, failures);
            long t0 = System.nanoTime();
            send(publisher, batch.subList(warmup, batch.size()), inflight, latency, failures);
            elapsedNanos = System.nanoTime() - t0;
        }
        double seconds = elapsedNanos / 1e9;
        return new BenchmarkResult(name())
                .put("events", events)
                .put("events_per_s", Math.round(events / seconds))
                .put("mb_per_s", Math.round(payloadBytes / seconds / 1e6 * 10) / 10.0)
                .put("avg_event_bytes", payloadBytes / events)
                .latencies("ack", latency)
                .put("failures", failures.get());
    }

    private static void send(
            EventPublisher publisher, List<CanonicalEvent> events, int inflight, Histogram latency, AtomicLong failures)
            throws InterruptedException {
        Semaphore window = new Semaphore(inflight);
        for (CanonicalEvent e : events) {
            window.acquire();
            long start = System.nanoTime();
            CompletableFuture<?> f = publisher.publish(e);
            f.whenComplete((md, err) -> {
                if (err != null) {
                    failures.incrementAndGet();
                } else if (latency != null) {
                    latency.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
                }
                window.release();
            });
        }
        window.acquire(inflight); // all acknowledged
        window.release(inflight);
    }
}
