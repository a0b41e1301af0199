package io.quintet.gateway;

import static io.quintet.gateway.CanonicalEventsIT.invoice;
import static io.quintet.gateway.CanonicalEventsIT.login;
import static io.quintet.gateway.CanonicalEventsIT.single;
import static io.quintet.gateway.GatewayHarness.header;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.OpenTelemetry;
import io.quintet.gateway.GatewayHarness.Reply;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.json.CanonicalJson;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The CloudEvents HTTP binding on {@code POST /v1/events}, read by the CloudEvents SDK: structured mode, binary mode
 * (ce-* headers) and batch mode, each published to events.raw as a binary-mode Kafka CloudEvent.
 */
@KafkaCluster
@Timeout(120)
class CloudEventsIT {
    static GatewayHarness h;
    static String topic;

    @BeforeAll
    static void start(RunningKafka kafka) throws Exception {
        String prefix = GatewayHarness.createTopics(kafka, "cloudevents", 2);
        h = GatewayHarness.startReady(kafka.bootstrapServers(), prefix, Map.of(), OpenTelemetry.noop(), null);
        topic = h.topics.name(TopicCatalogue.EVENTS_RAW);
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    /** A structured-mode CloudEvent (JSON) whose data is the canonical event. */
    static ObjectNode structured(CanonicalEvent e) {
        ObjectNode ce = GatewayHarness.JSON.createObjectNode();
        ce.put("specversion", "1.0");
        ce.put("id", e.id());
        ce.put("source", e.source());
        ce.put("type", e.action().name());
        ce.put("time", e.eventTimestamp().toString());
        ce.put("datacontenttype", "application/json");
        ce.set("data", CanonicalJson.toTree(e));
        return ce;
    }

    @Test
    void structuredModeIsAcceptedAndStoredInBinaryMode() {
        CanonicalEvent event = login();
        Reply reply = h.postWithKey(
                "/v1/events",
                GatewayHarness.AUTH_KEY,
                "application/cloudevents+json; charset=utf-8",
                structured(event).toString());

        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        ConsumerRecord<String, byte[]> r = single(h.recordsWithIds(topic, Set.of(event.id())));
        assertThat(header(r, "ce_type")).isEqualTo("auth.user.login_succeeded");
        assertThat(header(r, "content-type")).isEqualTo("application/json");
        assertThat(GatewayHarness.value(r).at("/actor/id").asText())
                .isEqualTo(event.actor().id());
    }

    @Test
    void binaryModeTakesTheEnvelopeFromHeadersAndTheTraceFromTraceparent() {
        CanonicalEvent event = invoice();
        ObjectNode data = (ObjectNode) CanonicalJson.toTree(event);
        data.remove("id"); // the envelope's ce-id fills it
        Reply reply = h.postWithKey(
                "/v1/events",
                GatewayHarness.BILLING_KEY,
                "application/json",
                data.toString(),
                "ce-specversion",
                "1.0",
                "ce-id",
                event.id(),
                "ce-source",
                event.source(),
                "ce-type",
                event.action().name(),
                "ce-time",
                event.eventTimestamp().toString(),
                "traceparent",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        ConsumerRecord<String, byte[]> r = single(h.recordsWithIds(topic, Set.of(event.id())));
        assertThat(r.key()).isEqualTo("billing-service");
        assertThat(header(r, "ce_traceparent")).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-");
        assertThat(GatewayHarness.value(r).path("id").asText()).isEqualTo(event.id());
    }

    @Test
    void binaryModeWithoutRequiredAttributesIs400() {
        Reply reply = h.postWithKey(
                "/v1/events",
                GatewayHarness.BILLING_KEY,
                "application/json",
                CanonicalJson.toJson(invoice()),
                "ce-specversion",
                "1.0",
                "ce-type",
                "billing.invoice.created");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().at("/results/0/error/code").asText()).isEqualTo("invalid_cloudevent");
    }

    @Test
    void batchModeRejectsOnlyTheBadElements() {
        CanonicalEvent good = login();
        CanonicalEvent mismatched = login();
        ObjectNode mismatch = structured(mismatched);
        mismatch.put("type", "auth.user.logout"); // contradicts data.action.name
        ObjectNode notACloudEvent = structured(login());
        notACloudEvent.remove("specversion");
        ObjectNode noSource = structured(login());
        noSource.remove("source");
        ArrayNode batch = GatewayHarness.JSON
                .createArrayNode()
                .add(structured(good))
                .add(mismatch)
                .add(notACloudEvent)
                .add(noSource);

        Reply reply = h.postWithKey(
                "/v1/events", GatewayHarness.AUTH_KEY, "application/cloudevents-batch+json", batch.toString());

        assertThat(reply.status()).as(reply.toString()).isEqualTo(207);
        JsonNode results = reply.json().get("results");
        assertThat(results.get(0).path("status").asText()).isEqualTo("accepted");
        assertThat(results.get(1).at("/error/code").asText()).isEqualTo("envelope_mismatch");
        assertThat(results.get(1).path("id").asText()).isEqualTo(mismatched.id());
        assertThat(results.get(2).at("/error/code").asText()).isEqualTo("invalid_cloudevent");
        assertThat(results.get(3).at("/error/code").asText()).isEqualTo("invalid_cloudevent");
        assertThat(results.get(3).at("/error/message").asText()).contains("source");
        List<ConsumerRecord<String, byte[]>> stored = h.recordsWithIds(topic, Set.of(good.id(), mismatched.id()));
        assertThat(stored).extracting(r -> header(r, "ce_id")).containsExactly(good.id());
    }

    @Test
    void withTheDefaultConfigurationRequiredFieldsAndEnumsAreCheckedWithPointers() {
        ObjectNode ce = structured(login());
        ObjectNode data = (ObjectNode) ce.get("data");
        ((ObjectNode) data.get("action")).put("type", "teleport");
        data.remove("actor");

        Reply reply =
                h.postWithKey("/v1/events", GatewayHarness.AUTH_KEY, "application/cloudevents+json", ce.toString());

        assertThat(reply.status()).as(reply.toString()).isEqualTo(422);
        assertThat(reply.json().at("/results/0/error/code").asText()).isEqualTo("invalid_event");
        assertThat(reply.json().at("/results/0/error/errors").findValuesAsText("pointer"))
                .containsExactly("/action/type", "/actor");
    }

    @Test
    void malformedStructuredCloudEventIs400WithPosition() {
        Reply reply = h.postWithKey(
                "/v1/events",
                GatewayHarness.AUTH_KEY,
                "application/cloudevents+json",
                "{\"specversion\": \"1.0\", \"id\": ");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().at("/results/0/error/code").asText()).isIn("malformed_json", "invalid_cloudevent");
    }
}
