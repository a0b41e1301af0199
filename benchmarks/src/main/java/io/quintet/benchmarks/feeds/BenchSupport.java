package io.quintet.benchmarks.feeds;

import io.quintet.benchmarks.BenchmarkContext;
import io.quintet.benchmarks.BenchmarkResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Shared plumbing of the feed-aggregator benchmarks: offsets, waiting, a standalone main with an in-JVM broker. */
final class BenchSupport {
    private BenchSupport() {}

    static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        var parts = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        return admin
                .listOffsets(parts.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                .all()
                .get()
                .entrySet()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    static Map<TopicPartition, Long> committed(Admin admin, String group, java.util.Set<TopicPartition> parts) {
        try {
            Map<TopicPartition, OffsetAndMetadata> m = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get();
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

    /**
     * Records of the application's input still unprocessed: for {@code input} and every repartition topic of
     * {@code appId}, the end offset minus the group's committed offset per partition (a partition ending in one
     * transaction marker the group has not committed past counts as done). Zero when every stage has caught up, not
     * only the first: the throughput of a Streams application is the rate at which its last stage drains.
     */
    static long backlog(Admin admin, String appId, String input) {
        try {
            List<String> topics = new java.util.ArrayList<>(List.of(input));
            admin.listTopics().names().get().stream()
                    .filter(t -> t.startsWith(appId + "-") && t.endsWith("-repartition"))
                    .forEach(topics::add);
            Map<TopicPartition, Long> ends = new LinkedHashMap<>();
            for (String t : topics) {
                ends.putAll(endOffsets(admin, t));
            }
            Map<TopicPartition, Long> done = committed(admin, appId, ends.keySet());
            long backlog = 0;
            for (var e : ends.entrySet()) {
                long left = e.getValue() - Math.max(0, done.get(e.getKey()));
                backlog += left <= 1 && done.get(e.getKey()) >= 0 ? 0 : Math.max(0, left);
            }
            return backlog;
        } catch (Exception e) {
            throw new IllegalStateException("could not read the backlog of " + appId, e);
        }
    }

    /** Publishes the generator's next {@code count} events to the topic (key: actor, record time: event time). */
    static void publish(String bootstrap, String topic, io.quintet.demo.LoadGenerator gen, int count) {
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(
                Map.<String, Object>of(
                        org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        org.apache.kafka.clients.producer.ProducerConfig.ACKS_CONFIG,
                        "all",
                        org.apache.kafka.clients.producer.ProducerConfig.LINGER_MS_CONFIG,
                        5),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new io.quintet.model.cloudevents.CloudEventSerde().serializer())) {
            for (int i = 0; i < count; i++) {
                io.quintet.model.CanonicalEvent e = gen.next();
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                        topic,
                        null,
                        e.eventTimestamp().toEpochMilli(),
                        e.actor().id(),
                        e));
            }
            producer.flush();
        }
    }

    /**
     * The measured phase of a feed-aggregator benchmark: after the warm-up events are processed, {@code events} more
     * are published while the service runs, and the phase ends when every stage has caught up. Records events/s and
     * CPU per event (the service's threads, its stream threads, the whole JVM) and the load average into the result.
     */
    static double measure(Admin admin, String appId, String input, int events, Runnable publish, BenchmarkResult result)
            throws InterruptedException {
        await(() -> backlog(admin, appId, input) == 0, Duration.ofMinutes(20), "warm-up events processed");
        var cpu = appCpu(appId);
        var streamCpu = streamThreadCpu(appId);
        long cpu0 = cpu.nanos();
        long streamCpu0 = streamCpu.nanos();
        long jvm0 = io.quintet.benchmarks.ThreadCpu.processNanos();
        long t0 = System.nanoTime();
        publish.run();
        long[] lastReport = {System.nanoTime()};
        await(
                () -> {
                    long left = backlog(admin, appId, input);
                    if (System.nanoTime() - lastReport[0] > TimeUnit.SECONDS.toNanos(10)) {
                        lastReport[0] = System.nanoTime();
                        System.out.printf("  %d records of input and repartition topics left%n", left);
                    }
                    return left == 0;
                },
                Duration.ofMinutes(20),
                "every stage caught up");
        double seconds = (System.nanoTime() - t0) / 1e9;
        result.put("events_per_s", Math.round(events / seconds))
                .put("seconds", Math.round(seconds * 10) / 10.0)
                .put("cpu_us_per_event", perEvent(cpu.nanos() - cpu0, events))
                .put("stream_thread_cpu_us_per_event", perEvent(streamCpu.nanos() - streamCpu0, events))
                .put("jvm_cpu_us_per_event", perEvent(io.quintet.benchmarks.ThreadCpu.processNanos() - jvm0, events))
                .put("load_average", io.quintet.benchmarks.Machine.loadAverage());
        return seconds;
    }

    /** The sum of a metric of {@code streams} over every task and processor (e.g. {@code dropped-records-total}). */
    static long sumMetric(org.apache.kafka.streams.KafkaStreams streams, String name) {
        double sum = 0;
        for (var e : streams.metrics().entrySet()) {
            if (name.equals(e.getKey().name()) && e.getValue().metricValue() instanceof Number n) {
                sum += n.doubleValue();
            }
        }
        return Math.round(sum);
    }

    private static double perEvent(long nanos, int events) {
        return Math.round(nanos / 1e3 / events * 10) / 10.0;
    }

    /** CPU time of the service's own threads (stream threads and their clients' network threads carry the id). */
    static io.quintet.benchmarks.ThreadCpu appCpu(String appId) {
        return new io.quintet.benchmarks.ThreadCpu(name -> name.contains(appId));
    }

    /** CPU time of the service's stream threads alone (the processing; the rest is its Kafka clients' I/O threads). */
    static io.quintet.benchmarks.ThreadCpu streamThreadCpu(String appId) {
        return new io.quintet.benchmarks.ThreadCpu(name -> name.startsWith(appId) && name.contains("-StreamThread-"));
    }

    /**
     * The feed-aggregator settings of both feed benchmarks: the broker, application id {@code prefix + "app"}, the
     * topic prefix, a fresh state folder, HTTP on a free loopback port and one in-flight batch per partition (with
     * transactions v2 a retried CONCURRENT_TRANSACTIONS batch followed by a later in-flight one can wedge the producer
     * on OUT_OF_ORDER_SEQUENCE, KAFKA-19880; {@code --max-in-flight} changes it); then {@code extra}, then {@code --set}.
     */
    static Map<String, String> serviceSettings(BenchmarkContext ctx, String prefix, Map<String, String> extra)
            throws java.io.IOException {
        Map<String, String> base = new LinkedHashMap<>();
        base.put(io.quintet.feeds.app.FeedAggregatorConfig.BOOTSTRAP, ctx.bootstrapServers());
        base.put(io.quintet.feeds.app.FeedAggregatorConfig.APPLICATION_ID, prefix + "app");
        base.put(io.quintet.feeds.app.FeedAggregatorConfig.TOPICS_PREFIX, prefix);
        base.put(
                io.quintet.feeds.app.FeedAggregatorConfig.STATE_DIR,
                java.nio.file.Files.createTempDirectory("fa-bench").toString());
        base.put(io.quintet.feeds.app.FeedAggregatorConfig.HTTP_HOST, "127.0.0.1");
        base.put(io.quintet.feeds.app.FeedAggregatorConfig.HTTP_PORT, "0");
        base.put("kafka.client.producer.max.in.flight.requests.per.connection", ctx.option("max-in-flight", "1"));
        base.putAll(extra);
        return settings(ctx, base);
    }

    /**
     * The service settings of a benchmark run: {@code base}, then {@code --set key=value,key=value} from the command
     * line (any feed-aggregator setting, e.g. {@code kafka.client.num.stream.threads=2}), so a run can try a setting
     * without a code change; the settings used are printed.
     */
    static Map<String, String> settings(BenchmarkContext ctx, Map<String, String> base) {
        Map<String, String> out = new LinkedHashMap<>(base);
        String set = ctx.option("set", "");
        for (String pair : set.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--set expects key=value[,key=value...], got '" + pair + "'");
            }
            out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        if (!set.isBlank()) {
            System.out.println("  settings overridden: " + set);
        }
        return out;
    }

    static void await(java.util.function.BooleanSupplier condition, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(
                    200); // each check is several admin calls: keep the harness off the cores it measures
        }
    }
}
