package io.quintet.benchmarks.sink;

import io.quintet.benchmarks.Benchmark;
import io.quintet.benchmarks.BenchmarkContext;
import io.quintet.benchmarks.BenchmarkResult;
import io.quintet.benchmarks.Machine;
import io.quintet.benchmarks.ThreadCpu;
import io.quintet.model.ActionPattern;
import io.quintet.model.CanonicalEvent;
import io.quintet.sink.app.AnalyticsSink;
import io.quintet.sink.app.SinkListener;
import io.quintet.sink.config.CatalogFactory;
import io.quintet.sink.config.SinkConfig;
import io.quintet.sink.read.EventRange;
import io.quintet.sink.replay.Replay;
import io.quintet.sink.replay.ReplayMain;
import java.io.Closeable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.Producer;

/**
 * Replay from the warm store: a table of {@code --events} canonical events (the sink benchmark's generated day,
 * written by a real sink from a real topic), then the replay command's own code ({@link Replay} with the producer
 * {@code ReplayMain} builds) re-publishes the whole range into a new topic; events/s from the first row read to the
 * last acknowledgement. One unmeasured replay of the first 10 minutes first (JIT), then the whole range, then the
 * range with {@code --pattern} (default {@code billing.*}).
 */
public final class ReplayBenchmark implements Benchmark {

    @Override
    public String name() {
        return "replay";
    }

    @Override
    public String description() {
        return "warm store -> topic: the replay command re-publishing a range of the Iceberg table (events/s)";
    }

    @Override
    public BenchmarkResult run(BenchmarkContext ctx) throws Exception {
        int events = ctx.intOption("events", 200_000);
        int partitions = ctx.intOption("partitions", 6);
        String pattern = ctx.option("pattern", "billing.*");
        String prefix = "bench.replay." + System.currentTimeMillis() + ".";
        String source = prefix + "events.canonical";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ctx.bootstrapServers()))) {
            admin.createTopics(List.of(
                            new NewTopic(source, partitions, (short) 1),
                            new NewTopic(prefix + "warmup", partitions, (short) 1),
                            new NewTopic(prefix + "all", partitions, (short) 1),
                            new NewTopic(prefix + "pattern", partitions, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
        SinkBenchmark.fill(ctx.bootstrapServers(), source, events, ctx.longOption("seed", 42), partitions, null);

        Path warehouse = Files.createTempDirectory("replay-bench");
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put(SinkConfig.BOOTSTRAP_SERVERS, ctx.bootstrapServers());
        raw.put(SinkConfig.TOPIC_PREFIX, prefix);
        raw.put(SinkConfig.GROUP_ID, prefix + "sink");
        raw.put(SinkConfig.INSTANCE_ID, "bench");
        raw.put(SinkConfig.WAREHOUSE, warehouse.toString());
        raw.put(SinkConfig.BATCH_MAX_RECORDS, "100000");
        raw.put(SinkConfig.BATCH_MAX_AGE_MS, "5000");
        raw.put(
                SinkConfig.BATCH_MAX_EVENT_TIME_SPAN_MS,
                String.valueOf(Duration.ofDays(1).toMillis()));
        SinkConfig config = SinkConfig.fromRaw(raw);
        Catalog catalog = CatalogFactory.create(config);
        try {
            writeTable(config, catalog, events);
            Table table = catalog.loadTable(AnalyticsSink.tableIdentifier(config));
            Instant from = Instant.parse("2026-11-02T00:00:00Z");
            Instant to = Instant.parse("2026-11-03T00:00:00Z"); // the generator's day: 20 ms apart from 08:00
            try (Producer<String, CanonicalEvent> producer = ReplayMain.producer(ctx.bootstrapServers(), Map.of())) {
                Replay.run(
                        table,
                        new EventRange(
                                Instant.parse("2026-11-02T08:00:00Z"), Instant.parse("2026-11-02T08:10:00Z"), null),
                        producer,
                        prefix + "warmup");
                double load = Machine.loadAverage();
                long cpu = ThreadCpu.processNanos();
                Replay.Result all = Replay.run(table, new EventRange(from, to, null), producer, prefix + "all");
                long allCpu = ThreadCpu.processNanos() - cpu;
                cpu = ThreadCpu.processNanos();
                Replay.Result some = Replay.run(
                        table, new EventRange(from, to, ActionPattern.parse(pattern)), producer, prefix + "pattern");
                long someCpu = ThreadCpu.processNanos() - cpu;
                return new BenchmarkResult(name())
                        .put("events", events)
                        .put("load_avg_at_start", load)
                        .put("replayed", all.published())
                        .put("events_per_s", Math.round(all.eventsPerSecond()))
                        .put("seconds", Math.round(all.elapsed().toMillis() / 10.0) / 100.0)
                        .put("jvm_cpu_s_incl_broker", Math.round(allCpu / 1e7) / 100.0)
                        .put("pattern", pattern)
                        .put("pattern_rows_read", some.rowsRead())
                        .put("pattern_replayed", some.published())
                        .put("pattern_events_per_s", Math.round(some.eventsPerSecond()))
                        .put("pattern_seconds", Math.round(some.elapsed().toMillis() / 10.0) / 100.0)
                        .put("pattern_jvm_cpu_s_incl_broker", Math.round(someCpu / 1e7) / 100.0);
            }
        } finally {
            if (catalog instanceof Closeable c) {
                c.close();
            }
            Machine.deleteTree(warehouse);
        }
    }

    /** A real sink writes the topic into the table, until every event is committed. */
    private static void writeTable(SinkConfig config, Catalog catalog, int events) throws Exception {
        AnalyticsSink sink = new AnalyticsSink(config, catalog, SinkListener.NONE);
        CompletableFuture<Void> running = CompletableFuture.runAsync(sink::run);
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
            while (sink.stats().snapshot().rowsCommitted() < events) {
                if (running.isDone()) {
                    running.get();
                    throw new IllegalStateException("the sink stopped before committing " + events + " rows");
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the sink did not commit " + events + " rows in 20 minutes");
                }
                Thread.sleep(50);
            }
        } finally {
            sink.stop();
            running.get(60, TimeUnit.SECONDS);
        }
    }

    /** Standalone run: {@code [--bootstrap host:port] [--events N] [--pattern P]}; prints the figures. */
    public static void main(String[] args) throws Exception {
        io.quintet.benchmarks.BenchmarkRunner.main(io.quintet.benchmarks.BenchmarkRunner.only("replay", args));
    }
}
