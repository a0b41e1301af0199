package io.quintet.benchmarks.audit;

import io.quintet.audit.AuditSettings;
import io.quintet.audit.keys.Ed25519;
import io.quintet.audit.keys.HmacKeyring;
import io.quintet.audit.keys.KeyFiles;
import io.quintet.benchmarks.BenchClients;
import io.quintet.benchmarks.BenchmarkContext;
import io.quintet.benchmarks.BenchmarkResult;
import io.quintet.benchmarks.Jit;
import io.quintet.benchmarks.Machine;
import io.quintet.benchmarks.enricher.EnricherBenchmark;
import io.quintet.demo.LoadGenerator;
import io.quintet.enricher.EnricherConfig;
import io.quintet.enricher.EnricherTopology;
import io.quintet.enricher.EnricherTopology.ChainPartitioning;
import io.quintet.enricher.privacy.Keyring;
import io.quintet.enricher.privacy.Pseudonymization;
import io.quintet.enricher.telemetry.EnricherTelemetry;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.support.topics.TopicsTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.Topology;

/**
 * The whole enricher (privacy on, exactly_once_v2, as deployed) on a real broker, over the same pre-produced backlog
 * of realistic events ({@link LoadGenerator}): audit off and audit on chained in the input task
 * ({@link ChainPartitioning#INPUT_PARTITION}, the default) in {@code --enricher-rounds} alternating rounds (off then on,
 * then on then off, ...), then once audit on after a repartition by pseudonym ({@link ChainPartitioning#BY_PSEUDONYM}).
 * Every drain is a fresh application over its own copy of the backlog; events/s from RUNNING until the last event is
 * visible on events.canonical with read_committed, and the CPU of the application's own threads per event. Before the
 * rounds, a warm-up app of each kind (audit off, audit on; other topics) drains {@code --enricher-warmup} events and
 * the harness waits until the JIT compilers are nearly idle, so that neither variant pays for compilation the other
 * does not. Reported: the median CPU per event of each variant, their ratio ({@code enricher_audit_cpu_ratio}, issue
 * #18's figure) and each round's ratio.
 */
final class EnricherChainingRuns {
    private EnricherChainingRuns() {}

    static void run(BenchmarkContext ctx, BenchmarkResult result) throws Exception {
        Path dir = Files.createTempDirectory("bench-audit-enricher"); // keys and the apps' state, gone after the run
        try {
            run(ctx, result, dir);
        } finally {
            Machine.deleteTree(dir);
        }
    }

    private static void run(BenchmarkContext ctx, BenchmarkResult result, Path dir) throws Exception {
        int events = ctx.intOption("enricher-events", 100_000);
        int warmup = ctx.intOption("enricher-warmup", 40_000);
        int rounds = Math.max(1, ctx.intOption("enricher-rounds", 3));
        int partitions = ctx.intOption("partitions", 6);
        long seed = ctx.longOption("seed", 42);
        String run = Long.toHexString(System.currentTimeMillis());
        Map<String, String> audit = auditSettings(dir);
        String masterKey = "bench:" + Keyring.generateKey();

        LoadGenerator gen =
                new LoadGenerator(seed, 10_000, Instant.parse("2026-11-02T08:00:00Z"), Duration.ofMillis(20));
        List<ProducerRecord<String, byte[]>> backlog = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            backlog.add(record(gen.next()));
        }
        List<String> drains = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            drains.add("off-" + r);
            drains.add("input-" + r);
        }
        drains.add("pseudonym");
        Map<String, TopicCatalogue> topics = new HashMap<>();
        for (String d : drains) {
            topics.put(d, TopicCatalogue.of("bench-audit-" + d + "-" + run + ".", partitions, (short) 1));
        }
        Map<String, TopicCatalogue> warmTopics = Map.of(
                "off", TopicCatalogue.of("bench-audit-warmup-off-" + run + ".", partitions, (short) 1),
                "on", TopicCatalogue.of("bench-audit-warmup-on-" + run + ".", partitions, (short) 1));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ctx.bootstrapServers()));
                KafkaProducer<String, byte[]> producer = BenchClients.producer(ctx.bootstrapServers())) {
            for (TopicCatalogue t : warmTopics.values()) {
                TopicsTool.ensure(admin, t, false);
            }
            for (TopicCatalogue t : topics.values()) {
                TopicsTool.ensure(admin, t, false);
            }
            LoadGenerator warmGen =
                    new LoadGenerator(seed + 1, 10_000, Instant.parse("2026-11-01T08:00:00Z"), Duration.ofMillis(20));
            for (int i = 0; i < warmup; i++) {
                ProducerRecord<String, byte[]> r = record(warmGen.next());
                for (TopicCatalogue t : warmTopics.values()) {
                    producer.send(onTopic(r, t.name(TopicCatalogue.EVENTS_RAW)));
                }
            }
            for (ProducerRecord<String, byte[]> r : backlog) {
                for (TopicCatalogue t : topics.values()) {
                    producer.send(onTopic(r, t.name(TopicCatalogue.EVENTS_RAW)));
                }
            }
            producer.flush();
        }

        long settledJitMs = -1;
        if (warmup > 0) {
            drain(
                    ctx,
                    "bench-audit-warmup-off-" + run,
                    warmTopics.get("off"),
                    dir,
                    masterKey,
                    Map.of(),
                    ChainPartitioning.INPUT_PARTITION,
                    warmup);
            drain(
                    ctx,
                    "bench-audit-warmup-on-" + run,
                    warmTopics.get("on"),
                    dir,
                    masterKey,
                    audit,
                    ChainPartitioning.INPUT_PARTITION,
                    warmup);
            settledJitMs = Jit.awaitSettled(ctx.intOption("jit-settle-seconds", 90));
        }
        List<EnricherBenchmark.Drained> off = new ArrayList<>();
        List<EnricherBenchmark.Drained> input = new ArrayList<>();
        List<String> roundRatios = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            EnricherBenchmark.Drained offRun = null;
            EnricherBenchmark.Drained onRun = null;
            for (int k = 0; k < 2; k++) {
                boolean on = (k == 0) == (r % 2 == 1); // off first in even rounds, on first in odd ones
                String d = (on ? "input-" : "off-") + r;
                EnricherBenchmark.Drained drained = drain(
                        ctx,
                        "bench-audit-" + d + "-" + run,
                        topics.get(d),
                        dir,
                        masterKey,
                        on ? audit : Map.of(),
                        ChainPartitioning.INPUT_PARTITION,
                        events);
                if (on) {
                    onRun = drained;
                } else {
                    offRun = drained;
                }
            }
            off.add(offRun);
            input.add(onRun);
            roundRatios.add(String.format(Locale.ROOT, "%.2f", onRun.cpuMicrosPerEvent() / offRun.cpuMicrosPerEvent()));
        }
        EnricherBenchmark.Drained byPseudonym = drain(
                ctx,
                "bench-audit-pseudonym-" + run,
                topics.get("pseudonym"),
                dir,
                masterKey,
                audit,
                ChainPartitioning.BY_PSEUDONYM,
                events);
        double offEps = median(off, EnricherBenchmark.Drained::eventsPerSecond);
        double onEps = median(input, EnricherBenchmark.Drained::eventsPerSecond);
        double offCpu = median(off, EnricherBenchmark.Drained::cpuMicrosPerEvent);
        double onCpu = median(input, EnricherBenchmark.Drained::cpuMicrosPerEvent);
        result.put("enricher_events", events)
                .put("enricher_partitions", partitions)
                .put("enricher_rounds", rounds)
                .put("enricher_jit_ms_while_settling", settledJitMs)
                .put("enricher_audit_off_events_per_s", Math.round(offEps))
                .put("enricher_audit_on_events_per_s", Math.round(onEps))
                .put("enricher_audit_on_by_pseudonym_events_per_s", Math.round(byPseudonym.eventsPerSecond()))
                .put("enricher_on_off_ratio", Math.round(onEps / offEps * 1000) / 1000.0)
                .put(
                        "enricher_by_pseudonym_on_off_ratio",
                        Math.round(byPseudonym.eventsPerSecond() / offEps * 1000) / 1000.0)
                // CPU of the enricher's own threads per event (median of the rounds): steadier than events/s on a
                // shared machine
                .put("enricher_audit_off_cpu_us_per_event", Math.round(offCpu * 10) / 10.0)
                .put("enricher_audit_on_cpu_us_per_event", Math.round(onCpu * 10) / 10.0)
                .put(
                        "enricher_audit_on_by_pseudonym_cpu_us_per_event",
                        Math.round(byPseudonym.cpuMicrosPerEvent() * 10) / 10.0)
                .put("enricher_audit_cpu_ratio", Math.round(onCpu / offCpu * 100) / 100.0)
                .put("enricher_audit_cpu_ratio_by_round", String.join(" ", roundRatios));
    }

    /** The median of {@code figure} over {@code runs} (the mean of the middle two for an even count). */
    static double median(List<EnricherBenchmark.Drained> runs, ToDoubleFunction<EnricherBenchmark.Drained> figure) {
        double[] v = runs.stream().mapToDouble(figure).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** Fresh key files for this run and the audit settings naming them (checkpoints every 1000 events or 60 s). */
    private static Map<String, String> auditSettings(Path dir) {
        Path hmac = dir.resolve("hmac.keys");
        Path signing = dir.resolve("signing.keys");
        KeyFiles.write(hmac, "chain-bench", Map.of("chain-bench", HmacKeyring.generateKey()));
        KeyFiles.write(
                signing,
                "ck-bench",
                Map.of("ck-bench", Ed25519.generate().getPrivate().getEncoded()));
        return Map.of(
                EnricherConfig.AUDIT_ENABLED,
                "true",
                AuditSettings.HMAC_KEYS_FILE,
                hmac.toString(),
                AuditSettings.SIGNING_KEYS_FILE,
                signing.toString());
    }

    private static EnricherBenchmark.Drained drain(
            BenchmarkContext ctx,
            String appId,
            TopicCatalogue topics,
            Path dir,
            String masterKey,
            Map<String, String> audit,
            ChainPartitioning partitioning,
            int expected)
            throws Exception {
        Map<String, String> m = new HashMap<>(audit);
        m.put(EnricherConfig.BOOTSTRAP, ctx.bootstrapServers());
        m.put(EnricherConfig.APPLICATION_ID, appId);
        m.put(EnricherConfig.TOPIC_PREFIX, topics.prefix());
        m.put(EnricherConfig.STATE_DIR, dir.resolve(appId).toString());
        m.put(EnricherConfig.COMMIT_INTERVAL, ctx.option("commit-ms", "100"));
        m.put(EnricherConfig.MASTER_KEYS, masterKey);
        // as the enricher benchmark: one request in flight (the loaded in-JVM broker answered retried batches of five
        // in flight with OutOfOrderSequenceException storms)
        m.put("kafka.client.producer.max.in.flight.requests.per.connection", "1");
        EnricherConfig config = EnricherConfig.of(m);
        Topology topology = EnricherTopology.buildTopology(
                config.settings(),
                EnricherTelemetry.noop(),
                new Pseudonymization(config.privacy().orElseThrow(), topics),
                config.auditChainer(),
                partitioning);
        String output = topics.name(TopicCatalogue.EVENTS_CANONICAL);
        long t0 = System.nanoTime();
        EnricherBenchmark.Drained drained = EnricherBenchmark.drainMeasured(
                ctx.bootstrapServers(), topology, config.streamsProperties(), output, expected, null);
        System.out.printf(
                "%s: %d events at %.0f events/s, %.1f CPU us/event, %.1f s with start-up (%s)%n",
                appId,
                expected,
                drained.eventsPerSecond(),
                drained.cpuMicrosPerEvent(),
                (System.nanoTime() - t0) / 1e9,
                audit.isEmpty() ? "audit off" : "audit on, " + partitioning);
        return drained;
    }

    private static ProducerRecord<String, byte[]> record(CanonicalEvent e) {
        RecordHeaders h = new RecordHeaders();
        byte[] v = new CloudEventSerde().serializer().serialize("events.raw", h, e);
        return new ProducerRecord<>("events.raw", null, e.actor().id(), v, h);
    }

    private static ProducerRecord<String, byte[]> onTopic(ProducerRecord<String, byte[]> r, String topic) {
        return new ProducerRecord<>(
                topic, null, r.key(), r.value(), new RecordHeaders(r.headers().toArray()));
    }
}
