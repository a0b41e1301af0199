package io.quintet.feeds.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.quintet.feeds.metrics.alerts.AlertEvents;
import io.quintet.feeds.stream.JsonSerde;
import io.quintet.feeds.stream.TestEvents;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.cloudevents.DecodeResult;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The service on a real broker: a burst of failed logins gives exactly one alert that a plain consumer reads. */
@KafkaCluster
@Timeout(180)
class MetricsAndAlertsIT {

    @Test
    void aBurstOfFailedLoginsProducesExactlyOneAlertAndLiveMetrics(RunningKafka kafka) throws Exception {
        String prefix = RunningKafka.unique("fa") + ".";
        ServiceTopics.create(kafka, prefix, 2);
        Path rules = Files.createTempFile("rules", ".yaml");
        Files.writeString(rules, """
                rules:
                  - id: brute-force-login
                    pattern: auth.user.login_failed
                    group_by: actor
                    window: 5m
                    threshold: {count: 5}
                    severity: high
                """);
        FeedAggregatorConfig config = FeedAggregatorConfig.of(Map.of(
                FeedAggregatorConfig.BOOTSTRAP,
                kafka.bootstrapServers(),
                FeedAggregatorConfig.APPLICATION_ID,
                RunningKafka.unique("fa-app"),
                FeedAggregatorConfig.TOPICS_PREFIX,
                prefix,
                FeedAggregatorConfig.STATE_DIR,
                Files.createTempDirectory("fa-state").toString(),
                FeedAggregatorConfig.HTTP_HOST,
                "127.0.0.1",
                FeedAggregatorConfig.HTTP_PORT,
                "0",
                FeedAggregatorConfig.HTTP_ADVERTISED_HOST,
                "127.0.0.1",
                FeedAggregatorConfig.ALERTS_RULES_FILE,
                rules.toString(),
                FeedAggregatorConfig.HTTP_AUTH_KEYS,
                "dashboards:" + io.quintet.feeds.app.http.ApiKey.sha256Hex(METRICS_KEY) + ":metrics:read"));

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
            for (int i = 0; i < 8; i++) {
                CanonicalEvent e = TestEvents.failedLogin("burst-" + i, "p-bob", base.plusMillis(100L * i));
                producer.send(new ProducerRecord<>(
                                prefix + "events.canonical",
                                null,
                                e.eventTimestamp().toEpochMilli(),
                                "p-bob",
                                e))
                        .get();
            }

            List<ConsumerRecord<String, byte[]>> alerts =
                    readFor(kafka, prefix + "alerts", Duration.ofSeconds(90), Duration.ofSeconds(5));
            assertThat(alerts).hasSize(1);
            ConsumerRecord<String, byte[]> alert = alerts.get(0);
            assertThat(alert.key()).isEqualTo("brute-force-login|p-bob");
            assertThat(new String(alert.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8))
                    .isEqualTo(AlertEvents.TRIGGERED);
            CanonicalEvent decoded =
                    ((DecodeResult.Decoded) CloudEventSerde.decode(alert.headers(), alert.value())).event();
            assertThat(decoded.entity().details()).containsEntry("group", "p-bob");

            JsonNode live = awaitCount(app.httpPort(), 8, Duration.ofSeconds(60));
            assertThat(live.get("failures").asLong()).isEqualTo(8);
            assertThat(live.get("distinct_actors").asLong()).isEqualTo(1);
        }
    }

    /** Reads until at least one record arrived (or the deadline), then keeps reading for {@code settle} to catch extras. */
    static List<ConsumerRecord<String, byte[]>> readFor(
            RunningKafka kafka, String topic, Duration deadline, Duration settle) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                RunningKafka.unique("alert-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long end = System.nanoTime() + deadline.toNanos();
            while (out.isEmpty() && System.nanoTime() < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            long settleEnd = System.nanoTime() + settle.toNanos();
            while (System.nanoTime() < settleEnd) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    static final String METRICS_KEY = "qfk_metrics-and-alerts-it-key-0123456789abcdef";

    static JsonNode awaitCount(int port, long expected, Duration deadline) {
        HttpClient client = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + port
                + "/metrics/current?window=1m&dimension=action&value=auth.user.login_failed");
        JsonNode[] last = {null};
        await("live count " + expected)
                .atMost(deadline)
                .ignoreExceptionsInstanceOf(java.io.IOException.class)
                .untilAsserted(() -> {
                    HttpResponse<String> r = client.send(
                            HttpRequest.newBuilder(uri)
                                    .header("Authorization", "Bearer " + METRICS_KEY)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).as("answer %s", r.body()).isEqualTo(200);
                    last[0] = JsonSerde.mapper().readTree(r.body());
                    assertThat(last[0].get("count").asLong())
                            .as("answer %s", last[0])
                            .isEqualTo(expected);
                });
        return last[0];
    }
}
