package io.quintet.benchmarks.backfill;

import io.quintet.benchmarks.Benchmark;
import io.quintet.benchmarks.BenchmarkContext;
import io.quintet.benchmarks.BenchmarkResult;
import io.quintet.demo.LoadGenerator;
import io.quintet.gateway.backfill.ImportMain;
import io.quintet.model.json.CanonicalJson;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * {@code ./quintet import} (issue #20, item 6): events/s backfilled from an NDJSON file of canonical events two years
 * old (the seeded {@link LoadGenerator}'s day, written before the clock starts) to a real {@code events.raw}: reading,
 * checking, marking, deduplicating and publishing with acks=all, until Kafka acknowledged the last one. A warm-up
 * import of {@code --warmup} events runs first. Options: {@code --events} (200000), {@code --warmup} (20000),
 * {@code --seed} (42).
 */
public final class ImportBenchmark implements Benchmark {

    @Override
    public String name() {
        return "import";
    }

    @Override
    public String description() {
        return "./quintet import: NDJSON history (2 years old) to events.raw, events/s until the last acknowledgement";
    }

    @Override
    public BenchmarkResult run(BenchmarkContext ctx) throws Exception {
        int events = ctx.intOption("events", 200_000);
        int warmup = ctx.intOption("warmup", 20_000);
        long seed = ctx.longOption("seed", 42);
        String topic = "bench.import." + System.currentTimeMillis() + ".events.raw";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ctx.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
        Path dir = Files.createTempDirectory("quintet-import-bench");
        try {
            Instant start = Instant.now().minus(Duration.ofDays(730));
            Path warm = write(
                    dir.resolve("warmup.ndjson"),
                    new LoadGenerator(seed + 1, 10_000, start, Duration.ofMillis(20)),
                    warmup);
            Path file = write(
                    dir.resolve("history.ndjson"),
                    new LoadGenerator(seed, 10_000, start, Duration.ofMillis(20)),
                    events);
            PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            ImportMain.run(ctx.bootstrapServers(), topic, null, "bench-warmup", List.of(warm), quiet);
            ImportMain.Summary s = ImportMain.run(ctx.bootstrapServers(), topic, null, "bench", List.of(file), quiet);
            BenchmarkResult r = new BenchmarkResult(name())
                    .put("events", events)
                    .put("file_mb", Math.round(Files.size(file) / 1e5) / 10.0)
                    .put("events_per_s", Math.round(s.eventsPerSecond()))
                    .put("published", s.published())
                    .put("duplicates", s.duplicates())
                    .put("rejected", s.rejected())
                    .put("failed", s.failed());
            if (s.published() + s.duplicates() + s.rejected() != events || s.failed() > 0) {
                r.fail("import accounted for " + (s.published() + s.duplicates() + s.rejected()) + " of " + events
                        + " events, " + s.failed() + " failed: " + s.line());
            }
            return r;
        } finally {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Path write(Path file, LoadGenerator gen, int n) throws java.io.IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < n; i++) {
                w.write(CanonicalJson.toJson(gen.next()));
                w.write('\n');
            }
        }
        return file;
    }
}
