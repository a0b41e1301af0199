package io.quintet.benchmarks.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.OpenTelemetry;
import io.quintet.demo.GatewayClient;
import io.quintet.demo.LoadGenerator;
import io.quintet.demo.TopicReader;
import io.quintet.enricher.EnricherConfig;
import io.quintet.enricher.EnricherTopology;
import io.quintet.enricher.privacy.PrivacyStep;
import io.quintet.enricher.telemetry.EnricherTelemetry;
import io.quintet.gateway.Gateway;
import io.quintet.gateway.auth.WriteKeyAuthenticator;
import io.quintet.gateway.config.GatewayConfig;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.support.topics.TopicsTool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./quintet chaos}'s broker outage on a small scale, in the suite: the gateway and the enricher (exactly-once
 * Kafka Streams) on a one-node KRaft cluster of their own (Kafka's test kit, so its broker can be stopped and started
 * again), under open-loop load. While the broker is down the gateway answers 503 with Retry-After; after it is back
 * and the enricher's group has reached lag 0, every event the gateway acknowledged is on events.canonical or
 * events.dlq exactly once (the benchmark's {@link IdAccounting}), and no id is twice on events.canonical.
 */
@Tag("integration")
@Timeout(150)
class BrokerRestartIT {
    static final String WRITE_KEY = "qk_broker_restart_it";

    @TempDir
    Path state;

    KafkaClusterTestKit cluster;
    Gateway gateway;
    KafkaStreams enricher;

    @AfterEach
    void stop() throws Exception {
        if (enricher != null) {
            enricher.close(Duration.ofSeconds(20));
        }
        if (gateway != null) {
            gateway.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void whileTheBrokerIsDownTheGatewayAnswers503WithRetryAfterAndNoAcknowledgedEventIsLostOrDuplicated()
            throws Exception {
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                .setConfigProp("auto.create.topics.enable", "false")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        String bootstrap = cluster.bootstrapServers();
        String prefix = "restart-" + System.nanoTime() + ".";
        TopicCatalogue topics = TopicCatalogue.of(prefix, 2, (short) 1);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            TopicsTool.ensure(admin, topics, false);
        }
        gateway = Gateway.start(
                GatewayConfig.of(Map.of(
                        GatewayConfig.HTTP_HOST, "127.0.0.1",
                        GatewayConfig.HTTP_PORT, "0",
                        GatewayConfig.KAFKA_BOOTSTRAP, bootstrap,
                        GatewayConfig.TOPICS_PREFIX, prefix,
                        GatewayConfig.KAFKA_HEALTH_INTERVAL_MS, "200",
                        GatewayConfig.KAFKA_DELIVERY_TIMEOUT_MS, "5000",
                        GatewayConfig.AUTH_WRITE_KEYS,
                                "it:" + WriteKeyAuthenticator.sha256Hex(WRITE_KEY) + ":demo-app|*")),
                OpenTelemetry.noop(),
                null);
        String appId = "restart-it-enricher-" + System.nanoTime();
        EnricherConfig config = EnricherConfig.of(Map.of(
                EnricherConfig.BOOTSTRAP,
                bootstrap,
                EnricherConfig.APPLICATION_ID,
                appId,
                EnricherConfig.TOPIC_PREFIX,
                prefix,
                EnricherConfig.STATE_DIR,
                state.toString(),
                EnricherConfig.PRIVACY_ENABLED,
                "false",
                "commit.interval.ms",
                "100"));
        enricher = new KafkaStreams(
                EnricherTopology.buildTopology(
                        config.settings(), EnricherTelemetry.noop(), PrivacyStep.disabled(), Optional.empty()),
                config.streamsProperties());
        enricher.setUncaughtExceptionHandler(e -> StreamThreadExceptionResponse.REPLACE_THREAD); // as EnricherApp does
        enricher.start();
        await("the enricher reaching RUNNING")
                .atMost(Duration.ofSeconds(60))
                .until(() -> enricher.state() == KafkaStreams.State.RUNNING);

        String url = "http://127.0.0.1:" + gateway.port();
        GatewayClient client = new GatewayClient(url, WRITE_KEY);
        EventLog log = new EventLog();
        OutageProbe probe = new OutageProbe(client, 100);
        try (OpenLoopLoad load = new OpenLoopLoad(
                client, new LoadGenerator(3, 50, Instant.now(), Duration.ofMillis(1)), log, "it", 1, 60, 20)) {
            load.stage(0, 100);
            TimeUnit.SECONDS.sleep(3);
            assertThat(load.accepted.get(0))
                    .as("events accepted before the outage")
                    .isPositive();

            BrokerServer broker = cluster.brokers().values().iterator().next();
            broker.shutdown();
            broker.awaitShutdown();
            awaitReadyz(url, 503);
            probe.start();
            TimeUnit.SECONDS.sleep(4);
            probe.close();
            broker.startup();
            awaitReadyz(url, 200);
            TimeUnit.SECONDS.sleep(3);
            load.stop(30);
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            new CatchUp(admin, bootstrap)
                    .await(Map.of(appId, topics.name(TopicCatalogue.EVENTS_RAW)), Duration.ofSeconds(60), System.out);
        }

        System.out.println("the gateway's answers while the broker was down: " + probe.answers());
        assertThat(probe.answers().keySet())
                .as("the gateway's answers while the broker was down")
                .anyMatch(answer -> answer.startsWith("503 Retry-After: "))
                .noneMatch(answer -> answer.startsWith("2"));
        assertThat(probe.unavailableWithoutRetryAfter()).isZero();
        Set<String> accepted = new HashSet<>(probe.acceptedIds());
        log.events.forEach((id, t) -> {
            if (t.answeredNanos != 0) {
                accepted.add(id);
            }
        });
        assertThat(accepted).hasSizeGreaterThan(300);
        List<String> canonical;
        List<String> dlq;
        try (TopicReader reader = new TopicReader(bootstrap)) {
            canonical = reader.readAll(topics.name(TopicCatalogue.EVENTS_CANONICAL)).stream()
                    .map(r -> TopicReader.header(r, "ce_id"))
                    .toList();
            dlq = reader.readAll(topics.name(TopicCatalogue.EVENTS_DLQ)).stream()
                    .map(r -> TopicReader.header(r, "ce_id"))
                    .toList();
        }
        IdAccounting ids = IdAccounting.count(accepted, canonical, dlq, canonical);
        System.out.println("ids: " + ids.summary());
        assertThat(ids.missing()).as(ids.summary()).isEmpty();
        assertThat(ids.duplicated()).as(ids.summary()).isEmpty();
        Map<String, Integer> times = new HashMap<>();
        canonical.forEach(id -> times.merge(id, 1, Integer::sum));
        assertThat(times.values()).as("ids twice on events.canonical").allMatch(n -> n == 1);
        assertThat(canonical).doesNotContainAnyElementsOf(probe.refusedIds());
    }

    private static void awaitReadyz(String url, int status) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        await("/readyz answering " + status)
                .atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(http.send(
                                        HttpRequest.newBuilder(URI.create(url + "/readyz"))
                                                .timeout(Duration.ofSeconds(5))
                                                .GET()
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode())
                        .isEqualTo(status));
    }
}
