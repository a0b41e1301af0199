package io.quintet.gateway;

import static io.quintet.gateway.GatewayHarness.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.gateway.GatewayHarness.Reply;
import io.quintet.gateway.config.GatewayConfig;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.fixtures.EventFixtures;
import io.quintet.model.json.CanonicalJson;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.support.metrics.PrometheusMetrics;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code POST /v1/events} over real HTTP against a gateway on an ephemeral port, publishing to a real in-JVM broker:
 * canonical JSON (single, array, NDJSON), every edge rejection with its status and JSON pointer, authentication,
 * health and metrics. Every test uses fresh event ids and reads back only its own events.
 */
@KafkaCluster
@Timeout(120)
class CanonicalEventsIT {
    static GatewayHarness h;
    static PrometheusMetrics metrics;
    static String eventsTopic;

    @BeforeAll
    static void start(RunningKafka kafka) throws Exception {
        String prefix = GatewayHarness.createTopics(kafka, "canonical", 3);
        metrics = new PrometheusMetrics();
        h = GatewayHarness.startReady(
                kafka.bootstrapServers(),
                prefix,
                Map.of(
                        GatewayConfig.VALIDATION_SCHEMA, "true",
                        GatewayConfig.LIMIT_BATCH_EVENTS, "50",
                        GatewayConfig.LIMIT_BATCH_BYTES, String.valueOf(2 << 20)),
                metrics.openTelemetry(),
                metrics::scrape);
        eventsTopic = h.topics.name(TopicCatalogue.EVENTS_RAW);
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    /** Alice's login (with its own trace context), fresh id, happening now. */
    static CanonicalEvent login() {
        return EventFixtures.login().toBuilder()
                .id(UUID.randomUUID().toString())
                .eventTimestamp(Instant.now().minusSeconds(2))
                .build();
    }

    /** The billing service's invoice (no client, no telemetry), fresh id, happening now. */
    static CanonicalEvent invoice() {
        return EventFixtures.invoiceCreated().toBuilder()
                .id(UUID.randomUUID().toString())
                .eventTimestamp(Instant.now().minusSeconds(1))
                .build();
    }

    static ObjectNode tree(CanonicalEvent e) {
        return (ObjectNode) CanonicalJson.toTree(e);
    }

    static <T> T single(List<T> list) {
        assertThat(list).hasSize(1);
        return list.get(0);
    }

    static List<ConsumerRecord<String, byte[]>> recordsWithIds(String topic, Set<String> ids) {
        return h.recordsWithIds(topic, ids);
    }

    @Test
    void acknowledgedEventIsOnEventsRawAsBinaryCloudEventKeyedByActorWithGatewayFields() {
        CanonicalEvent event = login();
        Reply reply = h.postWithKey(
                "/v1/events",
                GatewayHarness.AUTH_KEY,
                "application/json",
                CanonicalJson.toJson(event),
                "User-Agent",
                "quintet-test/1.0");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        assertThat(reply.json().path("accepted").asInt()).isEqualTo(1);
        assertThat(reply.json().path("results").get(0).path("id").asText()).isEqualTo(event.id());
        ConsumerRecord<String, byte[]> r = single(recordsWithIds(eventsTopic, Set.of(event.id())));
        assertThat(r.key()).isEqualTo(EventFixtures.ALICE);
        assertThat(header(r, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(r, "ce_id")).isEqualTo(event.id());
        assertThat(header(r, "ce_type")).isEqualTo("auth.user.login_succeeded");
        assertThat(header(r, "ce_source")).isEqualTo("https://auth.example.com/login");
        assertThat(header(r, "ce_subject")).isEqualTo("session/session-9f8e");
        assertThat(header(r, "ce_dataschema")).isEqualTo("https://quintet.dev/schemas/canonical-event/2.0.json");
        assertThat(header(r, "ce_partitionkey")).isEqualTo(EventFixtures.ALICE);
        assertThat(header(r, "ce_traceparent")).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        CanonicalEvent stored = new CloudEventSerde().deserializer().deserialize(eventsTopic, r.headers(), r.value());
        assertThat(stored.observedTimestamp())
                .isCloseTo(Instant.now(), within(Duration.ofSeconds(30)))
                .isNotEqualTo(event.observedTimestamp());
        // the producer's own client context wins over the request's
        assertThat(stored.context().client()).isEqualTo(event.context().client());
        assertThat(stored.context().analyticsProperties())
                .isEqualTo(event.context().analyticsProperties());
    }

    @Test
    void requestTraceparentClientAddressAndUserAgentFillWhatTheEventLacks() {
        CanonicalEvent event = invoice();
        Reply reply = h.postWithKey(
                "/v1/events",
                GatewayHarness.BILLING_KEY,
                "application/json; charset=utf-8",
                CanonicalJson.toJson(event),
                "traceparent",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                "User-Agent",
                "billing-service/4.2",
                "X-Forwarded-For",
                "198.51.100.23");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        ConsumerRecord<String, byte[]> r = single(recordsWithIds(eventsTopic, Set.of(event.id())));
        assertThat(r.key()).isEqualTo("billing-service");
        assertThat(header(r, "ce_traceparent")).startsWith("00-0af7651916cd43dd8448eb211c80319c-");
        JsonNode stored = GatewayHarness.value(r);
        assertThat(stored.at("/context/telemetry/trace_id").asText()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        // no trusted proxy is configured: X-Forwarded-For is not believed
        assertThat(stored.at("/context/client/ip_address").asText()).isEqualTo("127.0.0.1");
        assertThat(stored.at("/context/client/user_agent").asText()).isEqualTo("billing-service/4.2");
        assertThat(stored.at("/entity/details/amount").decimalValue()).isEqualByComparingTo("1249.90");
    }

    @Test
    void anEventWithoutIdGetsOneAndTheResponseSaysWhich() {
        ObjectNode event = tree(invoice());
        event.remove("id");
        Reply reply = h.postWithKey("/v1/events", GatewayHarness.BILLING_KEY, "application/json", event.toString());

        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        String id = reply.json().path("results").get(0).path("id").asText();
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        assertThat(recordsWithIds(eventsTopic, Set.of(id))).hasSize(1);
    }

    @Test
    void batchWithMixedEventsPublishesTheGoodOnesAndNamesEachBadOneByIndexAndPointer() {
        CanonicalEvent good1 = login();
        ObjectNode badName = tree(login());
        ((ObjectNode) badName.get("action")).put("name", "auth.User.login");
        ObjectNode noActor = tree(login());
        noActor.remove("actor");
        CanonicalEvent good2 = login();
        ArrayNode batch = GatewayHarness.JSON
                .createArrayNode()
                .add(tree(good1))
                .add(badName)
                .add(noActor)
                .add(tree(good2));

        Reply reply = h.postWithKey("/v1/events", GatewayHarness.AUTH_KEY, "application/json", batch.toString());

        assertThat(reply.status()).as(reply.toString()).isEqualTo(207);
        JsonNode results = reply.json().get("results");
        assertThat(reply.json().path("accepted").asInt()).isEqualTo(2);
        assertThat(reply.json().path("rejected").asInt()).isEqualTo(2);
        assertThat(results.get(0).path("status").asText()).isEqualTo("accepted");
        assertThat(results.get(1).path("index").asInt()).isEqualTo(1);
        assertThat(results.get(1).at("/error/code").asText()).isEqualTo("invalid_action_name");
        assertThat(results.get(1).at("/error/errors/0/pointer").asText()).isEqualTo("/action/name");
        assertThat(results.get(1).at("/error/message").asText())
                .contains("entity segment")
                .contains("'User'");
        assertThat(results.get(2).at("/error/code").asText()).isEqualTo("invalid_event");
        assertThat(results.get(2).at("/error/errors/0/pointer").asText()).isEqualTo("/actor");
        assertThat(results.get(3).path("status").asText()).isEqualTo("accepted");

        Set<String> ids =
                Set.of(good1.id(), badName.get("id").asText(), noActor.get("id").asText(), good2.id());
        List<ConsumerRecord<String, byte[]>> stored = recordsWithIds(eventsTopic, ids);
        assertThat(stored.stream().map(r -> header(r, "ce_id")).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(good1.id(), good2.id());
    }

    @Test
    void ndjsonRejectsOnlyTheMalformedLineAndSaysWhere() {
        CanonicalEvent a = invoice();
        CanonicalEvent b = invoice();
        String body = CanonicalJson.toJson(a) + "\n\n{\"id\": \"broken\", \n" + CanonicalJson.toJson(b) + "\n";

        Reply reply = h.postWithKey("/v1/events", GatewayHarness.BILLING_KEY, "application/x-ndjson", body);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(207);
        JsonNode results = reply.json().get("results");
        assertThat(results).hasSize(3);
        assertThat(results.get(1).at("/error/code").asText()).isEqualTo("malformed_json");
        assertThat(results.get(1).at("/error/message").asText())
                .contains("line 3")
                .contains("column");
        assertThat(recordsWithIds(eventsTopic, Set.of(a.id(), b.id()))).hasSize(2);
    }

    @Test
    void malformedJsonIs400WithLineAndColumn() {
        Reply reply = h.postWithKey(
                "/v1/events",
                GatewayHarness.AUTH_KEY,
                "application/json",
                "{\n  \"id\": \"x\",\n  \"source\" \"oops\"\n}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().at("/error/code").asText()).isEqualTo("malformed_json");
        assertThat(reply.json().at("/error/message").asText()).contains("line 3, column");
    }

    @Test
    void schemaViolationsAre422WithTheJsonPointerOfEachField() {
        ObjectNode event = tree(login());
        ((ObjectNode) event.get("actor")).put("type", "robot");
        event.put("id", "not-a-uuid");
        ((ObjectNode) event.at("/context/client")).put("ip_address", "999.1.1.1"); // only the JSON Schema knows

        Reply reply = h.postWithKey("/v1/events", GatewayHarness.AUTH_KEY, "application/json", event.toString());

        assertThat(reply.status()).as(reply.toString()).isEqualTo(422);
        JsonNode error = reply.json().at("/results/0/error");
        assertThat(error.path("code").asText()).isEqualTo("invalid_event");
        assertThat(error.path("errors").findValuesAsText("pointer"))
                .contains("/actor/type", "/id", "/context/client/ip_address");
    }

    @Test
    void tooDeepAndTooManyPropertiesAre422AtTheOffendingObject() {
        ObjectNode deep = tree(login());
        ObjectNode cursor = ((ObjectNode) deep.at("/context/domain_specific/analytics/properties")).putObject("level");
        for (int i = 0; i < 12; i++) {
            cursor = cursor.putObject("level");
        }
        ObjectNode wide = tree(login());
        ObjectNode props = (ObjectNode) wide.at("/context/domain_specific/analytics/properties");
        for (int i = 0; i < 256; i++) {
            props.put("p" + i, i);
        }
        ArrayNode batch = GatewayHarness.JSON.createArrayNode().add(deep).add(wide);

        Reply reply = h.postWithKey("/v1/events", GatewayHarness.AUTH_KEY, "application/json", batch.toString());

        assertThat(reply.status()).as(reply.toString()).isEqualTo(422);
        assertThat(reply.json().at("/results/0/error/code").asText()).isEqualTo("too_deep");
        assertThat(reply.json().at("/results/0/error/errors/0/pointer").asText())
                .startsWith("/context/domain_specific/analytics/properties/level/level");
        assertThat(reply.json().at("/results/1/error/code").asText()).isEqualTo("too_many_properties");
        assertThat(reply.json().at("/results/1/error/errors/0/pointer").asText())
                .isEqualTo("/context/domain_specific/analytics/properties");
    }

    @Test
    void timestampsTooFarAheadOrTooOldAre422() {
        ObjectNode future = tree(login().toBuilder()
                .eventTimestamp(Instant.now().plus(Duration.ofHours(2)))
                .build());
        ObjectNode old = tree(login().toBuilder()
                .eventTimestamp(Instant.now().minus(Duration.ofDays(8)))
                .build());
        ArrayNode batch = GatewayHarness.JSON.createArrayNode().add(future).add(old);

        Reply reply = h.postWithKey("/v1/events", GatewayHarness.AUTH_KEY, "application/json", batch.toString());

        assertThat(reply.status()).isEqualTo(422);
        for (int i = 0; i < 2; i++) {
            assertThat(reply.json().at("/results/" + i + "/error/code").asText())
                    .isEqualTo("timestamp_out_of_range");
            assertThat(reply.json()
                            .at("/results/" + i + "/error/errors/0/pointer")
                            .asText())
                    .isEqualTo("/event_timestamp");
        }
    }

    @Test
    void sizeLimitsAre413ForAnEventABatchAndABody() {
        ObjectNode big = tree(login());
        ((ObjectNode) big.at("/context/domain_specific/analytics/properties")).put("blob", "x".repeat(1_100_000));
        Reply eventTooLarge = h.postWithKey("/v1/events", GatewayHarness.AUTH_KEY, "application/json", big.toString());
        assertThat(eventTooLarge.status()).as(eventTooLarge.toString()).isEqualTo(413);
        assertThat(eventTooLarge.json().at("/results/0/error/code").asText()).isEqualTo("event_too_large");

        ArrayNode many = GatewayHarness.JSON.createArrayNode();
        for (int i = 0; i < 51; i++) {
            many.add(tree(login()));
        }
        Reply batchTooLarge = h.postWithKey("/v1/events", GatewayHarness.AUTH_KEY, "application/json", many.toString());
        assertThat(batchTooLarge.status()).isEqualTo(413);
        assertThat(batchTooLarge.json().at("/error/code").asText()).isEqualTo("batch_too_large");

        Reply bodyTooLarge = h.postWithKey(
                "/v1/events", GatewayHarness.AUTH_KEY, "application/json", "[" + "\"" + "y".repeat(3 << 20) + "\"]");
        assertThat(bodyTooLarge.status()).isEqualTo(413);
        assertThat(bodyTooLarge.json().at("/error/code").asText()).isEqualTo("body_too_large");
    }

    @Test
    void unsupportedContentTypeIs415() {
        Reply reply = h.postWithKey("/v1/events", GatewayHarness.AUTH_KEY, "text/plain", "hello");
        assertThat(reply.status()).isEqualTo(415);
        assertThat(reply.json().at("/error/code").asText()).isEqualTo("unsupported_media_type");
    }

    @Test
    void missingOrUnknownWriteKeyIs401AndNothingIsPublished() {
        CanonicalEvent event = login();
        Reply none = h.post("/v1/events", "application/json", CanonicalJson.toJson(event));
        Reply unknown = h.postWithKey("/v1/events", "qk_not_a_key", "application/json", CanonicalJson.toJson(event));
        Reply basicUnknown = h.post(
                "/v1/events",
                "application/json",
                CanonicalJson.toJson(event),
                "Authorization",
                GatewayHarness.basic("qk_nope"));

        for (Reply r : List.of(none, unknown, basicUnknown)) {
            assertThat(r.status()).as(r.toString()).isEqualTo(401);
            assertThat(r.json().at("/error/code").asText()).isEqualTo("unauthenticated");
            assertThat(r.header("WWW-Authenticate")).contains("Basic");
        }
        assertThat(recordsWithIds(eventsTopic, Set.of(event.id()))).isEmpty();
    }

    @Test
    void aKeyMayNotPublishAsAnotherSource() {
        CanonicalEvent invoice = invoice();
        Reply reply =
                h.postWithKey("/v1/events", GatewayHarness.AUTH_KEY, "application/json", CanonicalJson.toJson(invoice));

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.json().at("/results/0/error/code").asText()).isEqualTo("forbidden_source");
        assertThat(reply.json().at("/results/0/error/errors/0/pointer").asText())
                .isEqualTo("/source");
        assertThat(recordsWithIds(eventsTopic, Set.of(invoice.id()))).isEmpty();
    }

    @Test
    void aKeyBoundToAnOrganizationStampsItAndRefusesAnotherOrganizationWith403() {
        CanonicalEvent unstamped = invoice();
        CanonicalEvent same = invoice().withOrganizationId(GatewayHarness.TENANT);
        CanonicalEvent other = invoice().withOrganizationId("org-globex");
        Reply stamped = h.postWithKey(
                "/v1/events", GatewayHarness.TENANT_KEY, "application/json", CanonicalJson.toJson(unstamped));
        Reply matching =
                h.postWithKey("/v1/events", GatewayHarness.TENANT_KEY, "application/json", CanonicalJson.toJson(same));
        Reply refused =
                h.postWithKey("/v1/events", GatewayHarness.TENANT_KEY, "application/json", CanonicalJson.toJson(other));

        assertThat(stamped.status()).as(stamped.toString()).isEqualTo(202);
        assertThat(matching.status()).as(matching.toString()).isEqualTo(202);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.json().at("/results/0/error/code").asText()).isEqualTo("forbidden_organization");
        assertThat(refused.json().at("/results/0/error/errors/0/pointer").asText())
                .isEqualTo("/organization_id");
        assertThat(refused.json().at("/results/0/error/message").asText())
                .contains("'acme-billing'", "'org-acme'", "'org-globex'");
        List<ConsumerRecord<String, byte[]>> records = recordsWithIds(eventsTopic, Set.of(unstamped.id(), same.id()));
        assertThat(records).hasSize(2).allSatisfy(r -> {
            assertThat(header(r, "ce_organizationid")).isEqualTo(GatewayHarness.TENANT);
            assertThat(GatewayHarness.value(r).path("organization_id").asText()).isEqualTo(GatewayHarness.TENANT);
        });
        assertThat(recordsWithIds(eventsTopic, Set.of(other.id()))).isEmpty();
    }

    @Test
    void anUnboundKeyPassesTheEventsOwnOrganizationAndAMalformedOneIs422() {
        CanonicalEvent tenant = invoice().withOrganizationId("org-globex");
        CanonicalEvent malformed = invoice().withOrganizationId("globex corp");
        Reply ok = h.postWithKey(
                "/v1/events", GatewayHarness.BILLING_KEY, "application/json", CanonicalJson.toJson(tenant));
        Reply bad = h.postWithKey(
                "/v1/events", GatewayHarness.BILLING_KEY, "application/json", CanonicalJson.toJson(malformed));

        assertThat(ok.status()).as(ok.toString()).isEqualTo(202);
        assertThat(header(single(recordsWithIds(eventsTopic, Set.of(tenant.id()))), "ce_organizationid"))
                .isEqualTo("org-globex");
        assertThat(bad.status()).as(bad.toString()).isEqualTo(422);
        assertThat(bad.json().at("/results/0/error/code").asText()).isEqualTo("invalid_event");
        assertThat(bad.json().at("/results/0/error/errors/0/pointer").asText()).isEqualTo("/organization_id");
        assertThat(bad.json().at("/results/0/error/message").asText()).contains("globex corp");
    }

    @Test
    void healthReadinessUnknownPathsAndMetrics() {
        assertThat(h.get("/healthz").status()).isEqualTo(200);
        Reply ready = h.get("/readyz");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().path("status").asText()).isEqualTo("ready");
        Reply missing = h.get("/v1/nothing-here");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().at("/error/code").asText()).isEqualTo("not_found");
        Reply wrongMethod = h.get("/v1/events");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.json().at("/error/code").asText()).isEqualTo("method_not_allowed");

        assertThat(h.postWithKey("/v1/events", GatewayHarness.AUTH_KEY, "application/json", "{")
                        .status())
                .isEqualTo(400);
        assertThat(h.postWithKey(
                                "/v1/events",
                                GatewayHarness.AUTH_KEY,
                                "application/json",
                                CanonicalJson.toJson(login()))
                        .status())
                .isEqualTo(202);
        assertThat(h.postWithKey(
                                "/v1/events",
                                GatewayHarness.AUTH_KEY,
                                "application/json",
                                "["
                                        + CanonicalJson.toJson(login())
                                                .replace("auth.user.login_succeeded", "auth.User.login")
                                        + "]")
                        .status())
                .isEqualTo(422);
        List<String> lines = h.get("/metrics").body().lines().toList();
        assertThat(lines)
                .anyMatch(l -> l.startsWith("quintet_gateway_events_accepted_total{")
                        && l.contains("endpoint=\"/v1/events\""));
        assertThat(lines)
                .anyMatch(l -> l.startsWith("quintet_gateway_events_rejected_total{")
                        && l.contains("reason=\"malformed_json\""));
        assertThat(lines)
                .anyMatch(l -> l.startsWith("quintet_gateway_events_rejected_total{")
                        && l.contains("reason=\"invalid_action_name\"")
                        && l.contains("write_key=\"auth\""));
        assertThat(lines)
                .anyMatch(l -> l.startsWith("quintet_gateway_request_duration_seconds_bucket{")
                        && l.contains("http_response_status_code=\"202\"")
                        && l.contains("le=\"0.5\""));
    }
}
