package io.quintet.demo;

import io.quintet.model.CanonicalEvent;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.support.cli.Cli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The whole pipeline on this machine, as separate processes: a real Kafka broker (deploy/bin/kafka-local.sh), the
 * topic catalogue, the ingest gateway, the enricher, the feed-aggregator and the analytics sink (logs in one
 * folder), then the demo day through the gateway with progress, then a summary of every part. Ctrl-C stops
 * everything cleanly; {@code --keep} leaves the services running for the user's own producers.
 */
public final class LocalPipeline implements AutoCloseable {
    static final String FEEDS_APP = PipelineProcesses.FEEDS_APP;

    private final PipelineSettings settings;
    private final PipelineProcesses processes;
    private String bootstrap;
    private String writeKey;
    private ServiceConfigs configs;

    LocalPipeline(PipelineSettings settings) {
        this.settings = settings;
        this.processes = new PipelineProcesses(settings, Map.of());
    }

    public static void main(String[] args) {
        Cli.main(new PipelineSettings.Line(LocalPipeline::repoRoot, LocalPipeline::run), args);
    }

    static int run(PipelineSettings settings) throws Exception {
        LocalPipeline pipeline = new LocalPipeline(settings);
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    System.out.println("\nquintet: stopping services and broker...");
                    pipeline.close();
                    done.countDown();
                },
                "quintet-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            pipeline.start();
            DemoReport report = pipeline.playDemoDay();
            PipelineSummary summary = pipeline.summarize(report);
            summary.print(System.out);
            pipeline.scanForPersonalData(report).print(System.out);
            if (settings.keep()) {
                pipeline.printKeepInstructions();
                done.await(); // until Ctrl-C
            }
        } catch (Exception e) {
            System.err.println("quintet: " + e.getMessage());
            System.err.println("quintet: logs are in " + settings.logs());
            Runtime.getRuntime().exit(1);
        }
        // the shutdown hook stops everything on exit
        return 0;
    }

    /** Starts (or connects to) the broker, creates the topics and starts the four services. */
    void start() throws Exception {
        processes.start();
        bootstrap = processes.bootstrap();
        writeKey = processes.writeKey();
        configs = processes.configs();
    }

    /** Plays the demo day through the gateway, printing progress, and waits for the pipeline to settle. */
    DemoReport playDemoDay() throws Exception {
        step("playing the demo day through the gateway (" + settings.rate() + " events/s for "
                + settings.duration().toSeconds() + " s, " + settings.users() + " users, seed " + settings.seed()
                + ")");
        GatewayClient gateway = new GatewayClient(settings.gatewayUrl(), writeKey);
        DemoReport report = new DemoReport();
        for (var e : DemoDay.identities().entrySet()) {
            GatewayClient.Answer a = gateway.identify(e.getKey(), e.getValue());
            report.personalData.person(e.getKey());
            report.identifyAccepted += a.status() / 100 == 2 ? 1 : 0;
            report.statuses.merge(a.status(), 1, Integer::sum);
        }
        GatewayClient.Answer group =
                gateway.group(DemoDay.POST_OWNER, DemoDay.POST_OWNER_GROUP, DemoDay.POST_OWNER_GROUP_TRAITS);
        report.statuses.merge(group.status(), 1, Integer::sum);
        DemoDay day = new DemoDay(Clock.systemUTC());
        List<CanonicalEvent> stories = day.stories();
        report.likeIds.addAll(day.likeIds());
        stories.forEach(report.personalData::collect);
        report.record(gateway.sendEvents(stories), stories.size());
        CanonicalEvent violation = day.trackingPlanViolation();
        report.personalData.collect(violation);
        report.record(gateway.sendEvents(List.of(violation)), 1);
        for (String bad : DemoDay.invalidForGateway()) {
            GatewayClient.Answer a = gateway.sendRaw(bad);
            report.record(a, 1);
            report.gatewayRejections.addAll(a.errorCodes());
        }
        sendLegacyGarbage(report);

        LoadGenerator load = new LoadGenerator(
                settings.seed(), settings.users(), Instant.now(), Duration.ofNanos(1_000_000_000L / settings.rate()));
        try (ProgressPrinter progress = new ProgressPrinter(bootstrap, report)) {
            long end = System.nanoTime() + settings.duration().toNanos();
            int perTick = Math.max(1, settings.rate() / 5);
            while (System.nanoTime() < end) {
                long tick = System.nanoTime();
                List<CanonicalEvent> batch = new ArrayList<>(perTick);
                for (int i = 0; i < perTick; i++) {
                    CanonicalEvent e = load.next();
                    batch.add(e.toBuilder()
                            .eventTimestamp(Instant.now())
                            .observedTimestamp(null)
                            .build());
                    report.personalData.collect(e);
                }
                report.record(gateway.sendEvents(batch), batch.size());
                progress.maybePrint();
                long sleep = TimeUnit.MILLISECONDS.toNanos(200) - (System.nanoTime() - tick);
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
            }
            GatewayClient.Answer erasure = gateway.erase(DemoDay.ERASED, "user asked to be forgotten (demo)");
            report.personalData.person(DemoDay.ERASED);
            report.erasureStatus = erasure.status();
            report.statuses.merge(erasure.status(), 1, Integer::sum);
            step("waiting for the pipeline to settle");
            progress.awaitQuiet(Duration.ofSeconds(20), Duration.ofSeconds(120));
        }
        return report;
    }

    PipelineSummary summarize(DemoReport report) throws Exception {
        return PipelineSummary.gather(settings, bootstrap, report, configs);
    }

    /** The privacy invariant over everything downstream of the enricher (see {@link PrivacyScan}). */
    PrivacyScan scanForPersonalData(DemoReport report) throws Exception {
        return PrivacyScan.ofPipeline(report.personalData.values(), bootstrap, FEEDS_APP, configs.sink());
    }

    private void sendLegacyGarbage(DemoReport report) throws Exception {
        Map<String, Object> props =
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            String raw = TopicCatalogue.defaults().name(TopicCatalogue.EVENTS_RAW);
            producer.send(new ProducerRecord<>(
                            raw,
                            "legacy-1".getBytes(StandardCharsets.UTF_8),
                            "{\"event\":\"Order Completed\",\"userId\":\"legacy-1\"}".getBytes(StandardCharsets.UTF_8)))
                    .get();
            ProducerRecord<byte[], byte[]> broken = new ProducerRecord<>(
                    raw,
                    "legacy-2".getBytes(StandardCharsets.UTF_8),
                    "{\"specversion\":\"1.0\",\"id\":".getBytes(StandardCharsets.UTF_8));
            broken.headers().add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
            producer.send(broken).get();
            report.sentStraightToKafka += 2;
            report.personalData.person("legacy-1");
            report.personalData.person("legacy-2");
        }
    }

    void printKeepInstructions() {
        System.out.println();
        System.out.println("The pipeline keeps running (Ctrl-C stops it). Gateway: " + settings.gatewayUrl()
                + "  feeds/metrics API: " + settings.feedsUrl() + "  Kafka: " + bootstrap);
        if (settings.withConsole()) {
            System.out.println("Web console: " + settings.consoleUrl() + "/  (log in with the feed API key below)");
        }
        System.out.println("Write key for your producers (bound to every source): " + writeKey);
        System.out.println("Feed API key (every scope, the console's too; send it as 'Authorization: Bearer <key>'): "
                + configs.feedsKey());
        System.out.println("Prometheus endpoints: " + metricsUrls());
        System.out.println("Faults under load against this run (it stays up afterwards): ./quintet chaos   (state: "
                + PipelineState.file(settings.work()) + ")");
        System.out.println("Try:");
        System.out.println("  curl -s -X POST " + settings.gatewayUrl() + "/v1/events -H 'Authorization: Bearer "
                + writeKey + "' \\");
        System.out.println(
                "    -H 'Content-Type: application/json' -d '{\"id\":\"'$(cat /proc/sys/kernel/random/uuid)'\","
                        + "\"event_timestamp\":\"'$(date -u +%Y-%m-%dT%H:%M:%SZ)'\",\"source\":\"my-app\","
                        + "\"action\":{\"name\":\"auth.user.login_succeeded\",\"type\":\"access\"},"
                        + "\"actor\":{\"id\":\"me\",\"type\":\"user\"},"
                        + "\"context\":{\"domain_specific\":{\"analytics\":{\"properties\":{\"login_method\":\"password\"}}}}}'");
        System.out.println("  curl -s '" + settings.feedsUrl()
                + "/metrics/current?window=1m&dimension=domain' -H 'Authorization: Bearer " + configs.feedsKey() + "'");
        System.out.println(
                "  # a token for one user's app (asked by user id through the enricher's audited vault lookup), then that user's feed:");
        System.out.println("  curl -s -X POST " + settings.feedsUrl() + "/v1/tokens -H 'Authorization: Bearer "
                + configs.feedsKey() + "' -d '{\"user_id\":\"" + DemoDay.POST_OWNER + "\"}'");
        System.out.println("  curl -s " + settings.feedsUrl()
                + "/feeds/notifications/<reader> -H 'Authorization: Bearer <token>'");
        System.out.println(
                "  # an entity's recent events, newest first: the feed-aggregator's GET /v1/entities/invoice/"
                        + DemoDay.INVOICE
                        + "/events with entity.history.enabled=true (off by default: docs/feed-aggregator.md),");
        System.out.println("  # or the warm store's same endpoint on the sink's serving port (docs/analytics-sink.md)");
        System.out.println(
                "  curl -sN '" + settings.feedsUrl() + "/v1/stream/events?pattern=auth.*' -H 'Authorization: Bearer "
                        + configs.feedsKey() + "'   # live canonical events (Server-Sent Events)");
    }

    /** Each service's Prometheus endpoint, by service name. */
    Map<String, String> metricsUrls() {
        return new java.util.TreeMap<>(configs.metricsUrls());
    }

    @Override
    public void close() {
        processes.close();
    }

    private static void step(String what) {
        PipelineProcesses.step(what);
    }

    /** The repository root: the nearest folder up from the working directory that holds {@code quintet}. */
    public static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("quintet"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("run from inside the Quintet repository");
        }
        return p;
    }

    String writeKey() {
        return writeKey;
    }

    /** The run's feed API key (every scope): it also logs in to the web console. */
    String feedsKey() {
        return configs.feedsKey();
    }

    PipelineSettings settings() {
        return settings;
    }

    String bootstrap() {
        return bootstrap;
    }
}
