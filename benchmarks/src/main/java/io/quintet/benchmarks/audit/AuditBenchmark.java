package io.quintet.benchmarks.audit;

import io.quintet.audit.AuditChainer;
import io.quintet.audit.AuditState;
import io.quintet.audit.canonical.CanonicalForm;
import io.quintet.audit.chain.ChainExtensions;
import io.quintet.audit.chain.HashChain;
import io.quintet.audit.checkpoint.CheckpointBuilder;
import io.quintet.audit.checkpoint.CheckpointPolicy;
import io.quintet.audit.checkpoint.SignedCheckpoint;
import io.quintet.audit.keys.CheckpointSigner;
import io.quintet.audit.keys.Ed25519;
import io.quintet.audit.keys.HmacKeyring;
import io.quintet.audit.keys.PublicKeySet;
import io.quintet.audit.streams.ChainOutput;
import io.quintet.audit.streams.ChainedEventSerde;
import io.quintet.audit.verify.ChainVerifier;
import io.quintet.audit.verify.ChainedEventSource;
import io.quintet.audit.verify.ChainedRecord;
import io.quintet.audit.verify.CheckpointRecord;
import io.quintet.audit.verify.Position;
import io.quintet.audit.verify.VerificationReport;
import io.quintet.benchmarks.Benchmark;
import io.quintet.benchmarks.BenchmarkContext;
import io.quintet.benchmarks.BenchmarkResult;
import io.quintet.model.Action;
import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.Entity;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.json.CanonicalJson;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Cost of the tamper-evident log, measured in one run on the same events:
 * <ul>
 *   <li>chaining: the per-event work of an enricher's output edge (read the CloudEvent record, map it to the
 *       canonical event, write the output CloudEvent record) with chaining off, and with it on what the chaining
 *       step does instead of the last write ({@link CanonicalForm#write}, {@link AuditChainer#appendCanonical}, the
 *       record with the chain headers through {@link ChainedEventSerde}); rounds alternate off/on, and the ratio
 *       on/off of the best rounds is reported (the target is >= 0.85 for the whole enricher, whose other
 *       stages make the real ratio higher than this edge-only one);</li>
 *   <li>the chain's data and canonical bytes per event: {@link CanonicalForm#write} (written in canonical form, one
 *       pass for the events whose text it vouches for; the share is reported) against the event's JSON then
 *       {@link CanonicalForm#ofData} (two passes), alternating rounds, the best of each;</li>
 *   <li>verification: events/s of {@link ChainVerifier} over chained records (decode, envelope check, canonical
 *       form, Merkle leaves, checkpoints), with the HMAC keys and without.</li>
 * </ul>
 * Both are CPU costs per event, without a broker. Then, when run with a broker ({@code ./quintet bench --only audit}),
 * {@link EnricherChainingRuns}: the whole enricher on a real broker with audit off, on (chained in the input task) and
 * on after a repartition by pseudonym, same backlog, off and on in alternating rounds; {@code enricher_audit_cpu_ratio}
 * (median CPU per event on / off) is issue #18's figure. Options: {@code --events N} (default 200000), {@code --rounds R}
 * (default 5), {@code --seed S}, {@code --enricher false} (skip the broker part), {@code --enricher-events N} (100000),
 * {@code --enricher-rounds R} (3), {@code --enricher-warmup N} (40000 per variant), {@code --jit-settle-seconds S}
 * (90), {@code --partitions N} (6), {@code --commit-ms MS} (100).
 */
public final class AuditBenchmark implements Benchmark {

    @Override
    public String name() {
        return "audit";
    }

    @Override
    public String description() {
        return "hash chain + checkpoints: enricher edge events/s with chaining on vs off (ratio), verification events/s";
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        BenchmarkResult r = new AuditBenchmark().run(new BenchmarkContext(null, options));
        r.figures().forEach((k, v) -> System.out.printf("%-34s %s%n", k, v));
    }

    @Override
    public BenchmarkResult run(BenchmarkContext ctx) throws Exception {
        int events = ctx.intOption("events", 200_000);
        int rounds = ctx.intOption("rounds", 5);
        SplittableRandom random = new SplittableRandom(ctx.longOption("seed", 42));
        List<Raw> input = rawRecords(random, Math.min(events, 20_000));

        HmacKeyring hmac = HmacKeyring.of("chain-1", Map.of("chain-1", HmacKeyring.generateKey()));
        KeyPair kp = Ed25519.generate();
        CheckpointSigner signer = new CheckpointSigner("ck-1", kp.getPrivate());
        PublicKeySet published = PublicKeySet.empty().with("ck-1", kp.getPublic());

        // warm-up, then alternate off/on rounds over the same events
        edge(input, events / 4, null, null);
        edge(input, events / 4, chainer(hmac, signer), new ArrayList<>());
        double bestOff = 0;
        double bestOn = 0;
        for (int r = 0; r < rounds; r++) {
            bestOff = Math.max(bestOff, edge(input, events, null, null));
            bestOn = Math.max(bestOn, edge(input, events, chainer(hmac, signer), new ArrayList<>()));
        }

        // the chain's data and canonical bytes: written in canonical form (one pass) against written, then
        // canonicalized (two passes, the chaining step before session 13 and still the fallback)
        List<CanonicalEvent> decoded = decode(input);
        canonicalBytes(decoded, events / 4, true);
        canonicalBytes(decoded, events / 4, false);
        double bestOnePass = Double.MAX_VALUE;
        double bestTwoPass = Double.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
            bestOnePass = Math.min(bestOnePass, canonicalBytes(decoded, events, true));
            bestTwoPass = Math.min(bestTwoPass, canonicalBytes(decoded, events, false));
        }
        long vouched = decoded.stream()
                .filter(e -> CanonicalForm.write(e).dataIsCanonical())
                .count();
        long onePass = decoded.stream()
                .filter(e -> !CanonicalForm.write(e).secondPass())
                .count();

        // verification input: one chained, checkpointed log of `events` records in 4 partitions
        List<SignedCheckpoint> checkpoints = new ArrayList<>();
        List<Written> written = chainedRecords(input, events, chainer(hmac, signer), checkpoints);
        List<CheckpointRecord> cps = checkpoints.stream()
                .map(c -> CheckpointRecord.parse(Position.offset(0), c.toJson().getBytes(StandardCharsets.UTF_8)))
                .toList();
        verify(written, cps, published, hmac); // warm-up
        double verifyWithKeys = 0;
        double verifyWithoutKeys = 0;
        for (int r = 0; r < Math.max(2, rounds / 2); r++) {
            verifyWithKeys = Math.max(verifyWithKeys, verify(written, cps, published, hmac));
            verifyWithoutKeys = Math.max(verifyWithoutKeys, verify(written, cps, published, null));
        }

        BenchmarkResult result = new BenchmarkResult(name())
                .put("events_per_round", events)
                .put("rounds", rounds)
                .put("edge_chaining_off_events_per_s", Math.round(bestOff))
                .put("edge_chaining_on_events_per_s", Math.round(bestOn))
                .put("edge_on_off_ratio", Math.round(bestOn / bestOff * 1000) / 1000.0)
                .put("chaining_cost_us_per_event", Math.round((1e6 / bestOn - 1e6 / bestOff) * 100) / 100.0)
                .put("canonical_one_pass_us_per_event", Math.round(bestOnePass * 100) / 100.0)
                .put("canonical_two_pass_us_per_event", Math.round(bestTwoPass * 100) / 100.0)
                .put(
                        "canonical_written_in_canonical_form_share",
                        Math.round(vouched * 1000.0 / decoded.size()) / 1000.0)
                // the rest of the one-pass share: numbers replaced by their ES6 form in the canonical bytes
                .put("canonical_without_second_pass_share", Math.round(onePass * 1000.0 / decoded.size()) / 1000.0)
                .put("verify_with_hmac_keys_events_per_s", Math.round(verifyWithKeys))
                .put("verify_checkpoints_only_events_per_s", Math.round(verifyWithoutKeys))
                .put("checkpoints", checkpoints.size());
        if (ctx.bootstrapServers() != null && Boolean.parseBoolean(ctx.option("enricher", "true"))) {
            EnricherChainingRuns.run(ctx, result);
        }
        return result;
    }

    private static AuditChainer chainer(HmacKeyring hmac, CheckpointSigner signer) {
        return new AuditChainer(
                new HashChain(hmac),
                new CheckpointBuilder("events.canonical", signer, CheckpointPolicy.of(1000, Duration.ofSeconds(60))));
    }

    private record Raw(Headers headers, byte[] value) {}

    private record Written(int partition, long offset, Headers headers, byte[] value) {}

    /** The enricher's edge work per event; with a chainer, chaining too. Returns events/s. */
    private static double edge(List<Raw> input, int events, AuditChainer chainer, List<SignedCheckpoint> sink) {
        Deserializer<CanonicalEvent> in = new CloudEventSerde().deserializer();
        Serializer<CanonicalEvent> out = new CloudEventSerde().serializer();
        Serializer<ChainOutput.Event> chainedOut = new ChainedEventSerde().serializer();
        Map<Integer, AuditState> states = new HashMap<>();
        long bytes = 0;
        long start = System.nanoTime();
        for (int i = 0; i < events; i++) {
            Raw raw = input.get(i % input.size());
            CanonicalEvent e = in.deserialize("events.raw", raw.headers(), raw.value());
            Headers headers = new RecordHeaders();
            if (chainer != null) { // as ChainingProcessor: the data written once, hashed, and written as it is
                int p = i & 3;
                CanonicalForm.Written w = CanonicalForm.write(e);
                AuditChainer.Appended a = chainer.appendCanonical(states.get(p), p, w.canonical(), 0L);
                states.put(p, a.state());
                a.checkpoint().ifPresent(sink::add);
                bytes += chainedOut.serialize("events.canonical", headers, new ChainOutput.Event(e, a.link(), w.data()))
                        .length;
            } else {
                bytes += out.serialize("events.canonical", headers, e).length;
            }
        }
        long nanos = System.nanoTime() - start;
        if (bytes == 0) {
            throw new IllegalStateException("nothing written");
        }
        return events * 1e9 / nanos;
    }

    private static List<CanonicalEvent> decode(List<Raw> input) {
        Deserializer<CanonicalEvent> in = new CloudEventSerde().deserializer();
        return input.stream()
                .map(raw -> in.deserialize("events.raw", raw.headers(), raw.value()))
                .toList();
    }

    /**
     * Microseconds per event to write an event's data and get its canonical bytes: {@link CanonicalForm#write}
     * (one pass when the writer vouches for its text), or the event's JSON then {@link CanonicalForm#ofData}.
     */
    private static double canonicalBytes(List<CanonicalEvent> decoded, int events, boolean onePass) {
        long bytes = 0;
        long start = System.nanoTime();
        for (int i = 0; i < events; i++) {
            CanonicalEvent e = decoded.get(i % decoded.size());
            if (onePass) {
                CanonicalForm.Written w = CanonicalForm.write(e);
                bytes += w.data().length + w.canonical().length;
            } else {
                byte[] data = CanonicalJson.toBytes(e);
                bytes += data.length + CanonicalForm.ofData(data).length;
            }
        }
        long nanos = System.nanoTime() - start;
        if (bytes == 0) {
            throw new IllegalStateException("nothing written");
        }
        return nanos / 1e3 / events;
    }

    private static List<Written> chainedRecords(
            List<Raw> input, int events, AuditChainer chainer, List<SignedCheckpoint> checkpoints) {
        Deserializer<CanonicalEvent> in = new CloudEventSerde().deserializer();
        Serializer<CanonicalEvent> out = new CloudEventSerde().serializer();
        Map<Integer, AuditState> states = new HashMap<>();
        List<Written> written = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            Raw raw = input.get(i % input.size());
            CanonicalEvent e = in.deserialize("events.raw", raw.headers(), raw.value()).toBuilder()
                    .id("evt-" + i)
                    .build(); // distinct events
            int p = i & 3;
            AuditChainer.Appended a = chainer.append(states.get(p), p, e, 0L);
            states.put(p, a.state());
            a.checkpoint().ifPresent(checkpoints::add);
            Headers headers = new RecordHeaders();
            ChainExtensions.writeHeaders(headers, a.link());
            written.add(new Written(p, i >> 2, headers, out.serialize("events.canonical", headers, e)));
        }
        return written;
    }

    /** Verifies the written records as the verify command does after reading them; returns events/s. */
    private static double verify(
            List<Written> written, List<CheckpointRecord> cps, PublicKeySet published, HmacKeyring hmac)
            throws Exception {
        ChainedEventSource source = new ChainedEventSource() {
            public String describe() {
                return "memory";
            }

            public Optional<Set<Integer>> partitions() {
                return Optional.empty();
            }

            public boolean readsToEnd() {
                return true;
            }

            public void read(Consumer<ChainedRecord> sink) {
                for (Written w : written) {
                    sink.accept(ChainedRecord.ofCloudEvent(
                            w.partition(),
                            Position.offset(w.offset()),
                            CloudEventSerde.readCloudEvent(w.headers(), w.value())));
                }
            }
        };
        long start = System.nanoTime();
        VerificationReport report = new ChainVerifier("events.canonical", published, hmac, true).verify(source, cps);
        long nanos = System.nanoTime() - start;
        if (!report.clean()) {
            throw new IllegalStateException(
                    "benchmark log does not verify: " + report.findings().get(0));
        }
        return written.size() * 1e9 / nanos;
    }

    /** Seeded, varied events as a producer sends them (binary CloudEvents). */
    private static List<Raw> rawRecords(SplittableRandom random, int n) {
        Serializer<CanonicalEvent> ser = new CloudEventSerde().serializer();
        String[] actions = {
            "auth.user.login_succeeded",
            "billing.invoice.created",
            "workflow.execution.failed",
            "content.page.viewed",
            "ai.model.invoked"
        };
        List<Raw> out = new ArrayList<>(n);
        Instant t0 = Instant.parse("2026-11-02T09:15:30.123Z");
        for (int i = 0; i < n; i++) {
            String action = actions[random.nextInt(actions.length)];
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("plan", random.nextBoolean() ? "pro" : "free");
            props.put("amount", BigDecimal.valueOf(random.nextInt(100_000), 2));
            props.put("items", random.nextInt(20));
            props.put("latency_ms", random.nextDouble() * 500);
            CanonicalEvent e = CanonicalEvent.builder()
                    .id("evt-" + Long.toHexString(random.nextLong()))
                    .eventTimestamp(t0.plusMillis(i * 37L))
                    .observedTimestamp(t0.plusMillis(i * 37L + 12))
                    .source("https://svc" + random.nextInt(8) + ".example.com")
                    .action(new Action(action, "other"))
                    .actor(new Actor(null, Actor.USER, "ps-" + Long.toHexString(random.nextLong()), null))
                    .entity(new Entity(
                            "ent-" + random.nextInt(10_000), "document", Map.of("version", random.nextInt(9))))
                    .context(new Context(
                            null,
                            new Context.Telemetry(hex(random, 32), hex(random, 16), random.nextDouble() * 100),
                            new Context.DomainSpecific(null, new Context.Analytics(props, null)),
                            Map.of("tenant", "acme", "region", "eu"),
                            Context.Status.SUCCESS,
                            null))
                    .correlationId("req-" + random.nextInt(1_000_000))
                    .build();
            Headers h = new RecordHeaders();
            byte[] v = ser.serialize("events.raw", h, e);
            out.add(new Raw(h, v));
        }
        return out;
    }

    private static String hex(SplittableRandom random, int digits) {
        StringBuilder sb = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            sb.append(Character.forDigit(random.nextInt(16), 16));
        }
        return sb.toString();
    }
}
