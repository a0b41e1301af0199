package io.quintet.benchmarks.pipeline;

import io.quintet.benchmarks.Benchmark;
import io.quintet.benchmarks.BenchmarkContext;
import io.quintet.benchmarks.BenchmarkResult;
import io.quintet.benchmarks.BenchmarkRunner;
import io.quintet.benchmarks.Machine;
import io.quintet.benchmarks.ProcessCpu;
import io.quintet.benchmarks.ThreadCpu;
import io.quintet.demo.GatewayClient;
import io.quintet.demo.LoadGenerator;
import io.quintet.demo.LocalPipeline;
import io.quintet.demo.PipelineProcesses;
import io.quintet.demo.PipelineSettings;
import io.quintet.demo.ServiceProcess;
import io.quintet.model.topics.TopicCatalogue;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;

/**
 * Sustained capacity of the whole pipeline as {@code ./quintet run} deploys it ({@link PipelineProcesses}: the broker
 * as its own process via kafka-local.sh, the gateway, enricher, feed-aggregator and sink as separate JVMs with the
 * demo's configuration: exactly-once, privacy on, audit chain on), fed through the gateway by an open-loop generator
 * ({@link OpenLoopLoad}) at stepped offered rates after a warm-up (at the first step's rate, for
 * {@code --warmup-seconds}, then on until every process's JIT compilers are nearly idle, at most
 * {@code --jit-settle-seconds}; then no load until the lag is gone). Per step: each consumer group's lag at the start
 * and end and whether it grew ({@link LagTrend}), CPU microseconds per accepted event of every process (from
 * /proc; of it, the JIT compiler threads' share, {@code jit_cores_*}), and latency from the gateway's answer to (a) events.canonical, (b) the closed 1-minute window on
 * {@code metrics}, (c) the brute-force alert of an injected burst, (d) a committed Iceberg snapshot. Sustained
 * capacity: {@link Capacity}. At the end the ids are counted ({@link IdAccounting}); a miss fails the run.
 * <pre>
 *   flock /tmp/quintet-bench.lock ./quintet bench --only pipeline [--rates 500,1000,2000,4000,8000]
 *        [--step-seconds 60] [--warmup-seconds 60] [--jit-settle-seconds 120] [--settle-seconds 180]
 *        [--burst-every-seconds 5]
 *        [--users 10000] [--seed 42] [--drain-seconds 600]
 *   quick:  ./quintet bench --only pipeline --rates 200 --step-seconds 15 --warmup-seconds 10
 * </pre>
 */
public final class PipelineBenchmark implements Benchmark {
    static final int SAMPLE_SECONDS = 2;
    /** The feed-aggregator's default {@code metrics.grace}: a 1-minute window is emitted after its end + this. */
    static final long METRICS_GRACE_MILLIS = 30_000;

    static final List<String> GROUPS =
            List.of(PipelineProcesses.ENRICHER_APP, PipelineProcesses.FEEDS_APP, PipelineProcesses.SINK_GROUP);
    /** The topic each group reads first: events.raw for the enricher, events.canonical for the others. */
    static String mainInput(String group) {
        return TopicCatalogue.defaults()
                .name(
                        group.equals(PipelineProcesses.ENRICHER_APP)
                                ? TopicCatalogue.EVENTS_RAW
                                : TopicCatalogue.EVENTS_CANONICAL);
    }

    static final List<String> STAGE_NAMES = List.of("enricher", "feed-aggregator", "analytics-sink");
    static final List<String> PROCESSES =
            List.of("gateway", "enricher", "feed-aggregator", "analytics-sink", "broker", "load");

    @Override
    public String name() {
        return "pipeline";
    }

    @Override
    public String description() {
        return "whole pipeline as deployed (broker + 4 service processes): sustained capacity over stepped open-loop rates, lag, CPU, latency, id count";
    }

    @Override
    public boolean usesRunnerBroker() {
        return false;
    }

    /** What one stage (warm-up or step) showed while it ran. */
    static final class Stage {
        final int index;
        final int rate;
        final Map<String, List<LagTrend.Sample>> lag = new LinkedHashMap<>();
        final Map<String, GroupLag.Reading> first = new LinkedHashMap<>();
        final Map<String, GroupLag.Reading> last = new LinkedHashMap<>();
        long[] cpuNanos;
        /** Per process: time its threads were runnable but waiting for a core (schedstat), nanoseconds. */
        long[] waitNanos;
        /** Per process: CPU of its JIT compiler threads (part of {@link #cpuNanos}), nanoseconds. */
        long[] jitNanos;

        double seconds;

        Stage(int index, int rate) {
            this.index = index;
            this.rate = rate;
        }
    }

    @Override
    public BenchmarkResult run(BenchmarkContext ctx) throws Exception {
        List<Integer> rates = Stream.of(
                        ctx.option("rates", "500,1000,2000,4000,8000").split(","))
                .map(String::trim)
                .map(Integer::parseInt)
                .toList();
        int stepSeconds = ctx.intOption("step-seconds", 60);
        int warmupSeconds = ctx.intOption("warmup-seconds", 60);
        int burstEvery = ctx.intOption("burst-every-seconds", 5);
        int users = ctx.intOption("users", 10_000);
        long seed = ctx.longOption("seed", 42);
        int drainSeconds = ctx.intOption("drain-seconds", 600);
        int settleSeconds = ctx.intOption("settle-seconds", 180);
        int jitSettleSeconds = ctx.intOption("jit-settle-seconds", 120);

        Path repo = LocalPipeline.repoRoot();
        Path work = repo.resolve(".quintet/bench-pipeline");
        Machine.deleteTree(work);
        int kafkaPort = freePort();
        PipelineSettings settings =
                new PipelineSettings(repo, work, null, freePort(), freePort(), 1, Duration.ZERO, users, seed, false);
        Map<String, String> brokerEnv = Map.of(
                "QUINTET_KAFKA_PORT",
                String.valueOf(kafkaPort),
                "QUINTET_KAFKA_CONTROLLER_PORT",
                String.valueOf(freePort()),
                "QUINTET_KAFKA_DATA",
                work.resolve("kafka").toString());
        TopicCatalogue topics = TopicCatalogue.defaults();
        BenchmarkResult result = new BenchmarkResult(name());
        PipelineProcesses pipeline = new PipelineProcesses(settings, brokerEnv);
        Thread hook = new Thread(pipeline::close, "pipeline-bench-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            pipeline.start();
            result.put("load_average_start", Machine.loadAverage());
            long[] pids = pids(pipeline);
            EventLog log = new EventLog();
            String tag = Long.toHexString(System.currentTimeMillis());
            LoadGenerator generator = new LoadGenerator(seed, users, Instant.now(), Duration.ofMillis(1));
            GatewayClient gateway = new GatewayClient(settings.gatewayUrl(), pipeline.writeKey());
            List<Stage> stages = new ArrayList<>();
            stages.add(new Stage(0, rates.get(0)));
            for (int i = 0; i < rates.size(); i++) {
                stages.add(new Stage(i + 1, rates.get(i)));
            }
            String canonical = topics.name(TopicCatalogue.EVENTS_CANONICAL);
            try (Admin admin = pipeline.admin();
                    OutputWatcher outputs = new OutputWatcher(
                            pipeline.bootstrap(),
                            log,
                            canonical,
                            topics.name(TopicCatalogue.EVENTS_DLQ),
                            topics.name(TopicCatalogue.METRICS),
                            topics.name(TopicCatalogue.ALERTS));
                    TableWatcher table = new TableWatcher(
                            pipeline.configs().sink(),
                            canonical,
                            topics.spec(TopicCatalogue.EVENTS_CANONICAL).partitions());
                    OpenLoopLoad load = new OpenLoopLoad(gateway, generator, log, tag, stages.size(), burstEvery, 20)) {
                for (Stage stage : stages) {
                    int seconds = stage.index == 0 ? warmupSeconds : stepSeconds;
                    System.out.printf(
                            "==> %s: %d events/s offered for %d s%n",
                            stage.index == 0 ? "warm-up" : "step " + stage.index, stage.rate, seconds);
                    runStage(stage, seconds, load, admin, pipeline, pids, outputs);
                    printStage(stage, load);
                    if (stage.index == 0) {
                        awaitJitSettled(pids, jitSettleSeconds);
                        settle(load, admin, stage.rate, settleSeconds);
                    }
                }
                load.stop(60);
                System.out.println(
                        "==> load stopped; waiting for events.canonical, events.dlq and the table to take every accepted event");
                result.put("load_average_end", Machine.loadAverage());
                boolean drained = drain(log, outputs, table, drainSeconds);
                report(result, stages, log, load, outputs, table);
                System.out.println("==> counting ids");
                Thread.sleep(1000);
                outputs.close();
                Set<String> accepted = new HashSet<>();
                log.events.forEach((id, t) -> {
                    if (t.answeredNanos != 0) {
                        accepted.add(id);
                    }
                });
                IdAccounting ids = IdAccounting.count(accepted, outputs.canonicalIds, outputs.dlqIds, table.ids());
                result.put("ids", ids.summary()).put("ids_ok", ids.ok());
                System.out.println("ids: " + ids.summary());
                if (!ids.ok()) {
                    result.fail("id count failed"
                            + (drained
                                    ? ""
                                    : " (the pipeline had not drained within " + drainSeconds + " s: --drain-seconds)")
                            + ": " + ids.summary());
                }
            }
        } finally {
            pipeline.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
        return result;
    }

    private static long[] pids(PipelineProcesses pipeline) {
        List<ServiceProcess> services = pipeline.services();
        return new long[] {
            services.get(0).pid(),
            services.get(1).pid(),
            services.get(2).pid(),
            services.get(3).pid(),
            pipeline.brokerPid(),
            ProcessHandle.current().pid()
        };
    }

    private static long[] runQueueWait(long[] pids) {
        return perThreadSums(pids, ProcessCpu::runQueueWaitNanos);
    }

    private static long[] jit(long[] pids) {
        return perThreadSums(pids, ProcessCpu::jitNanos);
    }

    /** {@code reading} of each process of {@link #pids}, this JVM (the last) read as {@code self}. */
    private static long[] perThreadSums(long[] pids, ToLongFunction<String> reading) {
        long[] out = new long[pids.length];
        for (int i = 0; i < pids.length; i++) {
            out[i] = reading.applyAsLong(i == pids.length - 1 ? "self" : Long.toString(pids[i]));
        }
        return out;
    }

    /** A process's JIT compilers count as settled below this share of a core. */
    static final double JIT_SETTLED_CORES = 0.05;

    /**
     * After the warm-up, with its load still running: waits (at most {@code seconds}) until the JIT compilers of every
     * pipeline process (the services and the broker; not this load-generating JVM) use less than
     * {@link #JIT_SETTLED_CORES} of a core over 10 s. The services start cold, and on two cores their compilers
     * competed with the pipeline for minutes after a 45-60 s warm-up (JFR: 70 C2 compilations over 100 ms in a
     * 50 s step, the hot decode and store paths among them), which the steps then counted as the pipeline's CPU.
     */
    private static void awaitJitSettled(long[] pids, int seconds) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
        double[] cores = new double[pids.length - 1];
        boolean settled = false;
        while (!settled && System.nanoTime() < deadline) {
            long[] before = jit(pids);
            long t0 = System.nanoTime();
            TimeUnit.SECONDS.sleep(10);
            long[] after = jit(pids);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            settled = true;
            for (int i = 0; i < cores.length; i++) {
                cores[i] = (after[i] - before[i]) / 1e9 / elapsed;
                settled &= cores[i] < JIT_SETTLED_CORES;
            }
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < cores.length; i++) {
            s.append(String.format(" %s %.2f", PROCESSES.get(i), cores[i]));
        }
        System.out.printf(
                "==> JIT %s after %.0f s more of the warm-up's load (compiler cores over the last 10 s:%s)%n",
                settled ? "settled" : "not settled (--jit-settle-seconds)", (System.nanoTime() - start) / 1e9, s);
    }

    private static long[] cpu(long[] pids) {
        long[] out = new long[pids.length];
        for (int i = 0; i < pids.length; i++) {
            out[i] = i == pids.length - 1 ? ThreadCpu.processNanos() : ProcessCpu.nanos(pids[i]);
        }
        return out;
    }

    private static void runStage(
            Stage stage,
            int seconds,
            OpenLoopLoad load,
            Admin admin,
            PipelineProcesses pipeline,
            long[] pids,
            OutputWatcher outputs)
            throws Exception {
        long[] cpuStart = cpu(pids);
        long[] waitStart = runQueueWait(pids);
        long[] jitStart = jit(pids);
        long start = System.nanoTime();
        load.stage(stage.index, stage.rate);
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        boolean first = true;
        while (true) {
            long now = System.nanoTime();
            sampleLag(stage, admin, TimeUnit.NANOSECONDS.toMillis(now - start), first);
            first = false;
            outputs.check();
            for (ServiceProcess s : pipeline.services()) {
                if (!s.alive()) {
                    throw new IllegalStateException(
                            s.name() + " exited during the benchmark; see " + s.log() + s.logTail());
                }
            }
            if (now >= end) {
                break;
            }
            long next = Math.min(end, now + TimeUnit.SECONDS.toNanos(SAMPLE_SECONDS));
            TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
        }
        long[] cpuEnd = cpu(pids);
        long[] waitEnd = runQueueWait(pids);
        long[] jitEnd = jit(pids);
        stage.seconds = (System.nanoTime() - start) / 1e9;
        stage.cpuNanos = new long[pids.length];
        stage.waitNanos = new long[pids.length];
        stage.jitNanos = new long[pids.length];
        for (int i = 0; i < pids.length; i++) {
            stage.cpuNanos[i] = cpuEnd[i] - cpuStart[i];
            stage.waitNanos[i] = waitEnd[i] - waitStart[i];
            stage.jitNanos[i] = jitEnd[i] - jitStart[i];
        }
    }

    private static void sampleLag(Stage stage, Admin admin, long atMillis, boolean first) throws Exception {
        for (String group : GROUPS) {
            GroupLag.Reading reading = GroupLag.read(admin, group, mainInput(group));
            stage.lag
                    .computeIfAbsent(group, g -> new ArrayList<>())
                    .add(new LagTrend.Sample(atMillis, GroupLag.total(reading.lag())));
            if (first) {
                stage.first.put(group, reading);
            }
            stage.last.put(group, reading);
        }
    }

    /**
     * After the warm-up: no load until every group's lag is within {@link LagTrend#toleranceRecords} of the first
     * step's rate (the cold JVMs fall behind during the warm-up), at most {@code seconds}.
     */
    private static void settle(OpenLoopLoad load, Admin admin, int rate, int seconds) throws Exception {
        load.stage(0, 0);
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
        Map<String, Long> lags = new LinkedHashMap<>();
        while (System.nanoTime() < deadline) {
            lags.clear();
            for (String group : GROUPS) {
                lags.put(
                        group,
                        GroupLag.total(
                                GroupLag.read(admin, group, mainInput(group)).lag()));
            }
            if (lags.values().stream().allMatch(l -> l <= LagTrend.toleranceRecords(rate))) {
                break;
            }
            TimeUnit.SECONDS.sleep(SAMPLE_SECONDS);
        }
        System.out.printf(
                "==> settled after the warm-up in %.0f s (no load): lag %s%n", (System.nanoTime() - start) / 1e9, lags);
    }

    static List<String> growing(Stage stage) {
        List<String> out = new ArrayList<>();
        for (int g = 0; g < GROUPS.size(); g++) {
            if (LagTrend.grows(stage.lag.getOrDefault(GROUPS.get(g), List.of()), stage.rate)) {
                out.add(STAGE_NAMES.get(g));
            }
        }
        return out;
    }

    private static void printStage(Stage stage, OpenLoopLoad load) {
        int i = stage.index;
        long accepted = load.accepted.get(i);
        System.out.printf(
                "  sent %d, accepted %d (%.0f/s), rejected %d, failed %d, shed %d, in flight %d%n",
                load.sent.get(i),
                accepted,
                accepted / stage.seconds,
                load.rejected.get(i),
                load.failed.get(i),
                load.shed.get(i),
                load.inFlight());
        for (int g = 0; g < GROUPS.size(); g++) {
            List<LagTrend.Sample> s = stage.lag.get(GROUPS.get(g));
            System.out.printf(
                    "  lag %-16s %8d -> %8d (%+.0f records/s) %s%n",
                    STAGE_NAMES.get(g),
                    s.get(0).lag(),
                    s.get(s.size() - 1).lag(),
                    LagTrend.slopePerSecond(s),
                    stage.last.get(GROUPS.get(g)).lag());
        }
        StringBuilder cpu = new StringBuilder("  CPU us/event:");
        for (int p = 0; p < PROCESSES.size(); p++) {
            cpu.append(String.format(" %s %.0f", PROCESSES.get(p), perEvent(stage.cpuNanos[p], accepted)));
        }
        cpu.append(" | cores busy / waiting for a core:");
        for (int p = 0; p < PROCESSES.size(); p++) {
            cpu.append(String.format(
                    " %s %.2f/%.2f",
                    PROCESSES.get(p),
                    stage.cpuNanos[p] / 1e9 / stage.seconds,
                    stage.waitNanos[p] / 1e9 / stage.seconds));
        }
        cpu.append(" | of it JIT, cores:");
        for (int p = 0; p < PROCESSES.size(); p++) {
            cpu.append(String.format(" %s %.2f", PROCESSES.get(p), stage.jitNanos[p] / 1e9 / stage.seconds));
        }
        long[] processed = processed(stage);
        cpu.append(" | processed/s (CPU us per processed event):");
        for (int g = 0; g < GROUPS.size(); g++) {
            cpu.append(String.format(
                    " %s %.0f (%.0f)",
                    STAGE_NAMES.get(g), processed[g] / stage.seconds, perEvent(stage.cpuNanos[g + 1], processed[g])));
        }
        System.out.println(cpu);
    }

    /**
     * Records each stage worked through in the step: the growth of its committed offsets on its main input
     * (the enricher: events.raw; the feed-aggregator and the sink: events.canonical, whose offsets also count the
     * enricher's transaction markers, a few per second). When a stage falls behind, CPU per accepted event
     * understates what an event costs it; per processed event does not.
     */
    static long[] processed(Stage stage) {
        String raw = TopicCatalogue.defaults().name(TopicCatalogue.EVENTS_RAW);
        String canonical = TopicCatalogue.defaults().name(TopicCatalogue.EVENTS_CANONICAL);
        return new long[] {
            worked(stage, GROUPS.get(0), raw),
            worked(stage, GROUPS.get(1), canonical),
            worked(stage, GROUPS.get(2), canonical)
        };
    }

    private static long worked(Stage stage, String group, String topic) {
        long end = stage.last
                .getOrDefault(group, GroupLag.Reading.EMPTY)
                .committed()
                .getOrDefault(topic, 0L);
        long start = stage.first
                .getOrDefault(group, GroupLag.Reading.EMPTY)
                .committed()
                .getOrDefault(topic, 0L);
        return Math.max(0, end - start);
    }

    /** Microseconds of CPU per event, to a tenth; NaN without events. */
    static double perEvent(long nanos, long events) {
        return events == 0 ? Double.NaN : Math.round(nanos / 1000.0 / events * 10) / 10.0;
    }

    private static boolean drain(EventLog log, OutputWatcher outputs, TableWatcher table, int seconds)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long lastPrint = 0;
        while (System.nanoTime() < deadline) {
            outputs.check();
            long answered = 0;
            long notCanonical = 0;
            long notInTable = 0;
            for (EventLog.Tracked t : log.events.values()) {
                if (t.answeredNanos == 0) {
                    continue;
                }
                answered++;
                if (t.canonicalNanos == 0) {
                    notCanonical++;
                } else if (table.committedAt(t.partition, t.offset) == 0) {
                    notInTable++;
                }
            }
            int dlq = outputs.dlqIds.size();
            if (notCanonical <= dlq && notInTable == 0) {
                System.out.printf(
                        "  drained: %d accepted, %d not on events.canonical (%d dead-lettered)%n",
                        answered, notCanonical, dlq);
                return true;
            }
            if (System.nanoTime() - lastPrint > TimeUnit.SECONDS.toNanos(10)) {
                lastPrint = System.nanoTime();
                System.out.printf(
                        "  %d accepted events not on events.canonical yet (%d dead-lettered), %d canonical not in a snapshot%n",
                        notCanonical, dlq, notInTable);
            }
            TimeUnit.SECONDS.sleep(1);
        }
        System.out.println("  not drained within " + seconds + " s");
        return false;
    }

    /** Latencies of one stage, microseconds: (a) canonical, (b) metrics window, (c) alert, (d) table. */
    static final class Latencies {
        final Histogram canonical = histogram();
        final Histogram metrics = histogram();
        /** From the window's end + the 30 s grace (wall clock) to the window on {@code metrics}. */
        final Histogram metricsAfterClose = histogram();

        final Histogram alert = histogram();
        final Histogram table = histogram();
        long answered;
        long bursts;

        private static Histogram histogram() {
            return new Histogram(TimeUnit.HOURS.toMicros(2), 3);
        }
    }

    /** Records {@code to - from} (nanoseconds) in microseconds; nothing when {@code to} is 0 (never seen). */
    static void record(Histogram h, long from, long to) {
        if (to != 0) {
            h.recordValue(Math.min(h.getHighestTrackableValue(), Math.max(0, (to - from) / 1000)));
        }
    }

    private static void report(
            BenchmarkResult result,
            List<Stage> stages,
            EventLog log,
            OpenLoopLoad load,
            OutputWatcher outputs,
            TableWatcher table) {
        Latencies[] lat = new Latencies[stages.size()];
        for (int i = 0; i < lat.length; i++) {
            lat[i] = new Latencies();
        }
        for (EventLog.Tracked t : log.events.values()) {
            if (t.answeredNanos == 0) {
                continue;
            }
            Latencies l = lat[t.stage];
            l.answered++;
            record(l.canonical, t.answeredNanos, t.canonicalNanos);
            record(l.metrics, t.answeredNanos, outputs.metricWindowSeen.getOrDefault(t.minute, 0L));
            Long wall = outputs.metricWindowSeenWall.get(t.minute);
            if (wall != null) {
                long closeMillis = (t.minute + 1) * 60_000 + METRICS_GRACE_MILLIS;
                l.metricsAfterClose.recordValue(Math.max(0, wall - closeMillis) * 1000);
            }
            if (t.canonicalNanos != 0) {
                record(l.table, t.answeredNanos, table.committedAt(t.partition, t.offset));
            }
        }
        for (EventLog.Burst b : log.bursts) {
            if (b.answeredNanos == 0) {
                continue;
            }
            lat[b.stage].bursts++;
            if (b.pseudonym != null) {
                record(lat[b.stage].alert, b.answeredNanos, outputs.alertSeen.getOrDefault(b.pseudonym, 0L));
            }
        }
        List<Capacity.Step> steps = new ArrayList<>();
        result.put(
                        "rates",
                        stages.stream()
                                .skip(1)
                                .map(s -> String.valueOf(s.rate))
                                .toList()
                                .toString())
                .put("step_s", Math.round(stages.get(stages.size() - 1).seconds));
        System.out.println();
        System.out.println(
                "step   offered accepted/s | lag growing                 | canonical p50/p99/max ms | metrics window p50/p99/max s (seen) | alert p50/p99/max ms (seen) | table p50/p99/max ms");
        for (Stage stage : stages) {
            if (stage.index == 0) {
                continue;
            }
            Latencies l = lat[stage.index];
            List<String> growing = growing(stage);
            double p99 = l.canonical.getTotalCount() == 0 ? Double.NaN : l.canonical.getValueAtPercentile(99) / 1000.0;
            Capacity.Step step = new Capacity.Step(stage.rate, growing, p99);
            steps.add(step);
            String p = "s" + stage.rate + "_";
            long accepted = load.accepted.get(stage.index);
            result.put(p + "accepted_per_s", Math.round(accepted / stage.seconds))
                    .put(p + "shed_or_failed", load.shed.get(stage.index) + load.failed.get(stage.index));
            for (int g = 0; g < GROUPS.size(); g++) {
                List<LagTrend.Sample> s = stage.lag.get(GROUPS.get(g));
                String n =
                        STAGE_NAMES.get(g).replace("feed-aggregator", "feeds").replace("analytics-sink", "sink");
                result.put(
                        p + "lag_" + n,
                        s.get(0).lag() + "->" + s.get(s.size() - 1).lag());
            }
            result.put(
                    p + "lag_feeds_end_by_topic",
                    stage.last.get(PipelineProcesses.FEEDS_APP).lag().toString());
            result.put(p + "growing", growing.toString());
            for (int i = 0; i < PROCESSES.size(); i++) {
                result.put(p + "cpu_us_" + PROCESSES.get(i), perEvent(stage.cpuNanos[i], accepted));
            }
            for (int i = 0; i < PROCESSES.size(); i++) {
                result.put(
                                p + "cores_" + PROCESSES.get(i),
                                Math.round(stage.cpuNanos[i] / 1e9 / stage.seconds * 100) / 100.0)
                        .put(
                                p + "runq_wait_" + PROCESSES.get(i),
                                Math.round(stage.waitNanos[i] / 1e9 / stage.seconds * 100) / 100.0)
                        .put(
                                p + "jit_cores_" + PROCESSES.get(i),
                                Math.round(stage.jitNanos[i] / 1e9 / stage.seconds * 100) / 100.0);
            }
            long[] processed = processed(stage);
            for (int g = 0; g < GROUPS.size(); g++) {
                String n = STAGE_NAMES.get(g);
                result.put(p + "processed_per_s_" + n, Math.round(processed[g] / stage.seconds))
                        .put(p + "cpu_us_per_processed_" + n, perEvent(stage.cpuNanos[g + 1], processed[g]));
            }
            latency(result, p + "canonical", l.canonical, l.answered);
            latency(result, p + "metrics", l.metrics, l.answered);
            latency(result, p + "metrics_after_close", l.metricsAfterClose, l.answered);
            latency(result, p + "alert", l.alert, l.bursts);
            latency(result, p + "table", l.table, l.answered);
            result.put(p + "verdict", step.verdict());
            System.out.printf(
                    "%-6d %7d %10d | %-27s | %s | %s | %s | %s%n",
                    stage.index,
                    stage.rate,
                    Math.round(accepted / stage.seconds),
                    growing.isEmpty() ? "none" : String.join(", ", growing),
                    ms(l.canonical),
                    seconds(l.metrics, l.answered),
                    ms(l.alert) + " (" + l.alert.getTotalCount() + "/" + l.bursts + ")",
                    ms(l.table));
        }
        var capacity = Capacity.sustained(steps);
        String line = capacityLine(steps);
        System.out.println(line);
        result.put("sustained_events_per_s", capacity.orElse(0)).put("capacity", line);
    }

    /** The run's capacity line: the sustained capacity and the lowest step that was not sustained, with why. */
    static String capacityLine(List<Capacity.Step> steps) {
        return Capacity.sustained(steps)
                        .map(c -> "sustained capacity: " + c + " events/s")
                        .orElse("sustained capacity: below the lowest step ("
                                + steps.get(0).offeredPerSecond() + " events/s)")
                + steps.stream()
                        .filter(s -> !s.sustained())
                        .min(Comparator.comparingInt(Capacity.Step::offeredPerSecond))
                        .map(s -> "; first step not sustained: " + s.offeredPerSecond() + " events/s (" + s.verdict()
                                + ")")
                        .orElse("");
    }

    static void latency(BenchmarkResult result, String prefix, Histogram h, long of) {
        result.put(prefix + "_seen", h.getTotalCount() + "/" + of);
        if (h.getTotalCount() > 0) {
            result.put(prefix + "_p50_ms", Math.round(h.getValueAtPercentile(50) / 1000.0))
                    .put(prefix + "_p99_ms", Math.round(h.getValueAtPercentile(99) / 1000.0))
                    .put(prefix + "_max_ms", Math.round(h.getMaxValue() / 1000.0));
        }
    }

    private static String ms(Histogram h) {
        return h.getTotalCount() == 0
                ? "-"
                : String.format(
                        "%d/%d/%d",
                        Math.round(h.getValueAtPercentile(50) / 1000.0),
                        Math.round(h.getValueAtPercentile(99) / 1000.0),
                        Math.round(h.getMaxValue() / 1000.0));
    }

    private static String seconds(Histogram h, long of) {
        return h.getTotalCount() == 0
                ? "- (0/" + of + ")"
                : String.format(
                        "%.1f/%.1f/%.1f (%d/%d)",
                        h.getValueAtPercentile(50) / 1e6,
                        h.getValueAtPercentile(99) / 1e6,
                        h.getMaxValue() / 1e6,
                        h.getTotalCount(),
                        of);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** {@code java ... PipelineBenchmark [--rates ...] [--step-seconds N] ...} */
    public static void main(String[] args) throws Exception {
        BenchmarkRunner.main(BenchmarkRunner.only("pipeline", args));
    }
}
