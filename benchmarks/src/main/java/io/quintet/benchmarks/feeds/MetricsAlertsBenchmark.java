package io.quintet.benchmarks.feeds;

import io.quintet.benchmarks.Benchmark;
import io.quintet.benchmarks.BenchmarkContext;
import io.quintet.benchmarks.BenchmarkResult;
import io.quintet.benchmarks.ResultsWriter;
import io.quintet.demo.LoadGenerator;
import io.quintet.feeds.app.FeedAggregatorApp;
import io.quintet.feeds.app.FeedAggregatorConfig;
import io.quintet.model.Action;
import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.cloudevents.CloudEventSerde;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.streams.KafkaStreams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The feed-aggregator's metrics and alerts topology on a real broker (exactly_once_v2, the service's defaults):
 * <ol>
 *   <li>throughput: {@code --events} realistic events ({@code LoadGenerator}) are published to events.canonical first;
 *       the service then starts and the clock runs from RUNNING until its committed offsets reach the end of the
 *       input (every event aggregated into the 1 m and 1 h windows of three series and matched against three rules);</li>
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
            admin.createTopics(List.of("events.canonical", "events.dlq", "metrics", "alerts").stream()
                    .map(t -> new NewTopic(prefix + t, 6, (short) 1)).toList()).all().get(60, TimeUnit.SECONDS);
        }
        Path rules = Path.of("feed-aggregator/config/alert-rules.yaml").toAbsolutePath();
        String appId = prefix + "app";
        FeedAggregatorConfig config = FeedAggregatorConfig.of(Map.of(
                FeedAggregatorConfig.BOOTSTRAP, ctx.bootstrapServers(),
                FeedAggregatorConfig.APPLICATION_ID, appId,
                FeedAggregatorConfig.TOPICS_PREFIX, prefix,
                FeedAggregatorConfig.STATE_DIR, Files.createTempDirectory("fa-bench").toString(),
                FeedAggregatorConfig.HTTP_HOST, "127.0.0.1",
                FeedAggregatorConfig.HTTP_PORT, "0",
                FeedAggregatorConfig.ALERTS_RULES_FILE, rules.toString(),
                // one in-flight batch per partition: with transactions v2 a retried CONCURRENT_TRANSACTIONS batch
                // followed by a later in-flight one can wedge the producer on OUT_OF_ORDER_SEQUENCE (KAFKA-19880)
                "kafka.client.producer.max.in.flight.requests.per.connection",
                ctx.option("max-in-flight", "1")));

        CloudEventSerde serde = new CloudEventSerde();
        Map<String, Object> producerProps = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ctx.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5);
        LoadGenerator gen = new LoadGenerator(seed, 10_000, Instant.parse("2026-11-02T08:00:00Z"), Duration.ofMillis(5));
        try (var producer = new KafkaProducer<>(producerProps, new StringSerializer(), serde.serializer())) {
            for (int i = 0; i < events; i++) {
                CanonicalEvent e = gen.next();
                producer.send(new ProducerRecord<>(prefix + "events.canonical", null, e.eventTimestamp().toEpochMilli(),
                        e.actor().id(), e));
            }
            producer.flush();
        }

        BenchmarkResult result = new BenchmarkResult(name()).put("events", events);
        try (FeedAggregatorApp app = FeedAggregatorApp.start(config);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ctx.bootstrapServers()))) {
            await(() -> app.streams().state() == KafkaStreams.State.RUNNING, Duration.ofMinutes(2), "service RUNNING");
            long t0 = System.nanoTime();
            Map<TopicPartition, Long> ends = endOffsets(admin, prefix + "events.canonical");
            long total = ends.values().stream().mapToLong(Long::longValue).sum();
            long[] lastReport = {System.nanoTime()};
            await(() -> {
                Map<TopicPartition, Long> done = committed(admin, appId, ends.keySet());
                if (System.nanoTime() - lastReport[0] > TimeUnit.SECONDS.toNanos(10)) {
                    lastReport[0] = System.nanoTime();
                    System.out.printf("  committed %d of %d input records%n",
                            done.values().stream().mapToLong(v -> Math.max(0, v)).sum(), total);
                }
                return done.equals(ends);
            }, Duration.ofMinutes(20), "input consumed");
            double seconds = (System.nanoTime() - t0) / 1e9;
            result.put("events_per_s", Math.round(events / seconds)).put("consume_s", Math.round(seconds * 10) / 10.0);

            Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
            try (var producer = new KafkaProducer<>(producerProps, new StringSerializer(), serde.serializer());
                 var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                         ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ctx.bootstrapServers(),
                         ConsumerConfig.GROUP_ID_CONFIG, prefix + "alert-reader",
                         ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                         ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                         new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(prefix + "alerts"));
                await(() -> {
                    consumer.poll(Duration.ofMillis(100));
                    return !consumer.assignment().isEmpty();
                }, Duration.ofMinutes(1), "alerts consumer assigned");
                for (int b = 0; b < bursts; b++) {
                    String actor = "bench-actor-" + b;
                    long sentAt = 0;
                    for (int i = 0; i < 5; i++) {
                        CanonicalEvent e = failedLogin(actor, Instant.now());
                        if (i == 4) {
                            sentAt = System.nanoTime();
                        }
                        producer.send(new ProducerRecord<>(prefix + "events.canonical", null,
                                e.eventTimestamp().toEpochMilli(), actor, e));
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

    private static CanonicalEvent failedLogin(String actor, Instant at) {
        return CanonicalEvent.builder().id(UUID.randomUUID().toString()).eventTimestamp(at).observedTimestamp(at)
                .source("auth-service").action(new Action("auth.user.login_failed", "access"))
                .actor(Actor.of(actor, Actor.USER))
                .context(Context.EMPTY.withStatus(Context.Status.FAILURE)).build();
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        var parts = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        return admin.listOffsets(parts.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                .all().get().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static Map<TopicPartition, Long> committed(Admin admin, String group, java.util.Set<TopicPartition> parts) {
        try {
            Map<TopicPartition, OffsetAndMetadata> m = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> out = new LinkedHashMap<>();
            for (TopicPartition p : parts) {
                OffsetAndMetadata o = m.get(p);
                out.put(p, o == null ? -1L : o.offset());
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("could not read committed offsets of " + group, e);
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** {@code java ... MetricsAlertsBenchmark [--bootstrap host:port] [--events N] [--bursts N] [--seed S]} */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String bootstrap = options.remove("bootstrap");
        KafkaClusterTestKit cluster = null;
        String machine = Runtime.getRuntime().availableProcessors() + " cores, "
                + (Runtime.getRuntime().maxMemory() >> 20) + " MiB heap, Java " + System.getProperty("java.version");
        try {
            if (bootstrap == null) {
                cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .setConfigProp("auto.create.topics.enable", "false")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .build();
                cluster.format();
                cluster.startup();
                cluster.waitForReadyBrokers();
                bootstrap = cluster.bootstrapServers();
                machine += ", in-JVM KRaft broker";
            }
            MetricsAlertsBenchmark b = new MetricsAlertsBenchmark();
            BenchmarkResult r = b.run(new BenchmarkContext(bootstrap, options));
            new ResultsWriter(Path.of("").toAbsolutePath()).write(r,
                    "java io.quintet.benchmarks.feeds.MetricsAlertsBenchmark " + String.join(" ", args), machine);
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }
}
