package io.quintet.gateway;

import static io.quintet.gateway.CanonicalEventsIT.single;
import static io.quintet.gateway.GatewayHarness.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.OpenTelemetry;
import io.quintet.gateway.GatewayHarness.Reply;
import io.quintet.model.fixtures.ProducerPayloads;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Segment-compatible endpoints with payloads from Segment's public HTTP Tracking API documentation
 * (segment.com/docs/connections/sources/catalog/libraries/server/http-api). Only their 2012/2015 timestamps are moved
 * to now (the gateway refuses events older than its age limit; the docs' batch even has "2015-2-02T…", which is not
 * ISO-8601), and YOUR_WRITE_KEY is the test key.
 */
@KafkaCluster
@Timeout(120)
class SegmentIT {
    static GatewayHarness h;
    static String events;
    static String profiles;

    // the documented examples, from the shared corpus (event-model's test fixtures, producers/README.md)
    static final String TRACK = ProducerPayloads.segment("track.json");
    static final String IDENTIFY = ProducerPayloads.segment("identify.json");
    static final String BATCH = ProducerPayloads.segment("batch.json");
    static final String PAGE = ProducerPayloads.segment("page.json");
    static final String SCREEN = ProducerPayloads.segment("screen.json");
    static final String GROUP = ProducerPayloads.segment("group.json");
    static final String ALIAS = ProducerPayloads.segment("alias.json");

    @BeforeAll
    static void start(RunningKafka kafka) throws Exception {
        String prefix = GatewayHarness.createTopics(kafka, "segment", 2);
        h = GatewayHarness.startReady(kafka.bootstrapServers(), prefix, Map.of(), OpenTelemetry.noop(), null);
        events = h.topics.name(TopicCatalogue.EVENTS_RAW);
        profiles = h.topics.name(TopicCatalogue.PROFILES);
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    /** The docs payload with its timestamps moved to {@code age} ago and the test write key. */
    static String recent(String docsPayload, Duration age) {
        try {
            ObjectNode root = (ObjectNode)
                    GatewayHarness.JSON.readTree(docsPayload.replace("YOUR_WRITE_KEY", GatewayHarness.SEGMENT_KEY));
            List<ObjectNode> messages = new ArrayList<>();
            messages.add(root);
            root.path("batch").forEach(m -> messages.add((ObjectNode) m));
            for (ObjectNode m : messages) {
                if (m.has("timestamp")) {
                    m.put("timestamp", Instant.now().minus(age).toString());
                }
            }
            return root.toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<String> ids(Reply reply) {
        List<String> ids = new ArrayList<>();
        reply.json().path("results").forEach(r -> ids.add(r.path("id").asText()));
        return ids;
    }

    @Test
    void trackFromTheDocsWithWriteKeyInBodyBecomesACanonicalEventWithTheAliasedAction() {
        Reply reply = h.post("/v1/track", "application/json", recent(TRACK, Duration.ofMinutes(1)));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().path("success").asBoolean()).isTrue();
        ConsumerRecord<String, byte[]> r = single(h.recordsWithIds(events, ids(reply)));
        assertThat(r.key()).isEqualTo("019mr8mf4r");
        assertThat(header(r, "ce_type")).isEqualTo("commerce.item.purchased");
        assertThat(header(r, "ce_source")).isEqualTo(GatewayHarness.SEGMENT_SOURCE);
        JsonNode e = GatewayHarness.value(r);
        assertThat(e.at("/action/type").asText()).isEqualTo("create");
        assertThat(e.at("/actor/type").asText()).isEqualTo("user");
        assertThat(e.at("/context/domain_specific/analytics/properties/revenue").decimalValue())
                .isEqualByComparingTo("14.99");
        assertThat(e.at("/context/domain_specific/analytics/properties/name").asText())
                .isEqualTo("Leap to Conclusions Mat");
        assertThat(e.at("/context/client/ip_address").asText()).isEqualTo("24.5.68.47");
        assertThat(e.at("/context/attributes/segment.type").asText()).isEqualTo("track");
        assertThat(h.recordsWithIds(profiles, ids(reply))).isEmpty();
    }

    @Test
    void identifyWithBasicAuthGoesToProfilesWithTraitsAndEventTimeAsRecordTime() {
        Reply reply = h.post(
                "/v1/identify",
                "application/json",
                recent(IDENTIFY, Duration.ofMinutes(3)),
                "Authorization",
                GatewayHarness.basic(GatewayHarness.SEGMENT_KEY));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        ConsumerRecord<String, byte[]> r = single(h.recordsWithIds(profiles, ids(reply)));
        assertThat(r.key()).isEqualTo("019mr8mf4r");
        assertThat(header(r, "ce_type")).isEqualTo("identity.profile.identified");
        JsonNode e = GatewayHarness.value(r);
        assertThat(e.at("/entity/type").asText()).isEqualTo("user");
        assertThat(e.at("/entity/details/email").asText()).isEqualTo("pgibbons@example.com");
        assertThat(e.at("/entity/details/industry").asText()).isEqualTo("Technology");
        assertThat(Instant.ofEpochMilli(r.timestamp()))
                .isEqualTo(Instant.parse(e.path("event_timestamp").asText())
                        .truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(h.recordsWithIds(events, ids(reply))).isEmpty();
    }

    @Test
    void batchFromTheDocsSplitsIdentifiesToProfilesAndTracksToEvents() {
        Reply reply = h.post("/v1/batch", "application/json", recent(BATCH, Duration.ofMinutes(2)));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().path("accepted").asInt()).isEqualTo(4);
        List<String> ids = ids(reply);
        List<ConsumerRecord<String, byte[]>> identified = h.recordsWithIds(profiles, ids);
        List<ConsumerRecord<String, byte[]>> tracked = h.recordsWithIds(events, ids);
        assertThat(identified).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("019mr8mf4r", "971mj8mk7p");
        assertThat(tracked).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("019mr8mf4r", "971mj8mk7p");
        // "Song Played" has no alias: derived from Segment's Object Action naming
        assertThat(tracked).extracting(r -> header(r, "ce_type")).containsOnly("analytics.song.played");
    }

    @Test
    void pageScreenGroupAndAliasFromTheDocs() {
        Reply page = h.post("/v1/page", "application/json", recent(PAGE, Duration.ofMinutes(1)));
        Reply screen = h.post("/v1/screen", "application/json", recent(SCREEN, Duration.ofMinutes(1)));
        Reply group = h.post("/v1/group", "application/json", recent(GROUP, Duration.ofMinutes(1)));
        Reply alias = h.post("/v1/alias", "application/json", recent(ALIAS, Duration.ofMinutes(1)));
        for (Reply r : List.of(page, screen, group, alias)) {
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
        }
        JsonNode pageEvent = GatewayHarness.value(single(h.recordsWithIds(events, ids(page))));
        assertThat(pageEvent.at("/action/name").asText()).isEqualTo("analytics.page.viewed");
        assertThat(pageEvent.at("/entity/id").asText()).isEqualTo("Tracking HTTP API");
        JsonNode screenEvent = GatewayHarness.value(single(h.recordsWithIds(events, ids(screen))));
        assertThat(screenEvent.at("/entity/type").asText()).isEqualTo("screen");
        ConsumerRecord<String, byte[]> groupRecord = single(h.recordsWithIds(profiles, ids(group)));
        assertThat(GatewayHarness.value(groupRecord).at("/entity/id").asText()).isEqualTo("8e9df332ac");
        assertThat(GatewayHarness.value(groupRecord)
                        .at("/entity/details/employees")
                        .asInt())
                .isEqualTo(420);
        JsonNode aliasEvent = GatewayHarness.value(single(h.recordsWithIds(events, ids(alias))));
        assertThat(aliasEvent.at("/action/name").asText()).isEqualTo("identity.user.aliased");
        assertThat(aliasEvent.at("/entity/id").asText()).isEqualTo("39239-239239-239239-23923");
    }

    @Test
    void clientClockSkewIsCorrectedWithSentAt() {
        // the client's clock runs an hour fast: its event happened 5 minutes before it sent the request
        Instant clientNow = Instant.now().plus(Duration.ofHours(1));
        String body = """
                {"userId": "019mr8mf4r", "event": "Item Purchased", "timestamp": "%s", "sentAt": "%s"}""".formatted(clientNow.minus(Duration.ofMinutes(5)), clientNow);
        Reply reply = h.post(
                "/v1/track",
                "application/json",
                body,
                "Authorization",
                GatewayHarness.basic(GatewayHarness.SEGMENT_KEY));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode e = GatewayHarness.value(single(h.recordsWithIds(events, ids(reply))));
        assertThat(Instant.parse(e.path("event_timestamp").asText()))
                .isCloseTo(Instant.now().minus(Duration.ofMinutes(5)), within(Duration.ofSeconds(20)));
    }

    @Test
    void aRetriedMessageKeepsItsIdSoItCanBeDeduplicated() {
        String body = """
                {"userId": "019mr8mf4r", "event": "Item Purchased", "messageId": "ajs-next-1669052e5c4f1d8e8a8b"}""";
        Reply first = h.post(
                "/v1/track",
                "application/json",
                body,
                "Authorization",
                GatewayHarness.basic(GatewayHarness.SEGMENT_KEY));
        Reply retry = h.post(
                "/v1/track",
                "application/json",
                body,
                "Authorization",
                GatewayHarness.basic(GatewayHarness.SEGMENT_KEY));

        assertThat(first.status()).isEqualTo(200);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(ids(retry)).isEqualTo(ids(first));
        List<ConsumerRecord<String, byte[]>> stored = h.recordsWithIds(events, ids(first));
        assertThat(stored)
                .hasSize(2)
                .allSatisfy(r -> assertThat(GatewayHarness.value(r)
                                .at("/context/attributes/segment.message_id")
                                .asText())
                        .isEqualTo("ajs-next-1669052e5c4f1d8e8a8b"));
    }

    @Test
    void invalidMessagesAreRejectedWithTheFieldThatIsWrong() {
        String key = GatewayHarness.basic(GatewayHarness.SEGMENT_KEY);
        Reply noUser = h.post("/v1/track", "application/json", "{\"event\": \"Item Purchased\"}", "Authorization", key);
        Reply noEvent = h.post("/v1/track", "application/json", "{\"userId\": \"u1\"}", "Authorization", key);
        Reply badBatch = h.post("/v1/batch", "application/json", """
                {"batch": [{"type": "track", "userId": "u1", "event": "Item Purchased"},
                           {"type": "teleport", "userId": "u1"},
                           {"type": "track", "userId": "u1", "event": "!!!"}]}""", "Authorization", key);

        assertThat(noUser.status()).isEqualTo(422);
        assertThat(noUser.json().at("/results/0/error/errors/0/pointer").asText())
                .isEqualTo("/userId");
        assertThat(noEvent.status()).isEqualTo(422);
        assertThat(noEvent.json().at("/results/0/error/errors/0/pointer").asText())
                .isEqualTo("/event");
        assertThat(badBatch.status()).as(badBatch.toString()).isEqualTo(200);
        assertThat(badBatch.json().path("accepted").asInt()).isEqualTo(1);
        assertThat(badBatch.json().at("/results/1/error/errors/0/pointer").asText())
                .isEqualTo("/type");
        assertThat(badBatch.json().at("/results/2/error/code").asText()).isEqualTo("invalid_action_name");
    }

    @Test
    void writeKeysAreCheckedInHeaderAndBody() {
        Reply noKey = h.post("/v1/track", "application/json", "{\"userId\": \"u1\", \"event\": \"Item Purchased\"}");
        Reply wrongBodyKey = h.post(
                "/v1/track",
                "application/json",
                "{\"userId\": \"u1\", \"event\": \"Item Purchased\", \"writeKey\": \"nope\"}");
        // the auth service's key only has a wildcard source: nothing to stamp on Segment calls
        Reply wildcardOnly = h.post(
                "/v1/track",
                "application/json",
                "{\"userId\": \"u1\", \"event\": \"Item Purchased\"}",
                "Authorization",
                GatewayHarness.basic(GatewayHarness.AUTH_KEY));

        assertThat(noKey.status()).isEqualTo(401);
        assertThat(wrongBodyKey.status()).isEqualTo(401);
        assertThat(wildcardOnly.status()).isEqualTo(403);
        assertThat(wildcardOnly.json().at("/error/code").asText()).isEqualTo("forbidden");
        assertThat(List.of(
                        noKey.json().at("/error/code").asText(),
                        wrongBodyKey.json().at("/error/code").asText()))
                .containsOnly("unauthenticated");
    }
}
