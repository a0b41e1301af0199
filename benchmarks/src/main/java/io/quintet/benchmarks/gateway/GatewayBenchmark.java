package io.quintet.benchmarks.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.OpenTelemetry;
import io.quintet.benchmarks.Benchmark;
import io.quintet.benchmarks.BenchmarkContext;
import io.quintet.benchmarks.BenchmarkResult;
import io.quintet.benchmarks.BenchmarkRunner;
import io.quintet.benchmarks.Jit;
import io.quintet.benchmarks.Machine;
import io.quintet.demo.LoadGenerator;
import io.quintet.gateway.Gateway;
import io.quintet.gateway.auth.WriteKeyAuthenticator;
import io.quintet.gateway.config.GatewayConfig;
import io.quintet.model.json.CanonicalJson;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.support.metrics.PrometheusMetrics;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

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
 * {@code validation.schema.enabled=true} (figures prefixed {@code schema_}). Metrics are recorded as
 * {@code GatewayMain} records them (OpenTelemetry SDK, Prometheus reader) unless {@code --metrics noop}.
 * <p>
 * Where the CPU goes ({@link CpuMeter}), per request for single events and per event for batches:
 * {@code *_cpu_us_client} (the HTTP load client), {@code *_cpu_us_gateway}, {@code *_cpu_us_broker} (its threads
 * when in this JVM, its process with {@code --broker-pid}), {@code *_cpu_us_jvm_gc_jit} (garbage collection, JIT,
 * VM), {@code *_cores_busy}: how many cores all of them kept busy, and {@code *_threads_waiting_for_cpu}: how
 * many of their threads were, on average, runnable but queueing for a core (Linux schedstat; other work on the
 * machine shows here), {@code *_alloc_kb_gateway} / {@code *_alloc_kb_broker}: KiB allocated per request (per
 * event for batches) by the gateway's threads and the in-JVM broker's (unlike CPU time, not inflated by other work
 * on the machine), {@code *_jit_compiling_share}: the JIT compiler threads' busy time over the phase's wall time
 * (0 once the code is compiled; well above 0 means the phase still ran partly uncompiled code and its CPU figures
 * are inflated). On a machine shared with other work, where
 * wall-clock throughput says little, these tell what a request costs and which part of the budget is the gateway's.
 * Events come from the seeded {@link LoadGenerator} (timestamps moved to now) and are serialized before the clock
 * starts.
 * <pre>
 *   standalone: java -cp ... io.quintet.benchmarks.gateway.GatewayBenchmark [--seconds 15] [--warmup 5] [--jit-warmup 20]
 *               [--jit-settle-max 90] (then each measured gateway is warmed up in 5 s rounds until the JIT compiler
 *               was busy less than a quarter of a round, at most this long; 0: the fixed warm-up only, as before)
 *               [--concurrency 32] [--batch-concurrency 8] [--event-loops 2] [--bootstrap host:port]
 *               [--broker-pid PID] [--phases single,batch] [--schema true] [--open-loop true] [--metrics sdk|noop]
 *               [--half-load-rate R] (open-loop rate for single events; default half the closed-loop rate)
 *               [--gateway.SETTING value] (any gateway setting, e.g. --gateway.kafka.linger.ms 10)
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

    /** The command-line options of this benchmark. */
    record Options(
            Duration warmup,
            Duration measure,
            Duration jitWarmup,
            int concurrency,
            int batchConcurrency,
            Set<String> phases,
            boolean schema,
            boolean openLoop,
            String metrics,
            long brokerPid,
            double halfLoadRate,
            String eventLoops,
            long seed,
            Duration jitSettleMax) {
        static Options of(BenchmarkContext ctx) {
            return new Options(
                    Duration.ofSeconds(ctx.longOption("warmup", 5)),
                    Duration.ofSeconds(ctx.longOption("seconds", 15)),
                    Duration.ofSeconds(ctx.longOption("jit-warmup", 20)),
                    ctx.intOption("concurrency", 32),
                    ctx.intOption("batch-concurrency", 8),
                    Set.of(ctx.option("phases", "single,batch").split(",")),
                    Boolean.parseBoolean(ctx.option("schema", "true")),
                    Boolean.parseBoolean(ctx.option("open-loop", "true")),
                    ctx.option("metrics", "sdk"),
                    ctx.longOption("broker-pid", 0),
                    Double.parseDouble(ctx.option("half-load-rate", "0")),
                    ctx.option("event-loops", "2"),
                    ctx.longOption("seed", 42),
                    Duration.ofSeconds(ctx.longOption("jit-settle-max", 90)));
        }
    }

    /** Metrics as {@code GatewayMain} records them (OpenTelemetry SDK + Prometheus reader), or none. */
    private record Telemetry(OpenTelemetry otel, Supplier<String> scrape, AutoCloseable sdk) implements AutoCloseable {
        static Telemetry of(String kind) {
            if (kind.equals("noop")) {
                return new Telemetry(OpenTelemetry.noop(), null, () -> {});
            }
            PrometheusMetrics metrics = new PrometheusMetrics();
            return new Telemetry(metrics.openTelemetry(), metrics::scrape, metrics);
        }

        @Override
        public void close() throws Exception {
            sdk.close();
        }
    }

    @Override
    public BenchmarkResult run(BenchmarkContext ctx) throws Exception {
        Options o = Options.of(ctx);
        String prefix = "bench.gateway." + System.currentTimeMillis() + ".";
        TopicCatalogue topics = TopicCatalogue.of(prefix, 6, (short) 1);
        String eventsTopic = topics.name(TopicCatalogue.EVENTS_RAW);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ctx.bootstrapServers()))) {
            admin.createTopics(List.of(
                            new NewTopic(eventsTopic, 6, (short) 1),
                            new NewTopic(topics.name(TopicCatalogue.PROFILES), 6, (short) 1),
                            new NewTopic(topics.name(TopicCatalogue.ERASURE_REQUESTS), 6, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(GatewayConfig.HTTP_HOST, "127.0.0.1");
        settings.put(GatewayConfig.HTTP_PORT, "0");
        settings.put(GatewayConfig.HTTP_EVENT_LOOPS, o.eventLoops());
        settings.put(GatewayConfig.KAFKA_BOOTSTRAP, ctx.bootstrapServers());
        settings.put(GatewayConfig.TOPICS_PREFIX, prefix);
        settings.put(GatewayConfig.RATE_PER_SECOND, "0");
        settings.put(GatewayConfig.AUTH_WRITE_KEYS, "bench:" + WriteKeyAuthenticator.sha256Hex(KEY) + ":*");
        // any other gateway setting: --gateway.<setting> value (e.g. --gateway.kafka.linger.ms 10)
        ctx.options().forEach((k, v) -> {
            if (k.startsWith("gateway.")) {
                settings.put(k.substring("gateway.".length()), v);
            }
        });

        List<Buffer> singles = singleBodies(o.seed(), 20_000);
        List<Buffer> batches = o.phases().contains("batch") ? batchBodies(o.seed() + 1, 400) : List.of();
        long avgEventBytes = singles.stream().mapToLong(Buffer::length).sum() / singles.size();

        BenchmarkResult result = new BenchmarkResult(name())
                .put("avg_event_bytes", avgEventBytes)
                .put("load_average_start", loadAverage());
        // JIT warm-up of every code path (schema included) before anything is measured: the JVM compiles for a long
        // while on a busy 2-core machine, and the first measured phase would otherwise pay for it
        Map<String, String> warm = new LinkedHashMap<>(settings);
        warm.put(GatewayConfig.VALIDATION_SCHEMA, Boolean.toString(o.schema()));
        long accepted = 0;
        if (!o.jitWarmup().isZero()) {
            // the same telemetry as the measured gateways: with a no-op one the JIT compiled the request path for
            // other receiver types, and the first measured phase paid for recompiling it
            try (Telemetry telemetry = Telemetry.of(o.metrics());
                    Gateway gateway = Gateway.start(GatewayConfig.of(warm), telemetry.otel(), telemetry.scrape());
                    HttpLoad load =
                            new HttpLoad(gateway.port(), KEY, Math.max(o.concurrency(), o.batchConcurrency()), 0)) {
                load.eventsIn(batches, BATCH);
                System.out.println("  JIT warm-up, " + o.jitWarmup().toSeconds() + " s ...");
                warmUp(load, singles, batches, o, o.jitWarmup());
                accepted += load.acceptedEvents();
            }
        }
        // the default configuration, then with the full JSON Schema check at the edge as well
        accepted += measure(settings, "", singles, batches, o, o.openLoop(), result);
        if (o.schema()) {
            settings.put(GatewayConfig.VALIDATION_SCHEMA, "true");
            accepted += measure(settings, "schema_", singles, batches, o, false, result);
        }
        result.put("events_answered_2xx", accepted);
        result.put("events_on_topic", endOffsetSum(ctx.bootstrapServers(), eventsTopic));
        result.put("load_average_end", loadAverage());
        return result;
    }

    /**
     * Warms this gateway up until the JIT compiler is mostly idle (at most {@code --jit-settle-max}). After the fixed
     * warm-up on a gateway of its own the compiler was still busy all the time (jit_compiling_share about 1), and a
     * new gateway in the same JVM set off a burst of deoptimizations and recompilation, so the first measured
     * phase ran partly uncompiled code.
     */
    private static void settleJit(
            HttpLoad load, List<Buffer> singles, List<Buffer> batches, Options o, String label, BenchmarkResult result)
            throws Exception {
        if (o.jitSettleMax().isZero()) {
            return;
        }
        long started = System.nanoTime();
        long settleEnd = started + o.jitSettleMax().toNanos();
        double share = 1;
        while (System.nanoTime() < settleEnd) {
            long jit0 = Jit.millis();
            long t0 = System.nanoTime();
            warmUp(load, singles, batches, o, Duration.ofSeconds(5));
            share = (Jit.millis() - jit0) * 1e6 / (System.nanoTime() - t0);
            if (share < JIT_SETTLED_SHARE) {
                break;
            }
        }
        result.put(label + "jit_settle_s", Math.round((System.nanoTime() - started) / 1e9))
                .put(label + "jit_compiling_share_after_settle", Math.round(share * 100) / 100.0);
        System.out.printf(
                "  [%s] JIT settled after %.0f s; the compiler was busy %.0f %% of the last 5 s%n",
                label.isEmpty() ? "default" : label, (System.nanoTime() - started) / 1e9, share * 100);
    }

    /** The warm-up ends once the JIT compiler was busy for less than this share of the last 5 s. */
    static final double JIT_SETTLED_SHARE = 0.25;

    private static void warmUp(HttpLoad load, List<Buffer> singles, List<Buffer> batches, Options o, Duration time)
            throws Exception {
        boolean batch = o.phases().contains("batch");
        load.closedLoop(singles, o.concurrency(), Duration.ZERO, batch ? time.dividedBy(2) : time);
        if (batch) {
            load.closedLoop(batches, o.batchConcurrency(), Duration.ZERO, time.dividedBy(2));
        }
    }

    static double loadAverage() {
        return Machine.loadAverage();
    }

    /** Runs the phases against one gateway; returns the number of events answered 2xx (warm-up included). */
    private static long measure(
            Map<String, String> settings,
            String label,
            List<Buffer> singles,
            List<Buffer> batches,
            Options o,
            boolean openLoop,
            BenchmarkResult result)
            throws Exception {
        try (Telemetry telemetry = Telemetry.of(o.metrics());
                Gateway gateway = Gateway.start(GatewayConfig.of(settings), telemetry.otel(), telemetry.scrape());
                HttpLoad load = new HttpLoad(
                        gateway.port(), KEY, Math.max(o.concurrency(), o.batchConcurrency()), o.brokerPid())) {
            load.eventsIn(batches, BATCH);
            String tag = label.isEmpty() ? "default" : label;
            settleJit(load, singles, batches, o, label, result);
            long errors = 0;
            HttpLoad.Phase single = null;
            HttpLoad.Phase batch = null;
            if (o.phases().contains("single")) {
                System.out.println(
                        "  [" + tag + "] single events, closed loop, " + o.concurrency() + " connections ...");
                single = load.closedLoop(singles, o.concurrency(), o.warmup(), o.measure());
                result.put(label + "single_requests_per_s", Math.round(single.requestsPerSecond()));
                putLatencies(result, label + "single", single);
                putCpu(result, label + "single", single, 1);
                errors += single.errors();
            }
            if (o.phases().contains("batch")) {
                System.out.println("  [" + tag + "] batches of " + BATCH + ", closed loop, " + o.batchConcurrency()
                        + " connections ...");
                batch = load.closedLoop(batches, o.batchConcurrency(), o.warmup(), o.measure());
                result.put(label + "batch_events_per_s", Math.round(batch.requestsPerSecond() * BATCH))
                        .put(label + "batch_requests_per_s", Math.round(batch.requestsPerSecond()));
                putLatencies(result, label + "batch", batch);
                putCpu(result, label + "batch", batch, BATCH);
                errors += batch.errors();
            }
            if (openLoop) {
                long dropped = 0;
                if (single != null) {
                    double rate = o.halfLoadRate() > 0 ? o.halfLoadRate() : single.requestsPerSecond() / 2;
                    System.out.printf("  single events, open loop at %.0f req/s ...%n", rate);
                    HttpLoad.Phase open =
                            load.openLoop(singles, rate, 4 * o.concurrency(), Duration.ofSeconds(2), o.measure());
                    result.put("single_half_load_req_per_s", Math.round(open.requestsPerSecond()));
                    putLatencies(result, "single_half_load", open);
                    putCpu(result, "single_half_load", open, 1);
                    dropped += open.dropped();
                    errors += open.errors();
                }
                if (batch != null) {
                    double rate = batch.requestsPerSecond() / 2;
                    System.out.printf("  batches, open loop at %.0f req/s ...%n", rate);
                    HttpLoad.Phase open =
                            load.openLoop(batches, rate, 4 * o.batchConcurrency(), Duration.ofSeconds(2), o.measure());
                    result.put("batch_half_load_events_per_s", Math.round(open.requestsPerSecond() * BATCH));
                    putLatencies(result, "batch_half_load", open);
                    putCpu(result, "batch_half_load", open, BATCH);
                    dropped += open.dropped();
                    errors += open.errors();
                }
                result.put("open_loop_dropped", dropped);
            }
            result.put(label + "errors", errors);
            return load.acceptedEvents();
        }
    }

    /**
     * CPU microseconds per event (per request for single events) of each part, and how many of the machine's cores
     * the whole JVM plus an out-of-JVM broker kept busy during the phase.
     */
    static void putCpu(BenchmarkResult result, String prefix, HttpLoad.Phase phase, int eventsPerRequest) {
        CpuMeter.Reading c = phase.cpu();
        double events = Math.max(1, phase.requests() * (double) eventsPerRequest);
        long broker = c.broker() + c.brokerProcess();
        result.put(prefix + "_cpu_us_client", Math.round(c.client() / 1e3 / events))
                .put(prefix + "_cpu_us_gateway", Math.round(c.gateway() / 1e3 / events))
                .put(prefix + "_cpu_us_broker", Math.round(broker / 1e3 / events))
                .put(prefix + "_cpu_us_jvm_gc_jit", Math.round(c.otherJvm() / 1e3 / events))
                .put(
                        prefix + "_cores_busy",
                        Math.round((c.client() + c.gateway() + broker + c.otherJvm()) / (double) c.wallNanos() * 100)
                                / 100.0)
                .put(
                        prefix + "_threads_waiting_for_cpu",
                        Math.round(c.runQueueWait() / (double) c.wallNanos() * 100) / 100.0)
                .put(prefix + "_alloc_kb_gateway", Math.round(c.gatewayAllocated() / 1024.0 / events * 10) / 10.0)
                .put(prefix + "_alloc_kb_broker", Math.round(c.brokerAllocated() / 1024.0 / events * 10) / 10.0)
                .put(prefix + "_jit_compiling_share", Math.round(c.jitMillis() * 1e6 / c.wallNanos() * 100) / 100.0);
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
        LoadGenerator gen =
                new LoadGenerator(seed, 10_000, Instant.now().minus(Duration.ofMinutes(30)), Duration.ofMillis(1));
        List<ObjectNode> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ObjectNode e = (ObjectNode) CanonicalJson.toTree(gen.next());
            int size = e.toString().length();
            ObjectNode context = e.get("context") instanceof ObjectNode c ? c : e.putObject("context");
            ObjectNode attributes =
                    context.get("attributes") instanceof ObjectNode a ? a : context.putObject("attributes");
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
            admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get(topic)
                    .partitions()
                    .forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(r -> r.offset())
                    .sum();
        }
    }

    /**
     * Standalone run: starts a one-node KRaft broker in this JVM unless {@code --bootstrap} is given. With
     * {@code --record false} the figures are only printed (exploratory runs), not appended to docs/benchmarks.md and
     * benchmarks/results/results.jsonl.
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        if (!"false".equals(options.remove("record"))) {
            BenchmarkRunner.main(BenchmarkRunner.only("gateway", args));
            return;
        }
        String bootstrap = options.remove("bootstrap");
        KafkaClusterTestKit cluster = null;
        try {
            if (bootstrap == null) {
                cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                                .setCombined(true)
                                .setNumBrokerNodes(1)
                                .setNumControllerNodes(1)
                                .build())
                        .setConfigProp("auto.create.topics.enable", "false")
                        .build();
                cluster.format();
                cluster.startup();
                cluster.waitForReadyBrokers();
                bootstrap = cluster.bootstrapServers();
            }
            BenchmarkResult result = new GatewayBenchmark().run(new BenchmarkContext(bootstrap, options));
            result.figures().forEach((k, v) -> System.out.printf("  %-36s %s%n", k, v));
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }
}
