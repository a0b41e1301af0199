package io.quintet.demo;

import io.quintet.model.cli.Usage;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.model.topics.TopicsTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The whole pipeline on this machine, as separate processes: a real Kafka broker (deploy/bin/kafka-local.sh), the
 * topic catalogue, the ingest gateway, the enricher, the feed-aggregator and the analytics sink (logs in one
 * folder), then the demo day through the gateway with progress, then a summary of every part. Ctrl-C stops
 * everything cleanly; {@code --keep} leaves the services running for the user's own producers.
 */
public final class LocalPipeline implements AutoCloseable {
    static final String ENRICHER_APP = "quintet-enricher";
    static final String FEEDS_APP = "quintet-feed-aggregator";
    static final String SINK_GROUP = "quintet-analytics-sink";

    private final PipelineSettings settings;
    private final List<ServiceProcess> services = new ArrayList<>();
    private String bootstrap;
    private boolean startedBroker;
    private String writeKey;
    private ServiceConfigs configs;

    LocalPipeline(PipelineSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        if (Usage.printIfRequested(args, PipelineSettings.HELP)) {
            return;
        }
        Path repo = repoRoot();
        PipelineSettings settings;
        try {
            settings = PipelineSettings.parse(args, repo);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        LocalPipeline pipeline = new LocalPipeline(settings);
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            System.out.println("\nquintet: stopping services and broker...");
            pipeline.close();
            done.countDown();
        }, "quintet-stop");
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
    }

    /** Starts (or connects to) the broker, creates the topics and starts the four services. */
    void start() throws Exception {
        Files.createDirectories(settings.logs());
        bootstrap = settings.bootstrap();
        if (bootstrap == null) {
            step("starting the Kafka broker (deploy/bin/kafka-local.sh)");
            run(List.of(settings.repo().resolve("deploy/bin/kafka-local.sh").toString(), "start"));
            startedBroker = true;
            bootstrap = "127.0.0.1:" + System.getenv().getOrDefault("QUINTET_KAFKA_PORT", "9092");
        }
        step("creating the topic catalogue on " + bootstrap);
        try (Admin admin = admin()) {
            TopicsTool.Report report = TopicsTool.ensure(admin, TopicCatalogue.defaults(), false);
            System.out.println("  " + topicStep(report));
        }
        writeKey = newWriteKey();
        configs = new ServiceConfigs(settings, bootstrap, sha256(writeKey));
        Path logs = settings.logs();
        step("starting services (logs in " + logs + ")");
        services.add(ServiceProcess.start(settings.repo(), "ingest-gateway", "gateway", "io.quintet.gateway.GatewayMain",
                List.of("--config", configs.gateway().toString()), Map.of(), logs, "384m"));
        services.add(ServiceProcess.start(settings.repo(), "enricher", "enricher", "io.quintet.enricher.EnricherApp",
                List.of(configs.enricher().toString()), Map.of(), logs, "512m"));
        services.add(ServiceProcess.start(settings.repo(), "feed-aggregator", "feed-aggregator",
                "io.quintet.feeds.app.FeedAggregatorApp", List.of(configs.feeds().toString()), Map.of(), logs, "512m"));
        services.add(ServiceProcess.start(settings.repo(), "analytics-sink", "analytics-sink",
                "io.quintet.sink.AnalyticsSinkMain", List.of(configs.sink().toString()), Map.of(), logs, "512m"));
        Duration startup = Duration.ofSeconds(180);
        services.get(0).awaitHttpOk(settings.gatewayUrl() + "/readyz", startup);
        System.out.println("  gateway ready at " + settings.gatewayUrl());
        services.get(2).awaitHttpOk(settings.feedsUrl() + "/health", startup);
        awaitGroup(ENRICHER_APP, services.get(1), startup);
        System.out.println("  enricher running");
        awaitGroup(FEEDS_APP, services.get(2), startup);
        System.out.println("  feed-aggregator running at " + settings.feedsUrl());
        awaitGroup(SINK_GROUP, services.get(3), startup);
        System.out.println("  analytics-sink running (warehouse " + configs.warehouse() + ")");
    }

    /** Plays the demo day through the gateway, printing progress, and waits for the pipeline to settle. */
    DemoReport playDemoDay() throws Exception {
        step("playing the demo day through the gateway (" + settings.rate() + " events/s for "
                + settings.duration().toSeconds() + " s, " + settings.users() + " users, seed " + settings.seed() + ")");
        GatewayClient gateway = new GatewayClient(settings.gatewayUrl(), writeKey);
        DemoReport report = new DemoReport();
        for (var e : DemoDay.identities().entrySet()) {
            GatewayClient.Answer a = gateway.identify(e.getKey(), e.getValue());
            report.personalData.person(e.getKey());
            report.identifyAccepted += a.status() / 100 == 2 ? 1 : 0;
            report.statuses.merge(a.status(), 1, Integer::sum);
        }
        GatewayClient.Answer group = gateway.group(DemoDay.POST_OWNER, DemoDay.POST_OWNER_GROUP, DemoDay.POST_OWNER_GROUP_TRAITS);
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

        LoadGenerator load = new LoadGenerator(settings.seed(), settings.users(), Instant.now(),
                Duration.ofNanos(1_000_000_000L / settings.rate()));
        try (ProgressPrinter progress = new ProgressPrinter(bootstrap, report)) {
            long end = System.nanoTime() + settings.duration().toNanos();
            int perTick = Math.max(1, settings.rate() / 5);
            while (System.nanoTime() < end) {
                long tick = System.nanoTime();
                List<CanonicalEvent> batch = new ArrayList<>(perTick);
                for (int i = 0; i < perTick; i++) {
                    CanonicalEvent e = load.next();
                    batch.add(e.toBuilder().eventTimestamp(Instant.now()).observedTimestamp(null).build());
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
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            String raw = TopicCatalogue.defaults().name(TopicCatalogue.EVENTS_RAW);
            producer.send(new ProducerRecord<>(raw, "legacy-1".getBytes(StandardCharsets.UTF_8),
                    "{\"event\":\"Order Completed\",\"userId\":\"legacy-1\"}".getBytes(StandardCharsets.UTF_8))).get();
            ProducerRecord<byte[], byte[]> broken = new ProducerRecord<>(raw, "legacy-2".getBytes(StandardCharsets.UTF_8),
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
        System.out.println("Write key for your producers (bound to every source): " + writeKey);
        System.out.println("Try:");
        System.out.println("  curl -s -X POST " + settings.gatewayUrl() + "/v1/events -H 'Authorization: Bearer " + writeKey + "' \\");
        System.out.println("    -H 'Content-Type: application/json' -d '{\"id\":\"'$(cat /proc/sys/kernel/random/uuid)'\","
                + "\"event_timestamp\":\"'$(date -u +%Y-%m-%dT%H:%M:%SZ)'\",\"source\":\"my-app\","
                + "\"action\":{\"name\":\"auth.user.login_succeeded\",\"type\":\"access\"},"
                + "\"actor\":{\"id\":\"me\",\"type\":\"user\"},"
                + "\"context\":{\"domain_specific\":{\"analytics\":{\"properties\":{\"login_method\":\"password\"}}}}}'");
    }

    private void awaitGroup(String groupId, ServiceProcess process, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                if (!process.alive()) {
                    throw new IllegalStateException(process.name() + " exited during start-up; see " + process.log() + process.logTail());
                }
                try {
                    ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(groupId)).describedGroups()
                            .get(groupId).get(5, TimeUnit.SECONDS);
                    if (d.groupState() == GroupState.STABLE && !d.members().isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    // the group does not exist until the service has joined: keep polling until the deadline
                }
                TimeUnit.MILLISECONDS.sleep(500);
            }
        }
        throw new IllegalStateException(process.name() + " did not join consumer group " + groupId + " within "
                + timeout.toSeconds() + " s; see " + process.log());
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    @Override
    public synchronized void close() {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).close();
        }
        services.clear();
        if (startedBroker) {
            try {
                run(List.of(settings.repo().resolve("deploy/bin/kafka-local.sh").toString(), "stop"));
            } catch (Exception e) {
                System.err.println("quintet: could not stop the broker: " + e.getMessage());
            }
            startedBroker = false;
        }
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(settings.repo().toFile()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + p.exitValue());
        }
    }

    /** The topic step's line: how many topics were created and how many existed (TopicsTool lists them apart). */
    static String topicStep(TopicsTool.Report report) {
        String line = report.created().size() + " created, " + report.existing().size() + " already there";
        return report.drift().isEmpty() ? line : line + "; drift from the catalogue: " + report.drift();
    }

    private static void step(String what) {
        System.out.println("==> " + what);
    }

    static String newWriteKey() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return "qk_" + HexFormat.of().formatHex(b);
    }

    static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path repoRoot() {
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

    String bootstrap() {
        return bootstrap;
    }
}
