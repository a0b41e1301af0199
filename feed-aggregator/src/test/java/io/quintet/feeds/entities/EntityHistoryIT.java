package io.quintet.feeds.entities;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quintet.feeds.app.FeedAggregatorApp;
import io.quintet.feeds.app.FeedAggregatorConfig;
import io.quintet.feeds.app.ServiceTopics;
import io.quintet.feeds.app.http.ApiKey;
import io.quintet.feeds.stream.JsonSerde;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole service on a real broker: events of one invoice by several actors (so on several partitions of
 * events.canonical) cross the entity repartition and are served newest first by {@code /v1/entities/...}; with
 * {@code metrics.per.organization} the live metrics answer one organisation's series.
 */
@KafkaCluster
@Timeout(180)
class EntityHistoryIT {
    static final String KEY = "qfk_entity-history-it-key-0123456789abcdef";

    @Test
    void anInvoicesEventsFromSeveralPartitionsAreServedNewestFirstAndMetricsPerOrganisation(RunningKafka kafka)
            throws Exception {
        String prefix = RunningKafka.unique("eh") + ".";
        ServiceTopics.create(kafka, prefix, 3);
        FeedAggregatorConfig config = FeedAggregatorConfig.of(Map.of(
                FeedAggregatorConfig.BOOTSTRAP,
                kafka.bootstrapServers(),
                FeedAggregatorConfig.APPLICATION_ID,
                RunningKafka.unique("eh-app"),
                FeedAggregatorConfig.TOPICS_PREFIX,
                prefix,
                FeedAggregatorConfig.STATE_DIR,
                Files.createTempDirectory("eh-state").toString(),
                FeedAggregatorConfig.HTTP_HOST,
                "127.0.0.1",
                FeedAggregatorConfig.HTTP_PORT,
                "0",
                FeedAggregatorConfig.HTTP_ADVERTISED_HOST,
                "127.0.0.1",
                FeedAggregatorConfig.METRICS_PER_ORGANIZATION,
                "true",
                FeedAggregatorConfig.ENTITY_HISTORY_ENABLED,
                "true",
                FeedAggregatorConfig.HTTP_AUTH_KEYS,
                "ops:" + ApiKey.sha256Hex(KEY) + ":events:read|metrics:read"));
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(20);
        List<String> sent = new ArrayList<>();
        try (FeedAggregatorApp app = FeedAggregatorApp.start(config);
                var producer = new KafkaProducer<>(
                        Map.<String, Object>of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ProducerConfig.ACKS_CONFIG,
                                "all"),
                        new StringSerializer(),
                        new CloudEventSerde().serializer())) {
            for (int i = 0; i < 12; i++) {
                String actor = "ps_actor-" + i; // keys spread over the partitions of events.canonical
                CanonicalEvent e = EntityHistoryTopologyTest.event(
                        "inv-" + i, "invoice", "INV-2026-0042", base.plusMillis(250L * i), "org-acme");
                e = e.toBuilder()
                        .actor(io.quintet.model.Actor.of(actor, io.quintet.model.Actor.USER))
                        .build();
                producer.send(new ProducerRecord<>(
                                prefix + "events.canonical",
                                null,
                                e.eventTimestamp().toEpochMilli(),
                                actor,
                                e))
                        .get();
                sent.add(0, e.id());
            }
            CanonicalEvent other =
                    EntityHistoryTopologyTest.event("other", "invoice", "INV-2026-0043", base, "org-beta");
            producer.send(new ProducerRecord<>(
                            prefix + "events.canonical",
                            null,
                            other.eventTimestamp().toEpochMilli(),
                            "ps_x",
                            other))
                    .get();

            HttpClient client = HttpClient.newHttpClient();
            String path = "/v1/entities/invoice/INV-2026-0042/events?limit=5";
            Awaitility.await("12 events of the invoice, newest first")
                    .atMost(java.time.Duration.ofSeconds(90))
                    .pollInterval(java.time.Duration.ofMillis(500))
                    .untilAsserted(
                            () -> assertThat(walk(client, app.httpPort(), path)).isEqualTo(sent));

            Awaitility.await("the organisation's live series")
                    .atMost(java.time.Duration.ofSeconds(60))
                    .pollInterval(java.time.Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        JsonNode n = get(
                                client,
                                app.httpPort(),
                                "/metrics/current?window=1m&dimension=domain&organization_id=org-acme");
                        assertThat(n).as("answer").isNotNull();
                        assertThat(n.path("series").size())
                                .as("series in %s", n)
                                .isEqualTo(1);
                        assertThat(n.path("series").get(0).path("value").asText())
                                .as("series in %s", n)
                                .isEqualTo("billing.*");
                    });
        }
    }

    static List<String> walk(HttpClient client, int port, String path) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = get(client, port, path + (cursor == null ? "" : "&cursor=" + cursor));
            if (page == null) {
                return List.of();
            }
            page.path("events").forEach(e -> ids.add(e.path("id").asText()));
            cursor = page.path("next_cursor").isNull()
                    ? null
                    : page.path("next_cursor").asText();
        } while (cursor != null);
        return ids;
    }

    /** The answer's JSON when it is 200, else null (the store may still be restoring: 503). */
    static JsonNode get(HttpClient client, int port, String pathAndQuery) {
        try {
            HttpResponse<String> r = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                            .header("Authorization", "Bearer " + KEY)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JsonSerde.mapper().readTree(r.body()) : null;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
