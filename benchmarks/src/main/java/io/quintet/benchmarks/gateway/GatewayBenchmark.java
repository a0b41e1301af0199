package io.quintet.benchmarks.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.OpenTelemetry;
import io.quintet.benchmarks.Benchmark;
import io.quintet.benchmarks.BenchmarkContext;
import io.quintet.benchmarks.BenchmarkResult;
import io.quintet.benchmarks.BenchmarkRunner;
import io.quintet.benchmarks.ResultsWriter;
import io.quintet.demo.LoadGenerator;
import io.quintet.gateway.Gateway;
import io.quintet.gateway.auth.WriteKeyAuthenticator;
import io.quintet.gateway.config.GatewayConfig;
import io.quintet.model.json.CanonicalJson;
import io.quintet.model.topics.TopicCatalogue;
import io.vertx.core.buffer.Buffer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The ingest gateway over real HTTP (keep-alive) to a real broker on this machine: an in-process gateway (Vert.x,
 * idempotent acks=all producer) and a Vert.x HTTP client, all sharing the machine's cores with the broker.
 * <ol>
 *   <li>single-event requests, closed loop: requests/s and latency at full load;</li>
 *   <li>batches of 100 events of ~1 KB, closed loop: events/s and request latency at full load;</li>
 *   <li>both again in open loop at half the throughput measured, latency measured from each request's due time.</li>
 * </ol>
 * Every 2xx counts only after Kafka acknowledged; at the end the events on the topic are counted against the
 * events answered 2xx. The closed-loop phases run twice: with the default configuration, and with
 * {@code validation.schema.enabled=true} (figures prefixed {@code schema_}). {@code *_jvm_cpu_us_per_event}
 * is the CPU time of the whole JVM (HTTP client, gateway, in-JVM broker) per event: on a machine shared with other
 * work, where wall-clock throughput says little, it tells what an event costs. Events come from the seeded {@link LoadGenerator} (timestamps moved to now) and are serialized
 * before the clock starts.
 * <pre>
 *   standalone: java -cp ... io.quintet.benchmarks.gateway.GatewayBenchmark [--seconds 15] [--warmup 5] [--jit-warmup 20]
 *               [--concurrency 32] [--batch-concurrency 8] [--event-loops 2] [--bootstrap host:port]
 *               [--record false]   (false: print only, do not append to docs/benchmarks.md and results.jsonl)
 * </pre>
 */
public final class GatewayBenchmark implements Benchmark {
    static final String KEY = "qk_benchmark_gateway_key_000000000000";
    static final int BATCH = 100;
    static final int EVENT_BYTES = 1_024;

    @Override
    public String name() {
        return "gateway";
    }

    @Override
    public String description() {
        return "ingest gateway over HTTP to a real broker: single-event req/s, 100x1KB batch events/s, p50/p99";
    }

    @Override
    public BenchmarkResult run(BenchmarkContext ctx) throws Exception {
        Duration warmup = Duration.ofSeconds(ctx.longOption("warmup", 5));
        Duration measure = Duration.ofSeconds(ctx.longOption("seconds", 15));
        int concurrency = ctx.intOption("concurrency", 32);
        int batchConcurrency = ctx.intOption("batch-concurrency", 8);
        String prefix = "bench.gateway." + System.currentTimeMillis() + ".";
        TopicCatalogue topics = TopicCatalogue.of(prefix, 6, (short) 1);
        String eventsTopic = topics.name(TopicCatalogue.EVENTS_RAW);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ctx.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(eventsTopic, 6, (short) 1),
                    new NewTopic(topics.name(TopicCatalogue.PROFILES), 6, (short) 1),
                    new NewTopic(topics.name(TopicCatalogue.ERASURE_REQUESTS), 6, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(GatewayConfig.HTTP_HOST, "127.0.0.1");
        settings.put(GatewayConfig.HTTP_PORT, "0");
        settings.put(GatewayConfig.HTTP_EVENT_LOOPS, ctx.option("event-loops", "2"));
        settings.put(GatewayConfig.KAFKA_BOOTSTRAP, ctx.bootstrapServers());
        settings.put(GatewayConfig.TOPICS_PREFIX, prefix);
        settings.put(GatewayConfig.RATE_PER_SECOND, "0");
        settings.put(GatewayConfig.AUTH_WRITE_KEYS, "bench:" + WriteKeyAuthenticator.sha256Hex(KEY) + ":*");

        long seed = ctx.longOption("seed", 42);
        List<Buffer> singles = singleBodies(seed, 20_000);
        List<Buffer> batches = batchBodies(seed + 1, 400);
        long avgEventBytes = batches.stream().mapToLong(Buffer::length).sum() / (batches.size() * (long) BATCH);

        BenchmarkResult result = new BenchmarkResult(name()).put("avg_event_bytes", avgEventBytes);
        // JIT warm-up of every code path (schema included) before anything is measured: the JVM compiles for a long
        // while on a busy 2-core machine, and the first measured phase would otherwise pay for it
        Duration jitWarmup = Duration.ofSeconds(ctx.longOption("jit-warmup", 20));
        Map<String, String> warm = new LinkedHashMap<>(settings);
        warm.put(GatewayConfig.VALIDATION_SCHEMA, "true");
        long accepted = 0;
        try (Gateway gateway = Gateway.start(GatewayConfig.of(warm), OpenTelemetry.noop(), null);
             HttpLoad load = new HttpLoad(gateway.port(), KEY, Math.max(concurrency, batchConcurrency))) {
            load.eventsIn(batches, BATCH);
            System.out.println("  JIT warm-up, " + jitWarmup.toSeconds() + " s ...");
            load.closedLoop(singles, concurrency, Duration.ZERO, jitWarmup.dividedBy(2));
            load.closedLoop(batches, batchConcurrency, Duration.ZERO, jitWarmup.dividedBy(2));
            accepted += load.acceptedEvents();
        }
        // the default configuration, then with the full JSON Schema check at the edge as well
        accepted += measure(settings, "", singles, batches, concurrency, batchConcurrency, warmup, measure, true, result);
        settings.put(GatewayConfig.VALIDATION_SCHEMA, "true");
        accepted += measure(settings, "schema_", singles, batches, concurrency, batchConcurrency, warmup, measure, false, result);
        result.put("events_answered_2xx", accepted);
        result.put("events_on_topic", endOffsetSum(ctx.bootstrapServers(), eventsTopic));
        return result;
    }

    /** Runs the phases against one gateway; returns the number of events answered 2xx (warm-up included). */
    private static long measure(Map<String, String> settings, String label, List<Buffer> singles, List<Buffer> batches,
                                int concurrency, int batchConcurrency, Duration warmup, Duration measure,
                                boolean openLoop, BenchmarkResult result) throws Exception {
        try (Gateway gateway = Gateway.start(GatewayConfig.of(settings), OpenTelemetry.noop(), null);
             HttpLoad load = new HttpLoad(gateway.port(), KEY, Math.max(concurrency, batchConcurrency))) {
            load.eventsIn(batches, BATCH);
            System.out.println("  [" + (label.isEmpty() ? "default" : label) + "] single events, closed loop, "
                    + concurrency + " connections ...");
            HttpLoad.Phase single = load.closedLoop(singles, concurrency, warmup, measure);
            System.out.println("  [" + (label.isEmpty() ? "default" : label) + "] batches of " + BATCH
                    + ", closed loop, " + batchConcurrency + " connections ...");
            HttpLoad.Phase batch = load.closedLoop(batches, batchConcurrency, warmup, measure);
            result.put(label + "single_requests_per_s", Math.round(single.requestsPerSecond()));
            putLatencies(result, label + "single", single);
            result.put(label + "single_jvm_cpu_us_per_event", Math.round(single.cpuNanos() / 1e3 / single.requests()));
            result.put(label + "batch_events_per_s", Math.round(batch.requestsPerSecond() * BATCH))
                    .put(label + "batch_requests_per_s", Math.round(batch.requestsPerSecond()));
            putLatencies(result, label + "batch", batch);
            result.put(label + "batch_jvm_cpu_us_per_event", Math.round(batch.cpuNanos() / 1e3 / (batch.requests() * BATCH)));
            long errors = single.errors() + batch.errors();
            if (openLoop) {
                double singleHalf = single.requestsPerSecond() / 2;
                double batchHalf = batch.requestsPerSecond() / 2;
                System.out.printf("  single events, open loop at %.0f req/s ...%n", singleHalf);
                HttpLoad.Phase singleOpen = load.openLoop(singles, singleHalf, 4 * concurrency, Duration.ofSeconds(2), measure);
                System.out.printf("  batches, open loop at %.0f req/s ...%n", batchHalf);
                HttpLoad.Phase batchOpen = load.openLoop(batches, batchHalf, 4 * batchConcurrency, Duration.ofSeconds(2), measure);
                result.put("single_half_load_req_per_s", Math.round(singleOpen.requestsPerSecond()));
                putLatencies(result, "single_half_load", singleOpen);
                result.put("batch_half_load_events_per_s", Math.round(batchOpen.requestsPerSecond() * BATCH));
                putLatencies(result, "batch_half_load", batchOpen);
                result.put("open_loop_dropped", singleOpen.dropped() + batchOpen.dropped());
                errors += singleOpen.errors() + batchOpen.errors();
            }
            result.put(label + "errors", errors);
            return load.acceptedEvents();
        }
    }

    private static void putLatencies(BenchmarkResult result, String prefix, HttpLoad.Phase phase) {
        result.put(prefix + "_p50_ms", ms(phase.latency().getValueAtPercentile(50)))
                .put(prefix + "_p99_ms", ms(phase.latency().getValueAtPercentile(99)));
    }

    private static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }

    /** Canonical events padded to about {@link #EVENT_BYTES}, happening around now. */
    static List<ObjectNode> events(long seed, int n) {
        LoadGenerator gen = new LoadGenerator(seed, 10_000, Instant.now().minus(Duration.ofMinutes(30)), Duration.ofMillis(1));
        List<ObjectNode> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ObjectNode e = (ObjectNode) CanonicalJson.toTree(gen.next());
            int size = e.toString().length();
            ObjectNode context = e.get("context") instanceof ObjectNode c ? c : e.putObject("context");
            ObjectNode attributes = context.get("attributes") instanceof ObjectNode a ? a : context.putObject("attributes");
            if (size < EVENT_BYTES - 40) {
                attributes.put("bench.padding", "x".repeat(EVENT_BYTES - 40 - size));
            }
            out.add(e);
        }
        return out;
    }

    static List<Buffer> singleBodies(long seed, int n) {
        return events(seed, n).stream().map(e -> Buffer.buffer(e.toString())).toList();
    }

    static List<Buffer> batchBodies(long seed, int batches) {
        List<ObjectNode> events = events(seed, batches * BATCH);
        ObjectMapper mapper = CanonicalJson.newMapper();
        List<Buffer> out = new ArrayList<>(batches);
        for (int b = 0; b < batches; b++) {
            ArrayNode array = mapper.createArrayNode();
            events.subList(b * BATCH, (b + 1) * BATCH).forEach(array::add);
            out.add(Buffer.buffer(array.toString()));
        }
        return out;
    }

    private static long endOffsetSum(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                    .forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(r -> r.offset()).sum();
        }
    }

    /** Standalone run: starts a one-node KRaft broker in this JVM unless {@code --bootstrap} is given. */
    public static void main(String[] args) throws Exception {
        BenchmarkRunner.main(BenchmarkRunner.only("gateway", args));
    }

    private static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("quintet"))) {
            p = p.getParent();
        }
        return p == null ? Path.of("").toAbsolutePath() : p;
    }
}
