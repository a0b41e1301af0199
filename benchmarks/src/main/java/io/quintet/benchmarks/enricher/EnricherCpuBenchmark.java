package io.quintet.benchmarks.enricher;

import io.quintet.benchmarks.Benchmark;
import io.quintet.benchmarks.BenchmarkContext;
import io.quintet.benchmarks.BenchmarkResult;
import io.quintet.demo.LoadGenerator;
import io.quintet.enricher.EnricherConfig;
import io.quintet.enricher.EnricherSettings;
import io.quintet.enricher.pipeline.Checked;
import io.quintet.enricher.plan.TrackingPlanCheck;
import io.quintet.enricher.read.EventDecoder;
import io.quintet.enricher.read.Upcasters;
import io.quintet.enricher.telemetry.EnricherTelemetry;
import io.quintet.enricher.validate.EventValidator;
import io.quintet.enricher.validate.SchemaCheck;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventSerde;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;

/**
 * CPU cost of the enricher's stateless steps, without Kafka: decode (CloudEvent envelope + canonical JSON), validate
 * (JSON Schema, action name, limits), the tracking plan, and the output serialization (binary-mode CloudEvent), each
 * timed on its own over the same realistic backlog ({@link LoadGenerator}), microseconds of the thread's CPU time per
 * event.
 * The stateful steps (dedup, pseudonymization, stamping) and the broker's share are in the {@code enricher}
 * benchmark, which runs the real application. (A TopologyTestDriver is no measure of those: it flushes every RocksDB
 * store after every record, which the runtime does not.) Options: {@code --events} (50000), {@code --rounds} (3,
 * best kept), {@code --seed} (42).
 */
public final class EnricherCpuBenchmark implements Benchmark {
    /** CPU time of the measuring thread, not wall time: the figures hold on a machine busy with other work. */
    private static final java.lang.management.ThreadMXBean THREAD =
            java.lang.management.ManagementFactory.getThreadMXBean();

    @Override
    public String name() {
        return "enricher-cpu";
    }

    @Override
    public String description() {
        return "enricher stateless steps, CPU per event without Kafka: decode, validate, tracking plan, serialize";
    }

    @Override
    public BenchmarkResult run(BenchmarkContext ctx) throws Exception {
        int events = ctx.intOption("events", 50_000);
        int rounds = ctx.intOption("rounds", 3);
        long seed = ctx.longOption("seed", 42);
        List<Raw> backlog = backlog(seed, events);

        BenchmarkResult result =
                new BenchmarkResult(name()).put("events", events).put("rounds", rounds);
        EnricherSettings s = config().settings();
        SchemaCheck schema = new SchemaCheck(s.extraActionTypes());
        EventDecoder decoder = new EventDecoder(Upcasters.standard(), s.plan().eventAliases(), schema, s.limits());
        EventValidator validator = new EventValidator(schema, s.limits());
        TrackingPlanCheck plan = new TrackingPlanCheck(s.plan(), EnricherTelemetry.noop());
        List<Checked> decoded = new ArrayList<>(backlog.size());
        for (Raw raw : backlog) {
            decoded.add(decoder.decode(new RecordHeaders(raw.headers), raw.value, raw.timestamp));
        }
        Serializer<CanonicalEvent> out = new CloudEventSerde().serializer();
        result.put(
                        "decode_us",
                        round(stepUs(
                                rounds,
                                backlog,
                                raw -> decoder.decode(new RecordHeaders(raw.headers), raw.value, raw.timestamp)
                                        .hashCode())))
                .put(
                        "validate_us",
                        round(stepUs(rounds, decoded, c -> validator.check(c).hashCode())))
                .put(
                        "tracking_plan_us",
                        round(stepUs(rounds, decoded, c -> plan.check(c).hashCode())))
                .put(
                        "serialize_us",
                        round(stepUs(rounds, decoded, c -> out.serialize("t", new RecordHeaders(), c.event()).length)));
        return result;
    }

    private record Raw(String key, byte[] value, Headers headers, long timestamp) {}

    private static List<Raw> backlog(long seed, int events) {
        LoadGenerator gen =
                new LoadGenerator(seed, 10_000, Instant.parse("2026-11-02T08:00:00Z"), Duration.ofMillis(20));
        Serializer<CanonicalEvent> ser = new CloudEventSerde().serializer();
        List<Raw> list = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            CanonicalEvent e = gen.next();
            RecordHeaders h = new RecordHeaders();
            byte[] v = ser.serialize("events.raw", h, e);
            list.add(new Raw(e.actor().id(), v, h, e.eventTimestamp().toEpochMilli()));
        }
        return list;
    }

    /** The enricher's default settings (bundled tracking plan, default limits). */
    private static EnricherConfig config() {
        return EnricherConfig.of(Map.of(
                EnricherConfig.BOOTSTRAP, "unused:9092",
                EnricherConfig.APPLICATION_ID, "enricher-cpu",
                EnricherConfig.PRIVACY_ENABLED, "false"));
    }

    private static <T> double stepUs(int rounds, List<T> items, ToIntFunction<T> step) {
        long sink = 0;
        double best = Double.MAX_VALUE;
        for (int r = 0; r < rounds + 1; r++) {
            long start = THREAD.getCurrentThreadCpuTime();
            for (T item : items) {
                sink += step.applyAsInt(item);
            }
            double us = (THREAD.getCurrentThreadCpuTime() - start) / 1e3 / items.size();
            if (r > 0) { // the first round warms up
                best = Math.min(best, us);
            }
        }
        if (sink == 42) {
            System.out.print("");
        }
        return best;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    public static void main(String[] args) throws Exception {
        io.quintet.benchmarks.BenchmarkRunner.main(io.quintet.benchmarks.BenchmarkRunner.only("enricher-cpu", args));
    }
}
