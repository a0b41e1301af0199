package io.quintet.benchmarks.feeds;

import io.quintet.benchmarks.Benchmark;
import io.quintet.benchmarks.BenchmarkContext;
import io.quintet.benchmarks.BenchmarkResult;
import io.quintet.benchmarks.BenchmarkRunner;
import io.quintet.demo.LoadGenerator;
import io.quintet.feeds.app.http.ApiAuth;
import io.quintet.feeds.app.http.ApiKey;
import io.quintet.feeds.app.http.HttpApi;
import io.quintet.feeds.app.http.Scope;
import io.quintet.feeds.app.live.LiveStreams;
import io.quintet.model.Action;
import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The feed-aggregator's Server-Sent Events stream of canonical events ({@code /v1/stream/events}, issue #21): the
 * live API alone (its {@code HttpApi} with authentication and {@code LiveStreams}), against the runner's broker.
 * <ol>
 *   <li>for reference, events/s a plain {@code read_committed} consumer reads the same backlog;</li>
 *   <li>events/s one stream delivers: {@code --events N} LoadGenerator events are published first, then one stream
 *       opened with a {@code Last-Event-ID} at the start of every partition reads them all (pattern {@code *}; a JDK
 *       HTTP client parses the lines); time from opening to the last event;</li>
 *   <li>added latency: {@code --probes P} events sent one at a time to a live stream (pattern matching only them) and
 *       to a plain {@code read_committed} consumer of the same topic; latency = receipt - just before send, for each;
 *       the stream's added latency is the difference of the two.</li>
 * </ol>
 */
public final class SseStreamBenchmark implements Benchmark {
    static final String PROBE = "bench.latency.probe";

    @Override
    public String name() {
        return "sse";
    }

    @Override
    public String description() {
        return "feed-aggregator live API: events/s one SSE stream of events.canonical delivers, and its added latency over a plain consumer";
    }

    @Override
    public BenchmarkResult run(BenchmarkContext ctx) throws Exception {
        int events = ctx.intOption("events", 50_000);
        int probes = ctx.intOption("probes", 200);
        String prefix = "benchsse" + Long.toHexString(System.nanoTime()) + ".";
        String canonical = prefix + "events.canonical";
        int partitions = 6;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ctx.bootstrapServers()))) {
            admin.createTopics(List.of(
                            new NewTopic(canonical, partitions, (short) 1),
                            new NewTopic(prefix + "alerts", 1, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
        BenchSupport.publish(
                ctx.bootstrapServers(),
                canonical,
                new LoadGenerator(42, 2_000, Instant.now().minus(Duration.ofHours(1)), Duration.ofMillis(10)),
                events);

        String key = ApiKey.newKey();
        ApiAuth auth = new ApiAuth(
                List.of(new ApiKey("bench", ApiKey.sha256(key), EnumSet.of(Scope.EVENTS_READ))), null, List.of());
        Map<String, Object> clientProps = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ctx.bootstrapServers());
        Vertx vertx = Vertx.vertx();
        BenchmarkResult result =
                new BenchmarkResult(name()).put("events", events).put("probes", probes);
        try (LiveStreams live = new LiveStreams(clientProps, canonical, prefix + "alerts", 4, Duration.ofSeconds(15));
                HttpApi http = new HttpApi(vertx, new InetSocketAddress("127.0.0.1", 0), Map.of(), auth)) {
            http.stream(LiveStreams.EVENTS_PATH, Scope.EVENTS_READ, live::events);
            HttpClient client = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + http.port() + LiveStreams.EVENTS_PATH;

            // 0. the same backlog read by a plain read_committed consumer: what one stream could at best deliver here
            long c0 = System.nanoTime();
            long consumed = 0;
            try (KafkaConsumer<byte[], byte[]> plain = new KafkaConsumer<>(
                    Map.of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            ctx.bootstrapServers(),
                            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                            "read_committed"),
                    new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                List<TopicPartition> all = IntStream.range(0, partitions)
                        .mapToObj(p -> new TopicPartition(canonical, p))
                        .toList();
                plain.assign(all);
                plain.seekToBeginning(all);
                while (consumed < events) {
                    consumed += plain.poll(Duration.ofMillis(200)).count();
                }
            }
            double plainSeconds = (System.nanoTime() - c0) / 1e9;
            result.put("consumer_events_per_s", Math.round(consumed / plainSeconds));
            System.out.printf(
                    "  plain consumer: %d events in %.2f s = %.0f events/s%n",
                    consumed, plainSeconds, consumed / plainSeconds);

            // 1. throughput: the whole backlog through one stream
            String fromStart =
                    IntStream.range(0, partitions).mapToObj(p -> p + ":0").collect(Collectors.joining(","));
            long t0 = System.nanoTime();
            HttpResponse<InputStream> backlog = client.send(
                    HttpRequest.newBuilder(URI.create(base + "?pattern=*"))
                            .header("Authorization", "Bearer " + key)
                            .header("Last-Event-ID", fromStart)
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            long received = 0;
            long bytes = 0;
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(backlog.body(), StandardCharsets.UTF_8))) {
                String line;
                while (received < events && (line = in.readLine()) != null) {
                    bytes += line.length() + 1;
                    if (line.startsWith("data: ")) {
                        received++;
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            result.put("stream_events_per_s", Math.round(received / seconds))
                    .put("stream_seconds", Math.round(seconds * 100) / 100.0)
                    .put("stream_mb_per_s", Math.round(bytes / seconds / 1e6 * 10) / 10.0);
            System.out.printf(
                    "  one stream: %d events in %.2f s = %.0f events/s (%.1f MB/s of SSE text)%n",
                    received, seconds, received / seconds, bytes / seconds / 1e6);

            // 2. latency: probes to a live stream and to a plain consumer, one at a time
            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            Histogram viaStream = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
            Histogram viaConsumer = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
            AtomicLong streamSeen = new AtomicLong();
            AtomicLong consumerSeen = new AtomicLong();
            HttpResponse<InputStream> liveResponse = client.send(
                    HttpRequest.newBuilder(URI.create(base + "?pattern=" + PROBE))
                            .header("Authorization", "Bearer " + key)
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            BufferedReader liveIn =
                    new BufferedReader(new InputStreamReader(liveResponse.body(), StandardCharsets.UTF_8));
            String first = liveIn.readLine(); // "retry: ..." then the start position: the stream is reading
            if (first == null) {
                throw new IllegalStateException("the live stream closed at once");
            }
            Thread streamReader = new Thread(
                    () -> {
                        try {
                            String line;
                            while ((line = liveIn.readLine()) != null) {
                                int at = line.indexOf("\"id\":\"probe-");
                                if (line.startsWith("data: ") && at >= 0) {
                                    String id = line.substring(at + 6, line.indexOf('"', at + 6));
                                    Long s = sentAt.get(id);
                                    if (s != null) {
                                        viaStream.recordValue((System.nanoTime() - s) / 1000);
                                        streamSeen.incrementAndGet();
                                    }
                                }
                            }
                        } catch (java.io.IOException closed) {
                            // end of the run
                        }
                    },
                    "sse-bench-reader");
            streamReader.setDaemon(true);
            streamReader.start();
            KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                    Map.of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            ctx.bootstrapServers(),
                            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                            "read_committed"),
                    new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            List<TopicPartition> tps = IntStream.range(0, partitions)
                    .mapToObj(p -> new TopicPartition(canonical, p))
                    .toList();
            consumer.assign(tps);
            consumer.seekToEnd(tps);
            tps.forEach(consumer::position);
            Thread consumerReader = new Thread(
                    () -> {
                        try {
                            while (!Thread.currentThread().isInterrupted()) {
                                for (var r : consumer.poll(Duration.ofMillis(100))) {
                                    String value = new String(r.value(), StandardCharsets.UTF_8);
                                    int at = value.indexOf("\"id\":\"probe-");
                                    if (at >= 0) {
                                        Long s = sentAt.get(value.substring(at + 6, value.indexOf('"', at + 6)));
                                        if (s != null) {
                                            viaConsumer.recordValue((System.nanoTime() - s) / 1000);
                                            consumerSeen.incrementAndGet();
                                        }
                                    }
                                }
                            }
                        } catch (org.apache.kafka.common.errors.WakeupException
                                | org.apache.kafka.common.errors.InterruptException stop) {
                            // end of the run
                        } finally {
                            consumer.close();
                        }
                    },
                    "consumer-bench-reader");
            consumerReader.start();
            Thread.sleep(2_000); // both readers assigned and at the end
            try (KafkaProducer<String, CanonicalEvent> producer = new KafkaProducer<>(
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            ctx.bootstrapServers(),
                            ProducerConfig.ACKS_CONFIG,
                            "all",
                            ProducerConfig.LINGER_MS_CONFIG,
                            0),
                    new StringSerializer(),
                    new CloudEventSerde().serializer())) {
                for (int i = 0; i < probes; i++) {
                    String id = "probe-" + i;
                    CanonicalEvent e = CanonicalEvent.builder()
                            .id(id)
                            .eventTimestamp(Instant.now())
                            .source("bench")
                            .action(new Action(PROBE, "other"))
                            .actor(Actor.of("ps_bench-" + (i % 16), Actor.USER))
                            .build();
                    long target = i + 1;
                    sentAt.put(id, System.nanoTime());
                    producer.send(new ProducerRecord<>(canonical, e.actor().id(), e));
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while ((streamSeen.get() < target || consumerSeen.get() < target) && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                        Thread.sleep(0, 200_000);
                    }
                }
            }
            consumer.wakeup();
            consumerReader.join(10_000);
            liveResponse.body().close();
            result.latencies("stream_latency", viaStream)
                    .latencies("consumer_latency", viaConsumer)
                    .put("stream_latency_received", streamSeen.get())
                    .put("consumer_latency_received", consumerSeen.get())
                    .put(
                            "added_latency_p50_ms",
                            Math.round((viaStream.getValueAtPercentile(50) - viaConsumer.getValueAtPercentile(50))
                                            / 10.0)
                                    / 100.0)
                    .put(
                            "added_latency_p99_ms",
                            Math.round((viaStream.getValueAtPercentile(99) - viaConsumer.getValueAtPercentile(99))
                                            / 10.0)
                                    / 100.0);
            System.out.printf(
                    "  latency (send -> received), %d probes: stream p50 %.2f ms p99 %.2f ms; plain consumer p50 %.2f ms p99 %.2f ms%n",
                    probes,
                    viaStream.getValueAtPercentile(50) / 1000.0,
                    viaStream.getValueAtPercentile(99) / 1000.0,
                    viaConsumer.getValueAtPercentile(50) / 1000.0,
                    viaConsumer.getValueAtPercentile(99) / 1000.0);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        return result;
    }

    /** {@code java ... SseStreamBenchmark [--bootstrap host:port] [--events N] [--probes N]} */
    public static void main(String[] args) throws Exception {
        BenchmarkRunner.main(BenchmarkRunner.only("sse", args));
    }
}
