package io.quintet.benchmarks.feeds;

import io.quintet.benchmarks.Benchmark;
import io.quintet.benchmarks.BenchmarkContext;
import io.quintet.benchmarks.BenchmarkResult;
import io.quintet.benchmarks.BenchmarkRunner;
import io.quintet.demo.LoadGenerator;
import io.quintet.feeds.app.FeedAggregatorApp;
import io.quintet.feeds.app.FeedAggregatorConfig;
import io.quintet.model.Action;
import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.cloudevents.CloudEventSerde;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The feed-aggregator's metrics and alerts topology on a real broker (exactly_once_v2, the service's defaults):
 * <ol>
 *   <li>throughput: {@code --warmup-events} realistic events ({@code LoadGenerator}) are published and processed
 *       first, so the JIT has compiled the hot paths; then {@code --events} more are published while the service
 *       runs, and the clock (and the CPU of the service's threads) runs until every stage, repartitions included, has
 *       caught up (every event aggregated into the 1 m and 1 h windows of three series, matched against three rules,
 *       and through the feeds);</li>
 *   <li>alert latency: {@code --bursts} times, five failed logins for a fresh actor; latency is from just before the
 *       fifth (contributing) event is sent until a plain read_committed consumer sees the alert.</li>
 * </ol>
 * Run: {@code ./quintet bench --only feeds-metrics} once registered in BenchmarkRunner, or this class's main.
 */
public final class MetricsAlertsBenchmark implements Benchmark {

    @Override
    public String name() {
        return "feeds-metrics";
    }

    @Override
    public String description() {
        return "feed-aggregator metrics+alerts topology: events/s processed (EOS) and alert latency p99";
    }

    @Override
    public BenchmarkResult run(BenchmarkContext ctx) throws Exception {
        int events = ctx.intOption("events", 100_000);
        int bursts = ctx.intOption("bursts", 100);
        long seed = ctx.longOption("seed", 42);
        String prefix = "bench" + Long.toHexString(System.nanoTime()) + ".";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ctx.bootstrapServers()))) {
            admin.createTopics(List.of("events.canonical", "events.dlq", "metrics", "alerts", "feeds.updates").stream()
                            .map(t -> new NewTopic(prefix + t, 6, (short) 1).configs(Map.of("retention.ms", "-1")))
                            .toList())
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
        Path rules = Path.of("feed-aggregator/config/alert-rules.yaml").toAbsolutePath();
        String appId = prefix + "app";
        int instances = ctx.intOption("instances", 1);
        List<FeedAggregatorConfig> configs = new ArrayList<>();
        for (int i = 0; i < instances; i++) { // one application id; each instance its own state dir and HTTP port
            configs.add(FeedAggregatorConfig.of(BenchSupport.serviceSettings(
                    ctx, prefix, Map.of(FeedAggregatorConfig.ALERTS_RULES_FILE, rules.toString()))));
        }

        CloudEventSerde serde = new CloudEventSerde();
        Map<String, Object> producerProps = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ctx.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                5);
        int warmup = ctx.intOption("warmup-events", 20_000);
        LoadGenerator gen = new LoadGenerator(
                seed, 10_000, Instant.now().minus(Duration.ofMillis(5L * (warmup + events))), Duration.ofMillis(5));
        BenchSupport.publish(ctx.bootstrapServers(), prefix + "events.canonical", gen, warmup);

        BenchmarkResult result = new BenchmarkResult(name())
                .put("events", events)
                .put("warmup_events", warmup)
                .put("instances", instances);
        List<FeedAggregatorApp> apps = new ArrayList<>();
        try (AutoCloseable stopAll = () -> closeAll(apps);
                Admin admin =
                        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ctx.bootstrapServers()))) {
            for (FeedAggregatorConfig config : configs) {
                apps.add(FeedAggregatorApp.start(config));
            }
            BenchSupport.await(
                    () -> apps.stream().allMatch(a -> a.streams().state() == KafkaStreams.State.RUNNING),
                    Duration.ofMinutes(2),
                    "service RUNNING");
            BenchSupport.measure(
                    admin,
                    appId,
                    prefix + "events.canonical",
                    events,
                    () -> BenchSupport.publish(ctx.bootstrapServers(), prefix + "events.canonical", gen, events),
                    result);
            // warm-up and measured phase: records Kafka Streams dropped, and partials that reached a metric window
            // after it had closed (MetricsWindows' late-partials-total): events lost to the metrics
            result.put("dropped_records", sumMetric(apps, "dropped-records-total"))
                    .put("late_partials", sumMetric(apps, "late-partials-total"));

            Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
            try (var producer = new KafkaProducer<>(producerProps, new StringSerializer(), serde.serializer());
                    var consumer = new KafkaConsumer<>(
                            Map.<String, Object>of(
                                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    ctx.bootstrapServers(),
                                    ConsumerConfig.GROUP_ID_CONFIG,
                                    prefix + "alert-reader",
                                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                    "latest",
                                    ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                    "read_committed"),
                            new StringDeserializer(),
                            new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(prefix + "alerts"));
                BenchSupport.await(
                        () -> {
                            consumer.poll(Duration.ofMillis(100));
                            return !consumer.assignment().isEmpty();
                        },
                        Duration.ofMinutes(1),
                        "alerts consumer assigned");
                for (int b = 0; b < bursts; b++) {
                    String actor = "bench-actor-" + b;
                    long sentAt = 0;
                    for (int i = 0; i < 5; i++) {
                        CanonicalEvent e = failedLogin(actor, Instant.now());
                        if (i == 4) {
                            sentAt = System.nanoTime();
                        }
                        producer.send(new ProducerRecord<>(
                                prefix + "events.canonical",
                                null,
                                e.eventTimestamp().toEpochMilli(),
                                actor,
                                e));
                    }
                    producer.flush();
                    String key = "brute-force-login|" + actor;
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    boolean seen = false;
                    while (!seen && System.nanoTime() < deadline) {
                        for (var r : consumer.poll(Duration.ofMillis(5))) {
                            if (key.equals(r.key())) {
                                latency.recordValue((System.nanoTime() - sentAt) / 1000);
                                seen = true;
                            }
                        }
                    }
                    if (!seen) {
                        throw new IllegalStateException("no alert for burst " + b + " within 60 s");
                    }
                }
            }
            result.put("bursts", bursts).latencies("alert", latency);
        }
        return result;
    }

    private static long sumMetric(List<FeedAggregatorApp> apps, String name) {
        return apps.stream()
                .mapToLong(a -> BenchSupport.sumMetric(a.streams(), name))
                .sum();
    }

    private static void closeAll(List<FeedAggregatorApp> apps) {
        RuntimeException first = null;
        for (FeedAggregatorApp a : apps) {
            try {
                a.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static CanonicalEvent failedLogin(String actor, Instant at) {
        return CanonicalEvent.builder()
                .id(UUID.randomUUID().toString())
                .eventTimestamp(at)
                .observedTimestamp(at)
                .source("auth-service")
                .action(new Action("auth.user.login_failed", "access"))
                .actor(Actor.of(actor, Actor.USER))
                .context(Context.EMPTY.withStatus(Context.Status.FAILURE))
                .build();
    }

    /**
     * {@code java ... MetricsAlertsBenchmark [--bootstrap host:port] [--events N] [--bursts N] [--seed S]
     * [--instances N]} (N instances of the service in this JVM under one application id: the scaling figure)
     */
    public static void main(String[] args) throws Exception {
        BenchmarkRunner.main(BenchmarkRunner.only("feeds-metrics", args));
    }
}
