package io.quintet.feeds.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.quintet.feeds.stream.JsonSerde;
import io.quintet.feeds.stream.TestEvents;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two instances of the service on a real broker: feeds queried through either instance agree (requests for keys the
 * other instance owns are forwarded), and after one instance stops the other serves every key.
 */
@KafkaCluster
@Timeout(300)
class FeedsTwoInstancesIT {
    static final int READERS = 8;
    /** Requests forwarded to the owner carry the caller's key, which the owner checks again. */
    static final String KEY = "qfk_two-instances-it-key-0123456789abcdefghijk";

    final HttpClient client = HttpClient.newHttpClient();

    @Test
    void eitherInstanceAnswersForEveryReaderAndTheSurvivorServesAllKeys(RunningKafka kafka) throws Exception {
        String prefix = RunningKafka.unique("feeds") + ".";
        ServiceTopics.create(kafka, prefix, 4);
        String appId = RunningKafka.unique("feeds-app");
        FeedAggregatorApp a = FeedAggregatorApp.start(config(kafka, prefix, appId));
        FeedAggregatorApp b = FeedAggregatorApp.start(config(kafka, prefix, appId));
        try {
            await("both instances RUNNING")
                    .atMost(Duration.ofSeconds(120))
                    .untilAsserted(() -> assertThat(
                                    List.of(a.streams().state(), b.streams().state()))
                            .containsOnly(KafkaStreams.State.RUNNING));
            // recent event times: the test topics keep the broker's default time-based retention
            Instant t0 = Instant.now().minus(Duration.ofMinutes(10));
            try (var producer = new KafkaProducer<>(
                    Map.<String, Object>of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            kafka.bootstrapServers(),
                            ProducerConfig.ACKS_CONFIG,
                            "all"),
                    new StringSerializer(),
                    new CloudEventSerde().serializer())) {
                for (int r = 0; r < READERS; r++) {
                    for (int i = 0; i < 3; i++) {
                        CanonicalEvent e =
                                TestEvents.post("r" + r + "-" + i, "p-reader-" + r, t0.plusSeconds(60L * i + r));
                        producer.send(new ProducerRecord<>(
                                        prefix + "events.canonical",
                                        null,
                                        e.eventTimestamp().toEpochMilli(),
                                        e.actor().id(),
                                        e))
                                .get();
                    }
                }
            }

            Map<String, JsonNode> viaA = new LinkedHashMap<>();
            for (int r = 0; r < READERS; r++) {
                String reader = "p-reader-" + r;
                viaA.put(reader, awaitItems(a.httpPort(), reader, 3, Duration.ofSeconds(120)));
            }
            for (var e : viaA.entrySet()) {
                assertThat(get(b.httpPort(), "/feeds/flat/" + e.getKey()).get("items"))
                        .as("via B: " + e.getKey())
                        .isEqualTo(e.getValue().get("items"));
            }

            a.close();
            for (var e : viaA.entrySet()) {
                assertThat(awaitItems(b.httpPort(), e.getKey(), 3, Duration.ofSeconds(120))
                                .get("items"))
                        .as("survivor: " + e.getKey())
                        .isEqualTo(e.getValue().get("items"));
            }
        } finally {
            b.close();
            a.close();
        }
    }

    static FeedAggregatorConfig config(RunningKafka kafka, String prefix, String appId) throws Exception {
        return FeedAggregatorConfig.of(Map.of(
                FeedAggregatorConfig.BOOTSTRAP,
                kafka.bootstrapServers(),
                FeedAggregatorConfig.APPLICATION_ID,
                appId,
                FeedAggregatorConfig.TOPICS_PREFIX,
                prefix,
                FeedAggregatorConfig.STATE_DIR,
                Files.createTempDirectory("feeds-state").toString(),
                FeedAggregatorConfig.HTTP_HOST,
                "127.0.0.1",
                FeedAggregatorConfig.HTTP_PORT,
                "0",
                FeedAggregatorConfig.HTTP_ADVERTISED_HOST,
                "127.0.0.1",
                FeedAggregatorConfig.HTTP_AUTH_KEYS,
                "back-end:" + io.quintet.feeds.app.http.ApiKey.sha256Hex(KEY) + ":feeds:read-any",
                "kafka.client.producer.max.in.flight.requests.per.connection",
                "1"));
    }

    JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + KEY)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JsonSerde.mapper().readTree(r.body());
    }

    /** Polls the flat feed until it holds {@code n} items; 503 (rebalancing, restoring) is retried until the deadline. */
    JsonNode awaitItems(int port, String reader, int n, Duration deadline) {
        JsonNode[] found = {null};
        await("feed of " + reader + " with " + n + " items")
                .atMost(deadline)
                .ignoreExceptionsInstanceOf(java.io.IOException.class)
                .untilAsserted(() -> {
                    HttpResponse<String> r = client.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/feeds/flat/" + reader))
                                    .header("Authorization", "Bearer " + KEY)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).as("answer %s", r.body()).isEqualTo(200);
                    JsonNode body = JsonSerde.mapper().readTree(r.body());
                    assertThat(body.get("items").size())
                            .as("answer %s", r.body())
                            .isEqualTo(n);
                    found[0] = body;
                });
        return found[0];
    }
}
