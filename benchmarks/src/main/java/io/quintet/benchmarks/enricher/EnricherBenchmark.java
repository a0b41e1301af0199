package io.quintet.benchmarks.enricher;

import io.quintet.benchmarks.BenchClients;
import io.quintet.benchmarks.Benchmark;
import io.quintet.benchmarks.BenchmarkContext;
import io.quintet.benchmarks.BenchmarkResult;
import io.quintet.benchmarks.BenchmarkRunner;
import io.quintet.benchmarks.Gc;
import io.quintet.benchmarks.Jit;
import io.quintet.benchmarks.Machine;
import io.quintet.benchmarks.ThreadCpu;
import io.quintet.demo.LoadGenerator;
import io.quintet.enricher.EnricherApp;
import io.quintet.enricher.EnricherConfig;
import io.quintet.enricher.EnricherTopology;
import io.quintet.enricher.privacy.PrivacyStep;
import io.quintet.enricher.privacy.Pseudonymization;
import io.quintet.enricher.telemetry.EnricherTelemetry;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.support.streams.OneFlushPerCommitClientSupplier;
import io.quintet.support.topics.TopicsTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The enricher against an identity topology, same input, same guarantee (exactly_once_v2), same broker, same run:
 * <ol>
 *   <li>throughput: the same pre-produced backlog of realistic CloudEvents ({@link LoadGenerator}) is drained by an
 *       identity topology (bytes in, bytes out), by the enricher with the privacy step disabled, and by the enricher
 *       as deployed (privacy on); events/s from RUNNING until the last output is visible with read_committed;
 *       ratio = enricher / identity, privacy_on_off_ratio = privacy on / off; the apps without and with privacy
 *       then drain the same persons' next {@code --events} events again, still running, their vaults and caches
 *       warm ({@code warm_*}: no person is new to the vault, as in a service that has run a while);
 *       privacy_cpu_ratio and warm_privacy_cpu_ratio = CPU per event as deployed / without privacy;</li>
 *   <li>latency: the enricher keeps running while events are produced at a fixed rate; produce -> visible in
 *       events.canonical with read_committed, p50/p99; for each second of sending, the largest latency of the
 *       events sent in it ({@code latency_max_ms_by_send_second}, which shows whether the tail is a steady queue or
 *       bursts), and the JIT and garbage-collection time of the whole JVM (broker included) from the start of the
 *       phase, its load generation included ({@code latency_jit_ms}, {@code latency_gc_ms}).</li>
 * </ol>
 * A warm-up comes first: each of the three apps drains {@code --warmup} events of other topics, then the harness waits
 * (at most {@code --jit-settle-seconds}, 90) until the JIT compilers are nearly idle, so that compilation does not
 * take a core away from the measured phases; each phase reports the JIT time spent during it ({@code *_jit_ms}). Options: {@code --events} (100000), {@code --warmup} (120000 per app), {@code --rate} (5000 events/s), {@code --latency-seconds} (20),
 * {@code --partitions} (6), {@code --threads} (1), {@code --commit-ms} (100), {@code --seed} (42),
 * {@code --producer-inflight} (1; the Streams producers' max.in.flight.requests.per.connection, every app),
 * {@code --streams k=v,k=v} (extra Kafka Streams / client settings for both apps), {@code --privacy} (true; false runs
 * only the identity and the enricher without privacy, no latency phase), {@code --vault-refresh-ms} (0; the deployed
 * enricher's {@code privacy.vault.refresh.ms}).
 * Besides events/s, each drain reports the CPU time of the application's own threads per event (stream threads,
 * their producers' network threads; not the broker), which other work on the machine does not inflate the way it
 * does wall-clock rates; {@code cpu_ratio} = identity CPU per event / enricher CPU per event.
 * Standalone: {@code java ... io.quintet.benchmarks.enricher.EnricherBenchmark [--bootstrap H:P] [--key value ...]}.
 */
public final class EnricherBenchmark implements Benchmark {

    @Override
    public String name() {
        return "enricher";
    }

    @Override
    public String description() {
        return "enricher vs identity topology (exactly_once_v2): throughput ratio, produce-to-canonical latency";
    }

    @Override
    public BenchmarkResult run(BenchmarkContext ctx) throws Exception {
        Path state = Files.createTempDirectory("bench-enricher-state"); // the apps' state stores, gone after the run
        try {
            return run(ctx, state);
        } finally {
            Machine.deleteTree(state);
        }
    }

    private BenchmarkResult run(BenchmarkContext ctx, Path state) throws Exception {
        EnricherApp.useUsFormatLocale(); // as the deployed enricher's main does (the identity topology formats nothing)
        int events = ctx.intOption("events", 100_000);
        int warmup = ctx.intOption("warmup", 120_000);
        int rate = ctx.intOption("rate", 5_000);
        int latencySeconds = ctx.intOption("latency-seconds", 20);
        int partitions = ctx.intOption("partitions", 6);
        int threads = ctx.intOption("threads", 1);
        long commitMs = ctx.longOption("commit-ms", 100);
        long seed = ctx.longOption("seed", 42);
        String run = Long.toHexString(System.currentTimeMillis());
        double loadStart = loadAverage();
        boolean privacyRun = Boolean.parseBoolean(ctx.option("privacy", "true"));
        TopicCatalogue identityTopics = TopicCatalogue.of("bench-identity-" + run + ".", partitions, (short) 1);
        TopicCatalogue plainTopics = TopicCatalogue.of("bench-plain-" + run + ".", partitions, (short) 1);
        TopicCatalogue enricherTopics = TopicCatalogue.of("bench-enricher-" + run + ".", partitions, (short) 1);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ctx.bootstrapServers()))) {
            TopicsTool.ensure(admin, identityTopics, false);
            TopicsTool.ensure(admin, plainTopics, false);
            TopicsTool.ensure(admin, enricherTopics, false);
        }

        LoadGenerator gen =
                new LoadGenerator(seed, 10_000, Instant.parse("2026-11-02T08:00:00Z"), Duration.ofMillis(20));
        List<Encoded> backlog = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            backlog.add(Encoded.of(gen.next()));
        }
        // the same persons' next events, drained again by the privacy-off and the deployed app once their cold
        // drain is done: the vault knows everybody (no registrations), as in a service that has run a while
        List<Encoded> warmBacklog = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            warmBacklog.add(Encoded.of(gen.next()));
        }
        try (KafkaProducer<String, byte[]> producer = BenchClients.producer(ctx.bootstrapServers())) {
            for (Encoded e : backlog) {
                producer.send(e.record(identityTopics.name(TopicCatalogue.EVENTS_RAW)));
                producer.send(e.record(plainTopics.name(TopicCatalogue.EVENTS_RAW)));
                producer.send(e.record(enricherTopics.name(TopicCatalogue.EVENTS_RAW)));
            }
            producer.flush();
        }

        long settledJitMs = -1;
        if (warmup > 0) { // JIT warm-up of all three apps' code (JSON, schema, crypto, stores, clients); not measured
            warmUp(ctx, run, "identity", warmup, seed, partitions, state, threads, commitMs);
            warmUp(ctx, run, "plain", warmup, seed, partitions, state, threads, commitMs);
            warmUp(ctx, run, "enricher", warmup, seed, partitions, state, threads, commitMs);
            settledJitMs = Jit.awaitSettled(ctx.intOption("jit-settle-seconds", 90));
        }
        Drained identityRun = drainMeasured(
                ctx.bootstrapServers(),
                identity(identityTopics),
                props(ctx, "bench-identity-" + run, identityTopics, state.resolve("identity"), threads, commitMs),
                identityTopics.name(TopicCatalogue.EVENTS_CANONICAL),
                events,
                null);
        double identityEps = identityRun.eventsPerSecond();

        EnricherTelemetry telemetry = EnricherTelemetry.noop();
        EnricherConfig plainConfig =
                config(ctx, "bench-plain-" + run, plainTopics, state.resolve("plain"), threads, commitMs);
        Drained[] plainWarm = new Drained[1];
        Drained plainRun = drainMeasured(
                ctx.bootstrapServers(),
                EnricherTopology.buildTopology(plainConfig.settings(), telemetry, PrivacyStep.disabled()),
                plainConfig.streamsProperties(),
                plainTopics.name(TopicCatalogue.EVENTS_CANONICAL),
                events,
                privacyRun // the warm drain is compared with the deployed app's: without privacy runs, none
                        ? streams -> plainWarm[0] =
                                drainAgain(ctx.bootstrapServers(), "bench-plain-" + run, plainTopics, warmBacklog)
                        : null);
        double plainEps = plainRun.eventsPerSecond();

        BenchmarkResult result = new BenchmarkResult(name())
                .put("events", events)
                .put("warmup_events_per_app", warmup)
                .put("jit_ms_while_settling", settledJitMs)
                .put("load_average_start", loadStart)
                .put("identity_events_per_s", Math.round(identityEps))
                .put("enricher_no_privacy_events_per_s", Math.round(plainEps))
                .put("identity_cpu_us_per_event", Math.round(identityRun.cpuMicrosPerEvent() * 10) / 10.0)
                .put("identity_jit_ms", identityRun.jitMillis())
                .put("enricher_no_privacy_cpu_us_per_event", Math.round(plainRun.cpuMicrosPerEvent() * 10) / 10.0)
                .put("enricher_no_privacy_jit_ms", plainRun.jitMillis());
        if (!privacyRun) {
            return result.put("ratio_no_privacy", Math.round(plainEps / identityEps * 100) / 100.0)
                    .put(
                            "cpu_ratio_no_privacy",
                            Math.round(identityRun.cpuMicrosPerEvent() / plainRun.cpuMicrosPerEvent() * 100) / 100.0)
                    .put("load_average_end", loadAverage())
                    .put("partitions", partitions)
                    .put("threads", threads)
                    .put("commit_ms", commitMs);
        }
        EnricherConfig enricherConfig =
                config(ctx, "bench-enricher-" + run, enricherTopics, state.resolve("enricher"), threads, commitMs);
        Properties enricherProps = enricherConfig.streamsProperties();
        Topology enricher = EnricherTopology.buildTopology(
                enricherConfig.settings(),
                telemetry,
                new Pseudonymization(enricherConfig.privacy().orElseThrow(), enricherTopics));
        Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        long[] latencyCounts = new long[4];
        long[] maxBySecond = new long[latencySeconds];
        Drained[] enricherWarm = new Drained[1];
        Drained enricherRun = drainMeasured(
                ctx.bootstrapServers(),
                enricher,
                enricherProps,
                enricherTopics.name(TopicCatalogue.EVENTS_CANONICAL),
                events,
                streams -> {
                    enricherWarm[0] =
                            drainAgain(ctx.bootstrapServers(), "bench-enricher-" + run, enricherTopics, warmBacklog);
                    latencyCounts[0] = measureLatency(
                            ctx.bootstrapServers(),
                            enricherTopics,
                            gen,
                            rate,
                            latencySeconds,
                            latency,
                            latencyCounts,
                            maxBySecond);
                });
        double enricherEps = enricherRun.eventsPerSecond();

        long dlq = count(ctx.bootstrapServers(), enricherTopics.name(TopicCatalogue.EVENTS_DLQ));
        return result.put("enricher_events_per_s", Math.round(enricherEps))
                .put("ratio", Math.round(enricherEps / identityEps * 100) / 100.0)
                .put("privacy_on_off_ratio", Math.round(enricherEps / plainEps * 100) / 100.0)
                // CPU per event, as deployed / privacy off (the privacy figure; the ratio above is events/s)
                .put(
                        "privacy_cpu_ratio",
                        Math.round(enricherRun.cpuMicrosPerEvent() / plainRun.cpuMicrosPerEvent() * 100) / 100.0)
                .put(
                        "warm_enricher_no_privacy_cpu_us_per_event",
                        Math.round(plainWarm[0].cpuMicrosPerEvent() * 10) / 10.0)
                .put("warm_enricher_cpu_us_per_event", Math.round(enricherWarm[0].cpuMicrosPerEvent() * 10) / 10.0)
                .put(
                        "warm_privacy_cpu_ratio",
                        Math.round(enricherWarm[0].cpuMicrosPerEvent() / plainWarm[0].cpuMicrosPerEvent() * 100)
                                / 100.0)
                .put(
                        "warm_cpu_ratio",
                        Math.round(identityRun.cpuMicrosPerEvent() / enricherWarm[0].cpuMicrosPerEvent() * 100) / 100.0)
                .put("enricher_cpu_us_per_event", Math.round(enricherRun.cpuMicrosPerEvent() * 10) / 10.0)
                .put("enricher_jit_ms", enricherRun.jitMillis())
                .put(
                        "cpu_ratio",
                        Math.round(identityRun.cpuMicrosPerEvent() / enricherRun.cpuMicrosPerEvent() * 100) / 100.0)
                .put("latency_rate_per_s", rate)
                .put("latency_events", latencyCounts[0])
                .put("latency_missing", latencyCounts[1])
                .put("latency_jit_ms", latencyCounts[2])
                .put("latency_gc_ms", latencyCounts[3])
                .latencies("produce_to_canonical", latency)
                .put(
                        "latency_max_ms_by_send_second",
                        Arrays.stream(maxBySecond)
                                .mapToObj(m -> Long.toString(m / 1000))
                                .collect(Collectors.joining(" ")))
                .put("dead_lettered", dlq)
                .put("load_average_end", loadAverage())
                .put("partitions", partitions)
                .put("threads", threads)
                .put("commit_ms", commitMs);
    }

    /**
     * Drains {@code events} warm-up events (other topics, other seed) through one of the three apps, so that the JIT
     * has compiled its code paths (and the broker's) before anything is measured.
     */
    private static void warmUp(
            BenchmarkContext ctx,
            String run,
            String app,
            int events,
            long seed,
            int partitions,
            Path state,
            int threads,
            long commitMs)
            throws Exception {
        String appId = "bench-warmup-" + app + "-" + run;
        TopicCatalogue topics = TopicCatalogue.of(appId + ".", partitions, (short) 1);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ctx.bootstrapServers()));
                KafkaProducer<String, byte[]> producer = BenchClients.producer(ctx.bootstrapServers())) {
            TopicsTool.ensure(admin, topics, false);
            LoadGenerator gen =
                    new LoadGenerator(seed + 1, 10_000, Instant.parse("2026-11-01T08:00:00Z"), Duration.ofMillis(20));
            for (int i = 0; i < events; i++) {
                producer.send(Encoded.of(gen.next()).record(topics.name(TopicCatalogue.EVENTS_RAW)));
            }
            producer.flush();
        }
        EnricherConfig config = config(ctx, appId, topics, state.resolve(appId), threads, commitMs);
        Topology topology = switch (app) {
            case "identity" -> identity(topics);
            case "plain" ->
                EnricherTopology.buildTopology(config.settings(), EnricherTelemetry.noop(), PrivacyStep.disabled());
            default ->
                EnricherTopology.buildTopology(
                        config.settings(),
                        EnricherTelemetry.noop(),
                        new Pseudonymization(config.privacy().orElseThrow(), topics));
        };
        drain(
                ctx.bootstrapServers(),
                topology,
                config.streamsProperties(),
                topics.name(TopicCatalogue.EVENTS_CANONICAL),
                events,
                null);
    }

    /** One raw record, serialized once (binary-mode CloudEvent). */
    record Encoded(String id, String key, byte[] value, Header[] headers) {
        static Encoded of(CanonicalEvent e) {
            RecordHeaders h = new RecordHeaders();
            byte[] v = new CloudEventSerde().serializer().serialize("events.raw", h, e);
            return new Encoded(e.id(), e.actor().id(), v, h.toArray());
        }

        ProducerRecord<String, byte[]> record(String topic) {
            return new ProducerRecord<>(topic, null, key, value, new RecordHeaders(headers));
        }
    }

    private static Topology identity(TopicCatalogue topics) {
        StreamsBuilder b = new StreamsBuilder();
        b.stream(
                        topics.name(TopicCatalogue.EVENTS_RAW),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("read"))
                .to(
                        topics.name(TopicCatalogue.EVENTS_CANONICAL),
                        Produced.with(Serdes.String(), Serdes.ByteArray()).withName("write"));
        return b.build();
    }

    private static EnricherConfig config(
            BenchmarkContext ctx, String appId, TopicCatalogue topics, Path state, int threads, long commitMs) {
        Map<String, String> m = new HashMap<>(Map.of(
                EnricherConfig.BOOTSTRAP, ctx.bootstrapServers(),
                EnricherConfig.APPLICATION_ID, appId,
                EnricherConfig.TOPIC_PREFIX, topics.prefix(),
                EnricherConfig.STATE_DIR, state.toString(),
                EnricherConfig.THREADS, String.valueOf(threads),
                EnricherConfig.COMMIT_INTERVAL, String.valueOf(commitMs)));
        m.put(EnricherConfig.MASTER_KEYS, BENCH_KEY);
        m.put(EnricherConfig.VAULT_REFRESH, ctx.option("vault-refresh-ms", "0"));
        // one request in flight per connection: with five, the in-JVM broker under load answered retried batches with
        // OutOfOrderSequenceException storms (transactions v2), which stalled the identity topology as much as the
        // enricher
        String inflight = ctx.option("producer-inflight", "1");
        if (inflight != null) {
            m.put("kafka.client.producer.max.in.flight.requests.per.connection", inflight);
        }
        for (String kv : ctx.option("streams", "").split(",")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                m.put(
                        "kafka.client." + kv.substring(0, eq).trim(),
                        kv.substring(eq + 1).trim());
            }
        }
        return EnricherConfig.of(m);
    }

    /** The enricher's own streams properties for every app, so the guarantee and tuning are identical. */
    private static Properties props(
            BenchmarkContext ctx, String appId, TopicCatalogue topics, Path state, int threads, long commitMs) {
        return config(ctx, appId, topics, state, threads, commitMs).streamsProperties();
    }

    /** A benchmark-only master key, generated per run (never a fixed key in code). */
    private static final String BENCH_KEY = "bench:" + io.quintet.enricher.privacy.Keyring.generateKey();

    /** What one drain measured: events/s from RUNNING, and the application's thread CPU per event over that time. */
    public record Drained(double eventsPerSecond, double cpuMicrosPerEvent, long jitMillis) {}

    /** Runs the app until {@code expected} records are visible (read_committed); events/s from RUNNING. */
    public static double drain(
            String bootstrap,
            Topology topology,
            Properties props,
            String output,
            int expected,
            java.util.function.Consumer<KafkaStreams> afterDrain)
            throws InterruptedException {
        return drainMeasured(bootstrap, topology, props, output, expected, afterDrain)
                .eventsPerSecond();
    }

    /**
     * Runs the app until {@code expected} records are visible (read_committed): events/s from RUNNING, and the CPU
     * time of the application's own threads (named after its application id) over the same interval per event.
     */
    public static Drained drainMeasured(
            String bootstrap,
            Topology topology,
            Properties props,
            String output,
            int expected,
            java.util.function.Consumer<KafkaStreams> afterDrain)
            throws InterruptedException {
        String applicationId = props.getProperty(org.apache.kafka.streams.StreamsConfig.APPLICATION_ID_CONFIG);
        ThreadCpu cpu = new ThreadCpu(thread -> thread.contains(applicationId));
        try (KafkaStreams streams = new KafkaStreams(topology, props, new OneFlushPerCommitClientSupplier());
                KafkaConsumer<byte[], byte[]> reader = BenchClients.readCommitted(bootstrap, output)) {
            CountDownLatch running = new CountDownLatch(1);
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING) {
                    running.countDown();
                }
            });
            streams.start();
            if (!running.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("streams did not start");
            }
            Drained drained = measure(cpu, reader, output, expected, () -> {});
            if (afterDrain != null) {
                afterDrain.accept(streams);
            }
            return drained;
        }
    }

    /**
     * Runs {@code start}, then polls {@code reader} until {@code expected} records are visible: events/s from before
     * {@code start}, the CPU of the app's threads ({@code cpu}) and the JIT time over that span.
     */
    private static Drained measure(
            ThreadCpu cpu, KafkaConsumer<byte[], byte[]> reader, String output, int expected, Runnable start) {
        long cpu0 = cpu.nanos();
        long jit0 = Jit.millis();
        long t0 = System.nanoTime();
        start.run();
        long seen = 0;
        long deadline = t0 + TimeUnit.MINUTES.toNanos(10);
        while (seen < expected && System.nanoTime() < deadline) {
            seen += reader.poll(Duration.ofMillis(100)).count();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long cpuNanos = cpu.nanos() - cpu0;
        long jit = Jit.millis() - jit0;
        if (seen < expected) {
            throw new IllegalStateException("only " + seen + " of " + expected + " records reached " + output);
        }
        return new Drained(expected / seconds, cpuNanos / 1000.0 / expected, jit);
    }

    /**
     * With the app still running after its drain: produces {@code backlog} to its events.raw and measures, as
     * {@link #drainMeasured} does, until that many more records are visible on its events.canonical.
     */
    private static Drained drainAgain(
            String bootstrap, String applicationId, TopicCatalogue topics, List<Encoded> backlog) {
        ThreadCpu cpu = new ThreadCpu(thread -> thread.contains(applicationId));
        try (KafkaConsumer<byte[], byte[]> reader =
                        BenchClients.readCommitted(bootstrap, topics.name(TopicCatalogue.EVENTS_CANONICAL));
                KafkaProducer<String, byte[]> producer = BenchClients.producer(bootstrap)) {
            long joined = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (reader.assignment().isEmpty() && System.nanoTime() < joined) {
                reader.poll(Duration.ofMillis(100)); // nothing new is produced yet: what arrives is the first drain's
            }
            if (reader.assignment().isEmpty()) {
                throw new IllegalStateException("the reader of the second drain got no partitions");
            }
            reader.seekToEnd(reader.assignment());
            reader.assignment().forEach(reader::position); // resolve the end offsets before anything new arrives
            String output = topics.name(TopicCatalogue.EVENTS_CANONICAL);
            return measure(cpu, reader, output, backlog.size(), () -> {
                for (Encoded e : backlog) {
                    producer.send(e.record(topics.name(TopicCatalogue.EVENTS_RAW)));
                }
                producer.flush();
            });
        }
    }

    /** Produces at a fixed rate while the enricher runs; records produce -> visible latency per event id. */
    private static long measureLatency(
            String bootstrap,
            TopicCatalogue topics,
            LoadGenerator gen,
            int rate,
            int seconds,
            Histogram histogram,
            long[] counts,
            long[] maxMicrosBySecond) {
        int total = rate * seconds;
        long[] start = {Long.MAX_VALUE};
        long jit0 = Jit.millis();
        long gc0 = Gc.millis();
        Map<String, Long> sentAt = new ConcurrentHashMap<>(total * 2);
        AtomicBoolean done = new AtomicBoolean();
        List<Encoded> load = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            load.add(Encoded.of(gen.next()));
        }
        long[] received = new long[1];
        Thread consumer = new Thread(
                () -> {
                    try (KafkaConsumer<byte[], byte[]> reader =
                            BenchClients.readCommitted(bootstrap, topics.name(TopicCatalogue.EVENTS_CANONICAL))) {
                        reader.poll(Duration.ofMillis(100));
                        reader.seekToEnd(reader.assignment());
                        long deadline = Long.MAX_VALUE;
                        while (received[0] < total && System.nanoTime() < deadline) {
                            for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(50))) {
                                long now = System.nanoTime();
                                Header id = r.headers().lastHeader("ce_id");
                                Long t = id == null
                                        ? null
                                        : sentAt.remove(new String(id.value(), StandardCharsets.UTF_8));
                                if (t != null) {
                                    long micros = Math.max(1, (now - t) / 1000);
                                    histogram.recordValue(micros);
                                    int second = (int) Math.min(
                                            maxMicrosBySecond.length - 1, Math.max(0, (t - start[0]) / 1_000_000_000L));
                                    maxMicrosBySecond[second] = Math.max(maxMicrosBySecond[second], micros);
                                    received[0]++;
                                }
                            }
                            if (done.get() && deadline == Long.MAX_VALUE) {
                                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                            }
                        }
                    }
                },
                "latency-reader");
        consumer.start();
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2)); // reader assigned and at the end
        try (KafkaProducer<String, byte[]> producer = BenchClients.producer(bootstrap)) {
            long interval = 1_000_000_000L / rate;
            long next = System.nanoTime();
            start[0] = next;
            String raw = topics.name(TopicCatalogue.EVENTS_RAW);
            for (Encoded e : load) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                sentAt.put(e.id(), System.nanoTime());
                producer.send(e.record(raw));
                next += interval;
            }
            producer.flush();
        }
        done.set(true);
        try {
            consumer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        counts[1] = total - received[0];
        counts[2] = Jit.millis() - jit0;
        counts[3] = Gc.millis() - gc0;
        return received[0];
    }

    /** The 1-minute load average (what else the machine ran), or -1 where /proc is not there. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long count(String bootstrap, String topic) {
        long n = 0;
        try (KafkaConsumer<byte[], byte[]> c = BenchClients.readCommitted(bootstrap, topic)) {
            long quiet = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < quiet) {
                n += c.poll(Duration.ofMillis(200)).count();
            }
        }
        return n;
    }

    /** Standalone entry point (the harness's {@code BenchmarkRunner} runs it too once registered there). */
    public static void main(String[] args) throws Exception {
        BenchmarkRunner.main(BenchmarkRunner.only("enricher", args));
    }
}
