package io.quintet.gateway;

import static io.quintet.gateway.CanonicalEventsIT.invoice;
import static io.quintet.gateway.CanonicalEventsIT.login;
import static io.quintet.gateway.CanonicalEventsIT.single;
import static io.quintet.gateway.GatewayHarness.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.quintet.gateway.GatewayHarness.Reply;
import io.quintet.gateway.config.GatewayConfig;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.json.CanonicalJson;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Erasure requests, rate limiting, trusted proxies, readiness while topics are missing, and graceful shutdown:
 * each test runs its own gateway with the settings it is about.
 */
@KafkaCluster
@Timeout(120)
class OperationsIT {

    @Test
    void erasureRequestIsPublishedKeyedBySubjectAndOnlyForKeysAllowedToErase(RunningKafka kafka) throws Exception {
        String prefix = GatewayHarness.createTopics(kafka, "erasure", 1);
        try (GatewayHarness h =
                GatewayHarness.startReady(kafka.bootstrapServers(), prefix, Map.of(), OpenTelemetry.noop(), null)) {
            Reply accepted = h.postWithKey(
                    "/v1/subjects/user-alice-1001/erasure",
                    GatewayHarness.ERASER_KEY,
                    "application/json",
                    "{\"reason\": \"GDPR art. 17 request #4411\"}");
            Reply notAllowed = h.postWithKey(
                    "/v1/subjects/user-alice-1001/erasure", GatewayHarness.AUTH_KEY, "application/json", "");
            Reply anonymous = h.post("/v1/subjects/user-alice-1001/erasure", "application/json", "");

            assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
            String requestId = accepted.json().path("request_id").asText();
            assertThat(accepted.json().path("subject_id").asText()).isEqualTo("user-alice-1001");
            assertThat(notAllowed.status()).isEqualTo(403);
            assertThat(notAllowed.json().at("/error/code").asText()).isEqualTo("forbidden");
            assertThat(anonymous.status()).isEqualTo(401);

            ConsumerRecord<String, byte[]> r = single(h.readToEnd(h.topics.name(TopicCatalogue.ERASURE_REQUESTS)));
            assertThat(r.key()).isEqualTo("user-alice-1001");
            assertThat(header(r, "ce_id")).isEqualTo(requestId);
            assertThat(header(r, "ce_type")).isEqualTo("privacy.subject.erasure_requested");
            JsonNode e = GatewayHarness.value(r);
            assertThat(e.at("/entity/id").asText()).isEqualTo("user-alice-1001");
            assertThat(e.at("/entity/type").asText()).isEqualTo("subject");
            assertThat(e.at("/actor/id").asText()).isEqualTo("privacy-admin");
            assertThat(e.at("/context/attributes/erasure.reason").asText()).isEqualTo("GDPR art. 17 request #4411");
        }
    }

    @Test
    void overTheRateLimitIs429WithRetryAfterAndNothingPublished(RunningKafka kafka) throws Exception {
        String prefix = GatewayHarness.createTopics(kafka, "ratelimit", 1);
        try (GatewayHarness h = GatewayHarness.startReady(
                kafka.bootstrapServers(),
                prefix,
                Map.of(GatewayConfig.RATE_PER_SECOND, "0.5", GatewayConfig.RATE_BURST, "3"),
                OpenTelemetry.noop(),
                null)) {
            ArrayNode three = GatewayHarness.JSON.createArrayNode();
            for (int i = 0; i < 3; i++) {
                three.add(CanonicalJson.toTree(login()));
            }
            Reply burst = h.postWithKey("/v1/events", GatewayHarness.AUTH_KEY, "application/json", three.toString());
            CanonicalEvent overLimit = login();
            Reply limited = h.postWithKey(
                    "/v1/events", GatewayHarness.AUTH_KEY, "application/json", CanonicalJson.toJson(overLimit));
            // another key has its own bucket
            Reply otherKey = h.postWithKey(
                    "/v1/events", GatewayHarness.BILLING_KEY, "application/json", CanonicalJson.toJson(invoice()));

            assertThat(burst.status()).isEqualTo(202);
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.json().at("/error/code").asText()).isEqualTo("rate_limited");
            assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 2L);
            assertThat(otherKey.status()).isEqualTo(202);
            assertThat(h.recordsWithIds(h.topics.name(TopicCatalogue.EVENTS_RAW), Set.of(overLimit.id())))
                    .isEmpty();
        }
    }

    @Test
    void aFullProducerBufferIs503AndOnlyAcknowledgedEventsAreReportedAccepted(RunningKafka kafka) throws Exception {
        String prefix = GatewayHarness.createTopics(kafka, "buffer", 6);
        // room for four 4 KiB batches, one per partition, and a long linger: nothing is sent (or freed) while the
        // request is processed, so one event for each of the six partitions overflows the buffer
        try (GatewayHarness h = GatewayHarness.startReady(
                kafka.bootstrapServers(),
                prefix,
                Map.of(
                        "kafka.client.linger.ms",
                        "3000",
                        "kafka.client.batch.size",
                        "4096",
                        "kafka.client.buffer.memory",
                        "16384",
                        "kafka.client.compression.type",
                        "none"),
                OpenTelemetry.noop(),
                null)) {
            ArrayNode batch = GatewayHarness.JSON.createArrayNode();
            for (String actor : actorsForEachPartition(6)) {
                batch.add(CanonicalJson.toTree(login().withActor(io.quintet.model.Actor.of(actor, "user"))));
            }
            Reply reply = h.postWithKey("/v1/events", GatewayHarness.AUTH_KEY, "application/json", batch.toString());

            assertThat(reply.status()).as(reply.toString()).isEqualTo(503);
            assertThat(reply.header("Retry-After")).isNotNull();
            Set<String> accepted = new java.util.HashSet<>();
            Set<String> refused = new java.util.HashSet<>();
            reply.json().path("results").forEach(r -> {
                if (r.path("status").asText().equals("accepted")) {
                    accepted.add(r.path("id").asText());
                } else {
                    assertThat(r.at("/error/code").asText()).isEqualTo("unavailable");
                    refused.add(r.path("id").asText());
                }
            });
            assertThat(accepted).isNotEmpty();
            assertThat(refused).isNotEmpty();
            Set<String> stored = new java.util.HashSet<>();
            h.readToEnd(h.topics.name(TopicCatalogue.EVENTS_RAW)).forEach(r -> stored.add(header(r, "ce_id")));
            assertThat(stored).isEqualTo(accepted);
        }
    }

    /** One actor id per partition, as Kafka's default partitioner places keys. */
    static List<String> actorsForEachPartition(int partitions) {
        String[] chosen = new String[partitions];
        for (int i = 0; java.util.Arrays.stream(chosen).anyMatch(java.util.Objects::isNull); i++) {
            String actor = "user-" + i;
            int p = org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                            actor.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    % partitions;
            if (chosen[p] == null) {
                chosen[p] = actor;
            }
        }
        return List.of(chosen);
    }

    @Test
    void xForwardedForIsBelievedOnlyFromTrustedProxies(RunningKafka kafka) throws Exception {
        String prefix = GatewayHarness.createTopics(kafka, "proxies", 1);
        try (GatewayHarness h = GatewayHarness.startReady(
                kafka.bootstrapServers(),
                prefix,
                Map.of(GatewayConfig.HTTP_TRUSTED_PROXIES, "127.0.0.1,10.0.0.0/8"),
                OpenTelemetry.noop(),
                null)) {
            CanonicalEvent event = invoice();
            // client -> 10.1.2.3 (trusted LB) -> 127.0.0.1 (trusted sidecar) -> gateway; the left-most hop is spoofable
            Reply reply = h.postWithKey(
                    "/v1/events",
                    GatewayHarness.BILLING_KEY,
                    "application/json",
                    CanonicalJson.toJson(event),
                    "X-Forwarded-For",
                    "6.6.6.6, 203.0.113.9, 10.1.2.3");

            assertThat(reply.status()).isEqualTo(202);
            JsonNode stored = GatewayHarness.value(
                    single(h.recordsWithIds(h.topics.name(TopicCatalogue.EVENTS_RAW), Set.of(event.id()))));
            assertThat(stored.at("/context/client/ip_address").asText()).isEqualTo("203.0.113.9");
        }
    }

    @Test
    void notReadyAnd503WhileTopicsAreMissingThenReadyOnceTheyExist(RunningKafka kafka) throws Exception {
        String prefix = RunningKafka.unique("missing") + ".";
        try (GatewayHarness h =
                GatewayHarness.start(kafka.bootstrapServers(), prefix, Map.of(), OpenTelemetry.noop(), null)) {
            Reply ready = h.get("/readyz");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.json().path("reason").asText()).contains("missing");
            CanonicalEvent event = login();
            Reply refused = h.postWithKey(
                    "/v1/events", GatewayHarness.AUTH_KEY, "application/json", CanonicalJson.toJson(event));
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isNotNull();

            TopicCatalogue c = TopicCatalogue.of(prefix, 1, (short) 1);
            kafka.createTopics(
                    1,
                    c.name(TopicCatalogue.EVENTS_RAW),
                    c.name(TopicCatalogue.PROFILES),
                    c.name(TopicCatalogue.ERASURE_REQUESTS));
            await("gateway ready once the topics exist")
                    .atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(h.get("/readyz").status()).isEqualTo(200));
            Reply retried = h.postWithKey(
                    "/v1/events", GatewayHarness.AUTH_KEY, "application/json", CanonicalJson.toJson(event));
            assertThat(retried.status()).isEqualTo(202);
            assertThat(h.recordsWithIds(c.name(TopicCatalogue.EVENTS_RAW), Set.of(event.id())))
                    .hasSize(1);
        }
    }

    @Test
    void shutdownAnswersTheRequestInFlightRefusesNewOnesThenClosesThePort(RunningKafka kafka) throws Exception {
        String prefix = GatewayHarness.createTopics(kafka, "shutdown", 1);
        // a long linger keeps the request waiting for Kafka's acknowledgement while the gateway is told to stop
        GatewayHarness h = GatewayHarness.startReady(
                kafka.bootstrapServers(), prefix, Map.of("kafka.client.linger.ms", "2500"), OpenTelemetry.noop(), null);
        CanonicalEvent event = login();
        HttpClient client = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
                HttpRequest.newBuilder(h.uri("/v1/events"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + GatewayHarness.AUTH_KEY)
                        .POST(HttpRequest.BodyPublishers.ofString(CanonicalJson.toJson(event)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        await("request in flight").atMost(Duration.ofSeconds(60)).until(() -> h.gateway.inFlightRequests() == 1);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(h::close);
        await("readiness reports shutdown")
                .atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(h.get("/readyz").status()).isEqualTo(503));
        Reply refused =
                h.postWithKey("/v1/events", GatewayHarness.AUTH_KEY, "application/json", CanonicalJson.toJson(login()));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.json().at("/error/code").asText()).isEqualTo("shutting_down");
        closing.get(60, TimeUnit.SECONDS);

        assertThat(inFlight.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
        assertThat(h.recordsWithIds(h.topics.name(TopicCatalogue.EVENTS_RAW), Set.of(event.id())))
                .hasSize(1);
        assertThatThrownBy(() -> client.send(
                        HttpRequest.newBuilder(h.uri("/healthz")).GET().build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void spansContinueTheCallersTraceAndTheCloudEventCarriesTheGatewaySpan(RunningKafka kafka) throws Exception {
        String prefix = GatewayHarness.createTopics(kafka, "tracing", 1);
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        try (OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
                        .setTracerProvider(SdkTracerProvider.builder()
                                .addSpanProcessor(SimpleSpanProcessor.create(spans))
                                .build())
                        .build();
                GatewayHarness h = GatewayHarness.startReady(kafka.bootstrapServers(), prefix, Map.of(), otel, null)) {
            CanonicalEvent event = invoice();
            Reply reply = h.postWithKey(
                    "/v1/events",
                    GatewayHarness.BILLING_KEY,
                    "application/json",
                    CanonicalJson.toJson(event),
                    "traceparent",
                    "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
            assertThat(reply.status()).isEqualTo(202);

            await("request and publish spans ended")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> spans.getFinishedSpanItems().size() >= 2);
            SpanData server = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getKind() == SpanKind.SERVER)
                    .findFirst()
                    .orElseThrow();
            SpanData producer = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getKind() == SpanKind.PRODUCER)
                    .findFirst()
                    .orElseThrow();
            assertThat(server.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
            assertThat(server.getParentSpanId()).isEqualTo("b7ad6b7169203331");
            assertThat(producer.getParentSpanId()).isEqualTo(server.getSpanId());
            ConsumerRecord<String, byte[]> r =
                    single(h.recordsWithIds(h.topics.name(TopicCatalogue.EVENTS_RAW), Set.of(event.id())));
            assertThat(header(r, "ce_traceparent"))
                    .isEqualTo("00-0af7651916cd43dd8448eb211c80319c-" + server.getSpanId() + "-01");
        }
    }
}
