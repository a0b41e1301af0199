package io.quintet.benchmarks.sink;

import io.quintet.audit.AuditChainer;
import io.quintet.audit.AuditState;
import io.quintet.audit.chain.ChainExtensions;
import io.quintet.audit.chain.HashChain;
import io.quintet.audit.checkpoint.CheckpointBuilder;
import io.quintet.audit.checkpoint.CheckpointPolicy;
import io.quintet.audit.keys.CheckpointSigner;
import io.quintet.audit.keys.Ed25519;
import io.quintet.audit.keys.HmacKeyring;
import io.quintet.audit.keys.PublicKeySet;
import io.quintet.audit.verify.ChainVerifier;
import io.quintet.audit.verify.CheckpointRecord;
import io.quintet.audit.verify.Position;
import io.quintet.audit.verify.VerificationReport;
import io.quintet.benchmarks.Benchmark;
import io.quintet.benchmarks.BenchmarkContext;
import io.quintet.benchmarks.BenchmarkResult;
import io.quintet.benchmarks.BenchmarkRunner;
import io.quintet.benchmarks.Gc;
import io.quintet.benchmarks.Jit;
import io.quintet.benchmarks.Machine;
import io.quintet.benchmarks.ThreadCpu;
import io.quintet.demo.LoadGenerator;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.sink.app.AnalyticsSink;
import io.quintet.sink.app.SinkListener;
import io.quintet.sink.app.SinkStats;
import io.quintet.sink.config.CatalogFactory;
import io.quintet.sink.config.SinkConfig;
import io.quintet.sink.verify.TableChainSource;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Analytics sink throughput: rows/s from a pre-filled {@code events.canonical} topic to committed Iceberg snapshots
 * (embedded SQLite catalog, Parquet on the local disk), with files and bytes per batch and the time spent writing
 * and committing each batch. The topic is filled before the clock starts.
 * Options: {@code --events} (default 200000), {@code --partitions} (6), {@code --batch-records} (50000),
 * {@code --event-span-ms} (1 day), {@code --max-age-ms} (30000), {@code --max-poll-records} (5000), {@code --seed} (42),
 * {@code --warehouse} (a temporary directory, removed afterwards), {@code --warmup-events} (the batch size: a first,
 * unmeasured sink over its own topic and table, so that the measured run is JIT-compiled), {@code --warmup-rounds}
 * (2 such sinks; then, once the measured topic is filled, a wait of at most {@code --jit-settle-seconds}, 60, until the JIT compilers are nearly idle;
 * {@code jit_ms} is the compilation time inside the measured run), {@code --chained} (false; true: the events carry
 * audit chain extensions, as the enricher writes them, so the sink also stores the chain columns and
 * {@code event_json}; after the run the table is verified against the checkpoints and the verification rate is
 * reported).
 * Standalone: {@code SinkBenchmark.main} starts an in-JVM broker unless {@code --bootstrap host:port} is given.
 */
public final class SinkBenchmark implements Benchmark {

    @Override
    public String name() {
        return "sink";
    }

    @Override
    public String description() {
        return "analytics sink: rows/s from a pre-filled topic to committed Iceberg snapshots, files and bytes per batch";
    }

    @Override
    public BenchmarkResult run(BenchmarkContext ctx) throws Exception {
        int events = ctx.intOption("events", 200_000);
        // whole batches, so that the warm-up's batches close on their count as the measured ones do, not on age
        int warmup = ctx.intOption("warmup-events", ctx.intOption("batch-records", 50_000));
        int rounds = ctx.intOption("warmup-rounds", 2);
        boolean chained = Boolean.parseBoolean(ctx.option("chained", "false"));
        if (warmup > 0 && rounds > 0) {
            // sinks on their own topics and tables first, so that the measured one runs JIT-compiled code, as a
            // long-running sink does: with one round of one batch, C2 was still compiling inside the measured run,
            // mostly the once-per-batch sort, which only runs once a batch is complete
            for (int i = 1; i <= rounds; i++) {
                BenchmarkResult w = measure(ctx, warmup, chained, 0);
                System.out.println("warm-up " + i + "/" + rounds + " (not reported): " + w.figures());
            }
        }
        return measure(ctx, events, chained, warmup > 0 && rounds > 0 ? ctx.intOption("jit-settle-seconds", 60) : 0)
                .put("warmup_events", warmup)
                .put("warmup_rounds", rounds);
    }

    /** @param settleSeconds at most this long, after filling the topic, wait for the JIT compilers to be nearly idle */
    private BenchmarkResult measure(BenchmarkContext ctx, int events, boolean chained, int settleSeconds)
            throws Exception {
        int partitions = ctx.intOption("partitions", 6);
        int batchRecords = ctx.intOption("batch-records", 50_000);
        long seed = ctx.longOption("seed", 42);
        String prefix = "bench.sink." + System.currentTimeMillis() + ".";
        String topic = prefix + "events.canonical";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ctx.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            awaitTopic(admin, topic, partitions);
        }
        Chaining chaining = chained ? new Chaining(topic) : null;
        long topicBytes = fill(ctx.bootstrapServers(), topic, events, seed, partitions, chaining);
        // filling the topic compiles producer and broker code too; let that finish before the clock starts
        long settlingJitMs = settleSeconds > 0 ? Jit.awaitSettled(settleSeconds) : 0;

        boolean tempWarehouse = !ctx.options().containsKey("warehouse");
        Path warehouse = tempWarehouse ? Files.createTempDirectory("sink-bench") : Path.of(ctx.option("warehouse", ""));
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put(SinkConfig.BOOTSTRAP_SERVERS, ctx.bootstrapServers());
        raw.put(SinkConfig.TOPIC_PREFIX, prefix);
        raw.put(SinkConfig.GROUP_ID, prefix + "sink");
        raw.put(SinkConfig.INSTANCE_ID, "bench");
        raw.put(SinkConfig.WAREHOUSE, warehouse.toString());
        raw.put(SinkConfig.TABLE_NAME, "events_" + System.currentTimeMillis());
        raw.put(SinkConfig.BATCH_MAX_RECORDS, String.valueOf(batchRecords));
        raw.put(SinkConfig.BATCH_MAX_AGE_MS, ctx.option("max-age-ms", "30000"));
        // the generated events are 20 ms apart in event time: a 5-minute span would cut 15,000-row batches
        raw.put(
                SinkConfig.BATCH_MAX_EVENT_TIME_SPAN_MS,
                ctx.option("event-span-ms", String.valueOf(Duration.ofDays(1).toMillis())));
        raw.put("kafka.client.max.poll.records", ctx.option("max-poll-records", "5000"));
        raw.put(SinkConfig.POLL_TIMEOUT_MS, "100");
        SinkConfig config = SinkConfig.fromRaw(raw);

        Timings timings = new Timings();
        Catalog catalog = CatalogFactory.create(config);
        AnalyticsSink sink = new AnalyticsSink(config, catalog, timings);
        ThreadCpu sinkThreads = new ThreadCpu(SinkBenchmark::isSinkThread);
        ThreadCpu javaThreads = new ThreadCpu(name -> true);
        long sinkCpuAtStart = sinkThreads.nanos();
        long javaThreadsCpuAtStart = javaThreads.nanos();
        long start = System.nanoTime();
        long processCpuAtStart = ThreadCpu.processNanos();
        long gcAtStart = Gc.millis();
        long jitAtStart = Jit.millis();
        CompletableFuture<Void> running = new CompletableFuture<>();
        Thread sinkThread = new Thread(
                () -> {
                    try {
                        sink.run();
                        running.complete(null);
                    } catch (Throwable t) {
                        running.completeExceptionally(t);
                    }
                },
                "sink-bench");
        sinkThread.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
            while (sink.stats().snapshot().rowsCommitted() < events && !running.isDone()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("sink did not commit " + events + " rows in 30 minutes");
                }
                Thread.sleep(20);
            }
            long end = timings.lastCommitNanos.get();
            long cpuNanos = sinkThreads.nanos() - sinkCpuAtStart; // what the sink costs, whatever else runs
            long processCpu = ThreadCpu.processNanos() - processCpuAtStart;
            long javaThreadsCpu = javaThreads.nanos() - javaThreadsCpuAtStart;
            long gcMs = Gc.millis() - gcAtStart;
            long jitMs = Jit.millis() - jitAtStart;
            sink.stop();
            running.get(60, TimeUnit.SECONDS);
            SinkStats.Snapshot stats = sink.stats().snapshot();
            Map<String, Object> verification = chaining == null
                    ? Map.of()
                    : chaining.verify(catalog.loadTable(AnalyticsSink.tableIdentifier(config)));
            double total = (end - start) / 1e9;
            double afterFirstBatch = (end - timings.firstCommitNanos.get()) / 1e9;
            long rowsAfterFirstBatch = stats.rowsCommitted() - timings.firstBatchRows.get();
            long batches = stats.batchesCommitted();
            BenchmarkResult result = new BenchmarkResult(name())
                    .put("events", events)
                    .put("chained", chained)
                    .put("rows_committed", stats.rowsCommitted())
                    .put("rows_per_s", Math.round(stats.rowsCommitted() / total))
                    .put("seconds_total_incl_group_join", Math.round(total * 100) / 100.0)
                    .put("rows_per_s_after_first_batch", Math.round(rowsAfterFirstBatch / afterFirstBatch))
                    .put("sink_cpu_s", Math.round(cpuNanos / 1e7) / 100.0)
                    .put("rows_per_cpu_s", Math.round(stats.rowsCommitted() / (cpuNanos / 1e9)))
                    .put("jvm_cpu_s_incl_broker_gc", Math.round(processCpu / 1e7) / 100.0)
                    .put("other_java_threads_cpu_s", Math.round((javaThreadsCpu - cpuNanos) / 1e7) / 100.0)
                    .put("gc_jit_vm_cpu_s", Math.round((processCpu - javaThreadsCpu) / 1e7) / 100.0)
                    .put("gc_pause_s", Math.round(gcMs / 10.0) / 100.0)
                    .put("jit_ms", jitMs)
                    .put("jit_ms_while_settling", settlingJitMs)
                    .put("topic_mb", Math.round(topicBytes / 1e5) / 10.0)
                    .put("batches", batches)
                    .put("rows_per_batch", stats.rowsCommitted() / Math.max(1, batches))
                    .put("files_per_batch", Math.round(stats.filesCommitted() * 10.0 / Math.max(1, batches)) / 10.0)
                    .put(
                            "file_mb_per_batch",
                            Math.round(stats.fileBytesCommitted() / 1e5 / Math.max(1, batches)) / 10.0)
                    .put("avg_file_kb", stats.fileBytesCommitted() / Math.max(1, stats.filesCommitted()) / 1024)
                    .put("bytes_per_row_parquet", stats.fileBytesCommitted() / Math.max(1, stats.rowsCommitted()))
                    .put("write_ms_p50", timings.write.getValueAtPercentile(50))
                    .put("write_ms_max", timings.write.getMaxValue())
                    .put("commit_ms_p50", timings.commit.getValueAtPercentile(50))
                    .put("commit_ms_max", timings.commit.getMaxValue());
            verification.forEach(result::put);
            return result;
        } finally {
            sink.stop();
            if (catalog instanceof Closeable c) {
                c.close();
            }
            if (tempWarehouse) {
                Machine.deleteTree(warehouse);
            }
        }
    }

    /** Waits until every partition of a new topic has a leader that answers (metadata spreads asynchronously). */
    private static void awaitTopic(Admin admin, String topic, int partitions) throws Exception {
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> all = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            all.put(
                    new org.apache.kafka.common.TopicPartition(topic, p),
                    org.apache.kafka.clients.admin.OffsetSpec.latest());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                admin.listOffsets(all).all().get(60, TimeUnit.SECONDS);
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.RetriableException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /** The sink's own threads: the consumer loop (runs {@code sink.run()}), the decoders and the writer thread. */
    private static boolean isSinkThread(String name) {
        return name.equals("sink-bench") || name.startsWith("sink-decoder-") || name.startsWith("sink-writer-");
    }

    /** The audit chain as the enricher applies it (fresh keys), and the verification of the table afterwards. */
    private static final class Chaining {
        private final String log;
        private final HmacKeyring hmac = HmacKeyring.of("bench", Map.of("bench", HmacKeyring.generateKey()));
        private final PublicKeySet publicKeys;
        private final AuditChainer chainer;
        private final Map<Integer, AuditState> states = new HashMap<>();
        private final List<CheckpointRecord> checkpoints = new ArrayList<>();

        Chaining(String log) {
            this.log = log;
            KeyPair kp = Ed25519.generate();
            this.publicKeys = PublicKeySet.empty().with("ck-bench", kp.getPublic());
            this.chainer = new AuditChainer(
                    new HashChain(hmac),
                    new CheckpointBuilder(
                            log,
                            new CheckpointSigner("ck-bench", kp.getPrivate()),
                            CheckpointPolicy.of(1000, Duration.ofHours(1))));
        }

        void chain(ProducerRecord<String, CanonicalEvent> record) {
            int p = record.partition();
            AuditChainer.Appended a = chainer.append(states.get(p), p, record.value(), System.currentTimeMillis());
            states.put(p, a.state());
            a.checkpoint()
                    .ifPresent(c -> checkpoints.add(CheckpointRecord.parse(
                            Position.offset(checkpoints.size()), c.toJson().getBytes(StandardCharsets.UTF_8))));
            ChainExtensions.writeHeaders(record.headers(), a.link());
        }

        Map<String, Object> verify(org.apache.iceberg.Table table) throws IOException {
            long start = System.nanoTime();
            VerificationReport report = new ChainVerifier(log, publicKeys, hmac, true)
                    .verify(new TableChainSource(table, null, true), checkpoints);
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("verify_clean", report.clean());
            out.put("verify_rows", report.events());
            out.put("verify_s", Math.round(seconds * 100) / 100.0);
            out.put("verify_rows_per_s", Math.round(report.events() / seconds));
            out.put("checkpoints", checkpoints.size());
            return out;
        }
    }

    /**
     * Fills the topic with realistic canonical events (pseudonymous actor ids, no client IP), chained when
     * {@code chaining} is given (partition by key hash, as the enricher's chain step keeps keys in one partition);
     * returns bytes sent.
     */
    static long fill(String bootstrap, String topic, int events, long seed, int partitions, Chaining chaining)
            throws Exception {
        LoadGenerator gen =
                new LoadGenerator(seed, 10_000, Instant.parse("2026-11-02T08:00:00Z"), Duration.ofMillis(20));
        AtomicLong bytes = new AtomicLong();
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                20,
                ProducerConfig.BATCH_SIZE_CONFIG,
                512 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG,
                "lz4");
        try (KafkaProducer<String, CanonicalEvent> producer =
                new KafkaProducer<>(props, new StringSerializer(), new CloudEventSerde().serializer())) {
            for (int i = 0; i < events; i++) {
                CanonicalEvent e = canonical(gen.next());
                ProducerRecord<String, CanonicalEvent> record;
                if (chaining != null) {
                    record = new ProducerRecord<>(
                            topic,
                            Math.floorMod(e.actor().id().hashCode(), partitions),
                            e.actor().id(),
                            e);
                    chaining.chain(record);
                } else {
                    record = new ProducerRecord<>(topic, e.actor().id(), e);
                }
                producer.send(record, (md, ex) -> {
                    if (ex != null) {
                        throw new IllegalStateException("pre-filling the topic failed", ex);
                    }
                    bytes.addAndGet(md.serializedValueSize());
                });
            }
            producer.flush();
        }
        return bytes.get();
    }

    /** What the enricher would publish: the actor id replaced by a pseudonym, no client IP, no actor details. */
    private static CanonicalEvent canonical(CanonicalEvent raw) {
        String pseudonym = "psn-" + Integer.toHexString(raw.actor().id().hashCode());
        CanonicalEvent.Builder b = raw.toBuilder()
                .actor(raw.actor().withId(pseudonym).withPseudonym(pseudonym).withDetails(null));
        Context c = raw.context();
        if (c != null && c.client() != null) {
            b.context(c.withClient(c.client().withIpAddress(null)));
        }
        return b.build();
    }

    /** Per-batch write and commit durations (ms), from the sink's own batch events. */
    private static final class Timings implements SinkListener {
        final Histogram write = new Histogram(3_600_000, 3);
        final Histogram commit = new Histogram(3_600_000, 3);
        final AtomicLong firstCommitNanos = new AtomicLong();
        final AtomicLong firstBatchRows = new AtomicLong();
        final AtomicLong lastCommitNanos = new AtomicLong();
        private long closingAt;
        private long writtenAt;

        @Override
        public void batchClosing(BatchInfo batch) {
            closingAt = System.nanoTime();
        }

        @Override
        public void filesWritten(BatchInfo batch, List<DataFile> files) {
            writtenAt = System.nanoTime();
            write.recordValue(TimeUnit.NANOSECONDS.toMillis(writtenAt - closingAt));
        }

        @Override
        public void batchCommitted(BatchInfo batch, long snapshotId) {
            long now = System.nanoTime();
            commit.recordValue(TimeUnit.NANOSECONDS.toMillis(now - writtenAt));
            lastCommitNanos.set(now);
            if (firstCommitNanos.compareAndSet(0, now)) {
                firstBatchRows.set(batch.rows());
            }
        }
    }

    /** Standalone run: {@code [--bootstrap host:port] [--events N] ...}; prints the figures. */
    public static void main(String[] args) throws Exception {
        BenchmarkRunner.main(BenchmarkRunner.only("sink", args));
    }
}
