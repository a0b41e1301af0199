package io.quintet.benchmarks.pipeline;

import io.quintet.benchmarks.Machine;
import io.quintet.demo.GatewayClient;
import io.quintet.demo.LoadGenerator;
import io.quintet.demo.LocalPipeline;
import io.quintet.demo.PipelineProcesses;
import io.quintet.demo.PipelineSettings;
import io.quintet.demo.PipelineState;
import io.quintet.demo.ServiceProcess;
import io.quintet.demo.TopicReader;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.support.cli.Cli;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * {@code ./quintet chaos}: faults against the whole pipeline under load, then the id count ({@link ChaosSettings.Line}).
 * The pipeline ({@link ChaosTarget}) is a kept {@code ./quintet run --keep}, attached to through its
 * {@link PipelineState} file and left running afterwards, or one of its own as {@link PipelineProcesses} deploys it
 * for {@code ./quintet run} and the pipeline benchmark, with a broker of its own on free ports. Load is the
 * benchmark's {@link OpenLoopLoad}, the count its {@link IdAccounting}.
 */
public final class ChaosMain {
    static final List<String> KILLED = List.of("enricher", "feed-aggregator", "analytics-sink", "gateway");
    static final List<String> GROUPS =
            List.of(PipelineProcesses.ENRICHER_APP, PipelineProcesses.FEEDS_APP, PipelineProcesses.SINK_GROUP);
    static final Duration RESTART_TIMEOUT = Duration.ofSeconds(180);

    private ChaosMain() {}

    public static void main(String[] args) {
        Cli.main(new ChaosSettings.Line(ChaosMain::chaos), args);
    }

    static int chaos(ChaosSettings chaos) throws Exception {
        Path repo = LocalPipeline.repoRoot();
        ChaosTarget target;
        try {
            target = ChaosTarget.choose(
                    chaos.attach(),
                    chaos.own(),
                    repo,
                    PipelineState::read,
                    pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("chaos: " + e.getMessage());
            System.exit(2);
            return 2; // not reached
        }
        step("chaos: " + target.why());
        int status = target.attach() ? attached(target.state(), chaos) : own(repo, chaos);
        System.exit(status);
        return status; // not reached
    }

    /**
     * Against a kept run: its processes are killed and restarted the way it started them, its broker stopped and
     * started with its settings; everything is left running (the restarted services are in the state file, so the run
     * stops them when it stops).
     */
    static int attached(PipelineState state, ChaosSettings chaos) {
        if (state.broker() == null) {
            System.err.println("chaos: the kept run uses a broker it did not start (--bootstrap " + state.bootstrap()
                    + "): chaos cannot stop and restart it; use --own");
            return 2;
        }
        if (chaos.keep()) {
            System.out.println("  (--keep has no effect here: the kept run keeps its pipeline running)");
        }
        PipelineProcesses pipeline;
        try {
            pipeline = PipelineProcesses.attach(state);
        } catch (IllegalStateException e) {
            System.err.println("chaos: the kept run is not whole: " + e.getMessage());
            return 2;
        }
        PipelineSettings settings = pipeline.settings();
        boolean ok;
        try {
            ok = run(pipeline, settings, chaos);
        } catch (Exception e) {
            System.err.println("chaos: " + e.getMessage());
            ok = false;
        }
        System.out.println(ok ? "==> chaos: PASSED" : "==> chaos: FAILED (logs in " + settings.logs() + ")");
        StringBuilder left = new StringBuilder("the kept run's pipeline is left running:");
        boolean whole = true;
        for (ServiceProcess s : pipeline.services()) {
            left.append(' ').append(s.name()).append(s.alive() ? " (pid " + s.pid() + ")" : " (NOT RUNNING)");
            whole &= s.alive();
        }
        long brokerPid = pipeline.brokerPid();
        boolean brokerUp = brokerPid != 0
                && ProcessHandle.of(brokerPid).map(ProcessHandle::isAlive).orElse(false);
        left.append(", broker ").append(brokerUp ? "(pid " + brokerPid + ")" : "NOT RUNNING");
        System.out.println(left);
        return ok && whole && brokerUp ? 0 : 1;
    }

    static int own(Path repo, ChaosSettings chaos) throws Exception {
        Path work = repo.resolve(".quintet/chaos");
        Machine.deleteTree(work);
        PipelineSettings settings = new PipelineSettings(
                repo, work, null, freePort(), freePort(), 1, Duration.ZERO, chaos.users(), chaos.seed(), false);
        Map<String, String> brokerEnv = Map.of(
                "QUINTET_KAFKA_PORT",
                String.valueOf(freePort()),
                "QUINTET_KAFKA_CONTROLLER_PORT",
                String.valueOf(freePort()),
                "QUINTET_KAFKA_DATA",
                work.resolve("kafka").toString());
        PipelineProcesses pipeline = new PipelineProcesses(settings, brokerEnv);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            pipeline.close();
                            stopped.countDown();
                        },
                        "chaos-stop"));
        boolean ok;
        try {
            pipeline.start();
            ok = run(pipeline, settings, chaos);
        } catch (Exception e) {
            System.err.println("chaos: " + e.getMessage());
            System.err.println("chaos: logs are in " + settings.logs());
            ok = false;
        }
        System.out.println(ok ? "==> chaos: PASSED" : "==> chaos: FAILED (logs in " + settings.logs() + ")");
        if (chaos.keep()) {
            System.out.println("the pipeline keeps running (Ctrl-C stops it): gateway " + settings.gatewayUrl()
                    + ", write key " + pipeline.writeKey() + ", Kafka " + pipeline.bootstrap());
            stopped.await();
        }
        return ok ? 0 : 1;
    }

    static boolean run(PipelineProcesses pipeline, PipelineSettings settings, ChaosSettings chaos) throws Exception {
        TopicCatalogue topics = TopicCatalogue.defaults();
        String canonical = topics.name(TopicCatalogue.EVENTS_CANONICAL);
        GatewayClient gateway = new GatewayClient(settings.gatewayUrl(), pipeline.writeKey());
        EventLog log = new EventLog();
        LoadGenerator generator = new LoadGenerator(chaos.seed(), chaos.users(), Instant.now(), Duration.ofMillis(1));
        String tag = Long.toHexString(System.currentTimeMillis());
        // the probe has an HTTP client (connection) of its own: on the load's HTTP/2 connection, requests held by the
        // gateway during the outage use up the concurrent streams and the probe would see no answer at all
        OutageProbe probe = new OutageProbe(new GatewayClient(settings.gatewayUrl(), pipeline.writeKey()), 200);
        try (TableWatcher table = new TableWatcher(
                        pipeline.sinkConfig(),
                        canonical,
                        topics.spec(TopicCatalogue.EVENTS_CANONICAL).partitions());
                OpenLoopLoad load = new OpenLoopLoad(gateway, generator, log, tag, 1, 5, 20)) {
            step("load: " + chaos.rate() + " events/s through the gateway");
            load.stage(0, chaos.rate());
            TimeUnit.SECONDS.sleep(10);
            for (String service : KILLED) {
                step("SIGKILL " + service);
                pipeline.kill(service);
                TimeUnit.MILLISECONDS.sleep(chaos.downtime().toMillis());
                step("restarting " + service);
                pipeline.restart(service, RESTART_TIMEOUT);
                TimeUnit.SECONDS.sleep(5);
            }
            step("stopping the broker for " + chaos.downtime().toSeconds() + " s; probing the gateway meanwhile");
            pipeline.stopBroker();
            probe.start();
            TimeUnit.MILLISECONDS.sleep(chaos.downtime().toMillis());
            probe.close();
            probe.print(System.out);
            step("restarting the broker");
            pipeline.startBroker();
            TimeUnit.SECONDS.sleep(10);
            load.stop(60);
            System.out.printf(
                    "  load: %d sent, %d accepted, %d refused, %d without answer, %d shed%n",
                    load.sent.get(0), load.accepted.get(0), load.rejected.get(0), load.failed.get(0), load.shed.get(0));
            step("waiting for every consumer group to reach lag 0");
            try (Admin admin = pipeline.admin()) {
                Map<String, String> inputs = new java.util.LinkedHashMap<>();
                GROUPS.forEach(g -> inputs.put(g, PipelineBenchmark.mainInput(g)));
                new CatchUp(admin, pipeline.bootstrap()).await(inputs, chaos.catchUp(), System.out);
            }
            step("counting ids");
            Set<String> accepted = new HashSet<>(probe.acceptedIds());
            log.events.forEach((id, t) -> {
                if (t.answeredNanos != 0) {
                    accepted.add(id);
                }
            });
            List<String> canonicalIds;
            List<String> dlqIds;
            try (TopicReader reader = new TopicReader(pipeline.bootstrap())) {
                canonicalIds = reader.readAll(canonical).stream()
                        .map(r -> idOf(r, "canonical"))
                        .toList();
                dlqIds = reader.readAll(topics.name(TopicCatalogue.EVENTS_DLQ)).stream()
                        .map(r -> idOf(r, "dlq"))
                        .toList();
            }
            return verdict(IdAccounting.count(accepted, canonicalIds, dlqIds, table.ids()), canonicalIds, probe);
        }
    }

    /** Prints the counts and says whether they hold. */
    static boolean verdict(IdAccounting ids, List<String> canonicalIds, OutageProbe probe) {
        Map<String, Integer> times = new HashMap<>();
        canonicalIds.forEach(id -> times.merge(id, 1, Integer::sum));
        long duplicatedOnCanonical = times.values().stream().filter(n -> n > 1).count();
        Set<String> refusedButStored = new HashSet<>(probe.refusedIds());
        refusedButStored.retainAll(times.keySet());
        System.out.println("  ids: " + ids.summary());
        System.out.println("  accepted = canonical + dead-lettered: " + ids.accepted() + " = "
                + (ids.accepted() - ids.missing().size()) + " found ("
                + ids.missing().size() + " missing)");
        System.out.println("  ids twice or more on events.canonical: " + duplicatedOnCanonical);
        System.out.println(
                "  probe events the gateway refused that reached events.canonical anyway: " + refusedButStored.size()
                        + " (a refusal that Kafka took is a duplicate after the client's retry; reported, the client was told to retry)");
        System.out.println(
                "  503 answers without Retry-After during the outage: " + probe.unavailableWithoutRetryAfter());
        return ids.ok() && duplicatedOnCanonical == 0 && probe.unavailableWithoutRetryAfter() == 0;
    }

    private static String idOf(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> r, String topic) {
        String id = TopicReader.header(r, "ce_id");
        return id != null ? id : "(" + topic + " record without ce_id at " + r.partition() + "@" + r.offset() + ")";
    }

    private static void step(String what) {
        System.out.println("==> " + Instant.now().toString().substring(11, 19) + " " + what);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
