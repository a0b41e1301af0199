package io.quintet.feeds.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.quintet.feeds.metrics.alerts.delivery.WebhookSender;
import io.quintet.feeds.stream.TestEvents;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The whole service: a burst of failed logins becomes an alert POSTed to the rule's webhook, explaining itself. */
@KafkaCluster
@Timeout(120)
class AlertWebhookIT {
    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void theServiceDeliversItsOwnAlertToTheRulesWebhookWithTheWarmStoreQueryAndTriggerAndCountsIt(RunningKafka kafka)
            throws Exception {
        String prefix = RunningKafka.unique("fa-hook") + ".";
        ServiceTopics.create(kafka, prefix, 2);
        List<String> idempotencyKeys = new CopyOnWriteArrayList<>();
        List<byte[]> bodies = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            bodies.add(exchange.getRequestBody().readAllBytes());
            idempotencyKeys.add(exchange.getRequestHeaders().getFirst(WebhookSender.IDEMPOTENCY_KEY));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        Path secret = Files.createTempFile("hook", ".secret");
        Files.writeString(secret, "whsec-e2e-0123456789abcdef");
        Path rules = Files.createTempFile("rules", ".yaml");
        Files.writeString(rules, """
                destinations:
                  - id: ops
                    url: http://127.0.0.1:%d/hook
                    secret_file: %s
                rules:
                  - id: brute-force-login
                    pattern: auth.user.login_failed
                    group_by: actor
                    window: 5m
                    threshold: {count: 5}
                    severity: high
                    deliver_to: [ops]
                """.formatted(receiver.getAddress().getPort(), secret));
        FeedAggregatorConfig config = FeedAggregatorConfig.of(Map.of(
                FeedAggregatorConfig.BOOTSTRAP, kafka.bootstrapServers(),
                FeedAggregatorConfig.APPLICATION_ID, RunningKafka.unique("fa-hook-app"),
                FeedAggregatorConfig.TOPICS_PREFIX, prefix,
                FeedAggregatorConfig.STATE_DIR,
                        Files.createTempDirectory("fa-state").toString(),
                FeedAggregatorConfig.HTTP_HOST, "127.0.0.1",
                FeedAggregatorConfig.HTTP_PORT, "0",
                FeedAggregatorConfig.ALERTS_RULES_FILE, rules.toString(),
                FeedAggregatorConfig.DELIVERY_GROUP, RunningKafka.unique("fa-hook-delivery"),
                FeedAggregatorConfig.DELIVERY_START, "earliest"));

        long window = Duration.ofMinutes(5).toMillis();
        Instant base = Instant.ofEpochMilli(System.currentTimeMillis() / window * window)
                .plusSeconds(10);
        try (FeedAggregatorApp app = FeedAggregatorApp.start(config);
                var producer = new KafkaProducer<>(
                        Map.<String, Object>of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ProducerConfig.ACKS_CONFIG,
                                "all"),
                        new StringSerializer(),
                        new CloudEventSerde().serializer())) {
            for (int i = 0; i < 5; i++) {
                CanonicalEvent e = TestEvents.failedLogin("hook-" + i, "p-bob", base.plusMillis(100L * i)).toBuilder()
                        .correlationId("login-attempts-42")
                        .context(io.quintet.model.Context.EMPTY
                                .withStatus(io.quintet.model.Context.Status.FAILURE)
                                .withTelemetry(
                                        new io.quintet.model.Context.Telemetry(TRACE_ID, "00f067aa0ba9020" + i, null)))
                        .build();
                producer.send(new ProducerRecord<>(
                                prefix + "events.canonical",
                                null,
                                e.eventTimestamp().toEpochMilli(),
                                "p-bob",
                                e))
                        .get();
            }
            await("the alert at the webhook").atMost(Duration.ofSeconds(90)).until(() -> !bodies.isEmpty());
            // the receiver has the body before the sender has its answer: the counter follows a moment later
            await("the delivery counted on /prometheus")
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(
                            () -> assertThat(scrape(app.httpPort())).contains("quintet_alert_deliveries_total 1"));
            assertThat(scrape(app.httpPort())).contains("quintet_alert_delivery_dead_letters_total 0");
        } finally {
            receiver.stop(0);
        }
        assertThat(bodies).hasSize(1);
        JsonNode ce = new ObjectMapper().readTree(bodies.get(0));
        assertThat(ce.path("type").asText()).isEqualTo("monitoring.alert.triggered");
        assertThat(idempotencyKeys).containsExactly(ce.path("id").asText());
        JsonNode details = ce.path("data").path("entity").path("details");
        assertThat(details.path("trigger").path("event_id").asText()).isEqualTo("hook-4");
        assertThat(details.path("trigger").path("correlation_id").asText()).isEqualTo("login-attempts-42");
        String traceparent = "00-" + TRACE_ID + "-00f067aa0ba90204-01";
        assertThat(details.path("trigger").path("traceparent").asText()).isEqualTo(traceparent);
        assertThat(ce.path("traceparent").asText())
                .as("the envelope's trace continuation reaches the receiver")
                .isEqualTo(traceparent);
        assertThat(details.path("warm_store_query").asText())
                .contains("actor_id = 'p-bob'")
                .contains("action_name = 'auth.user.login_failed'");
    }

    static String scrape(int port) {
        try {
            return java.net.http.HttpClient.newHttpClient()
                    .send(
                            java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                            "http://127.0.0.1:" + port + FeedAggregatorApp.PROMETHEUS_PATH))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
