package io.quintet.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.OpenTelemetry;
import io.quintet.gateway.GatewayHarness.Reply;
import io.quintet.model.topics.DeadLetterHeaders;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue #20, item 4: {@code GET /v1/sources/{source}/rejections} lists a source's recent dead letters, read from a
 * real {@code events.dlq}, to a write key of that source only, without anything of the rejected events' content.
 * The dead letters are written with the headers the enricher writes (event-model's {@link DeadLetterHeaders}) and a
 * body holding personal data, as the enricher's bodies may.
 */
@KafkaCluster
@Timeout(120)
class RejectionsIT {
    static GatewayHarness h;
    static String dlq;
    static String bootstrap;

    @BeforeAll
    static void start(RunningKafka kafka) throws Exception {
        String prefix = GatewayHarness.createTopics(kafka, "rejections", 2);
        dlq = TopicCatalogue.of(prefix, 2, (short) 1).name(TopicCatalogue.EVENTS_DLQ);
        kafka.createTopics(2, dlq);
        bootstrap = kafka.bootstrapServers();
        h = GatewayHarness.startReady(bootstrap, prefix, Map.of(), OpenTelemetry.noop(), null);
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    static void deadLetter(String source, String eventId, String reason, String cause, String pointers)
            throws Exception {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_source", source.getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.CAUSE, cause.getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.POINTERS, pointers.getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.TIME, Instant.now().toString().getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.EVENT_ID, eventId.getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.EVENT_SOURCE, source.getBytes(StandardCharsets.UTF_8));
        byte[] body = ("{\"reason\":\"" + reason + "\",\"original\":{\"value_base64\":\"secret-person@example.com\"}}")
                .getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(dlq, null, "user-1".getBytes(StandardCharsets.UTF_8), body, headers))
                    .get();
        }
    }

    /** Reads until the source lists {@code n} rejections (the follower reads the topic in the background). */
    static Reply awaitRejections(String source, String key, int n) throws InterruptedException {
        String path = "/v1/sources/" + URLEncoder.encode(source, StandardCharsets.UTF_8) + "/rejections";
        java.util.concurrent.atomic.AtomicReference<Reply> last = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        Reply r = h.getWithKey(path, key);
                        last.set(r);
                        return r.status() != 200 || r.json().path("rejections").size() >= n;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException timedOut) {
            // the last answer goes to the caller's assertions, which say what was missing
        }
        return last.get();
    }

    @Test
    void aSourcesKeyListsItsRecentDeadLettersWithReasonPointersAndEventIdButNoContent() throws Exception {
        deadLetter(
                "billing-service",
                "0b5f0c1e-0000-4000-8000-000000000001",
                "schema_violation",
                "json_schema",
                "/id,/context/client/ip_address");
        deadLetter(
                "workflow-engine", "0b5f0c1e-0000-4000-8000-000000000002", "size_violation", "record_too_large", "/");
        deadLetter(
                "billing-service",
                "0b5f0c1e-0000-4000-8000-000000000003",
                "tracking_plan_violation",
                "property_violation",
                "/context/domain_specific/analytics/properties/amount");

        Reply reply = awaitRejections("billing-service", GatewayHarness.BILLING_KEY, 2);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode list = reply.json().path("rejections");
        assertThat(list).hasSize(2);
        assertThat(list.get(0).path("event_id").asText()).isEqualTo("0b5f0c1e-0000-4000-8000-000000000003");
        assertThat(list.get(0).path("reason").asText()).isEqualTo("tracking_plan_violation");
        assertThat(list.get(0).path("pointers").get(0).asText())
                .isEqualTo("/context/domain_specific/analytics/properties/amount");
        assertThat(list.get(1).path("cause").asText()).isEqualTo("json_schema");
        assertThat(list.get(1).path("pointers")).hasSize(2);
        assertThat(list.get(1).path("dead_lettered_at").asText()).isNotEmpty();
        assertThat(reply.body()).doesNotContain("secret-person", "user-1", "0b5f0c1e-0000-4000-8000-000000000002");
    }

    @Test
    void onlyAKeyOfTheSourceMayReadItsRejections() {
        assertThat(h.getWithKey("/v1/sources/billing-service/rejections", GatewayHarness.AUTH_KEY)
                        .status())
                .isEqualTo(403);
        assertThat(h.get("/v1/sources/billing-service/rejections").status()).isEqualTo(401);
    }

    @Test
    void aSourceWithSlashesIsGivenUrlEncoded() throws Exception {
        deadLetter(
                GatewayHarness.SEGMENT_SOURCE,
                "0b5f0c1e-0000-4000-8000-000000000004",
                "schema_violation",
                "json_schema",
                "/id");

        Reply reply = awaitRejections(GatewayHarness.SEGMENT_SOURCE, GatewayHarness.SEGMENT_KEY, 1);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().path("source").asText()).isEqualTo(GatewayHarness.SEGMENT_SOURCE);
        assertThat(reply.json().at("/rejections/0/event_id").asText())
                .isEqualTo("0b5f0c1e-0000-4000-8000-000000000004");
    }
}
