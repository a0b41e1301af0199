package io.quintet.gateway;

import static io.quintet.gateway.GatewayHarness.header;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.OpenTelemetry;
import io.quintet.gateway.GatewayHarness.Reply;
import io.quintet.model.fixtures.ProducerPayloads;
import io.quintet.model.fixtures.ProducerPayloads.Payload;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue #20, item 3: every documented example of the shared corpus (Segment's and RudderStack's HTTP APIs, every
 * call type, batches) through the real gateway over HTTP, each answered 200 with every message accepted and written
 * where its call type goes (identify and group to {@code profiles}, the others to {@code events.raw}), with the
 * actor and action the mapping gives; nothing of RudderStack's {@code rudderId} is written.
 */
@KafkaCluster
@Timeout(120)
class ProducerCorpusIT {
    static GatewayHarness h;
    static String events;
    static String profiles;

    @BeforeAll
    static void start(RunningKafka kafka) throws Exception {
        String prefix = GatewayHarness.createTopics(kafka, "corpus", 2);
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

    static List<Payload> corpus() {
        return ProducerPayloads.ALL;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void everyDocumentedExampleIsAcceptedAndWrittenWhereItsCallTypeGoes(Payload payload) throws Exception {
        String body = ProducerPayloads.recent(
                payload.json(), Instant.now().minus(Duration.ofMinutes(1)), GatewayHarness.SEGMENT_KEY);
        JsonNode sent = GatewayHarness.JSON.readTree(body);
        List<JsonNode> messages = new ArrayList<>();
        if (sent.has("batch")) {
            sent.get("batch").forEach(messages::add);
        } else {
            messages.add(sent);
        }

        Reply reply = h.post(
                payload.path(),
                "application/json",
                body,
                "Authorization",
                GatewayHarness.basic(GatewayHarness.SEGMENT_KEY));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().path("success").asBoolean()).isTrue();
        assertThat(reply.json().path("accepted").asInt()).as(reply.toString()).isEqualTo(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String type = payload.call().equals("batch") ? m.path("type").asText() : payload.call();
            String id = reply.json().at("/results/" + i + "/id").asText();
            boolean toProfiles = Set.of("identify", "group").contains(type);
            List<ConsumerRecord<String, byte[]>> written =
                    h.recordsWithIds(toProfiles ? profiles : events, List.of(id));
            assertThat(written)
                    .as("message %d (%s) on %s", i, type, toProfiles ? "profiles" : "events.raw")
                    .hasSize(1);
            assertThat(h.recordsWithIds(toProfiles ? events : profiles, List.of(id)))
                    .isEmpty();
            ConsumerRecord<String, byte[]> r = written.get(0);
            String userId = m.path("userId").asText("");
            assertThat(r.key())
                    .isEqualTo(userId.isEmpty() ? m.path("anonymousId").asText() : userId);
            assertThat(header(r, "ce_source")).isEqualTo(GatewayHarness.SEGMENT_SOURCE);
            JsonNode e = GatewayHarness.value(r);
            assertThat(e.at("/context/attributes/segment.type").asText()).isEqualTo(type);
            assertThat(header(r, "ce_type"))
                    .isEqualTo(
                            switch (type) {
                                case "identify" -> "identity.profile.identified";
                                case "group" -> "identity.group.associated";
                                case "alias" -> "identity.user.aliased";
                                case "page" -> "analytics.page.viewed";
                                case "screen" -> "analytics.screen.viewed";
                                default ->
                                    e.at("/action/name").asText(); // track: its alias or derived name, checked below
                            });
            if (type.equals("track")) {
                assertThat(e.at("/action/name").asText()).matches("[a-z0-9_]+\\.[a-z0-9_]+\\.[a-z0-9_]+");
            }
            if (m.has("channel")) {
                assertThat(e.at("/context/attributes/segment.channel").asText())
                        .isEqualTo(m.get("channel").asText());
            }
            if (m.has("rudderId")) {
                assertThat(new String(r.value(), StandardCharsets.UTF_8))
                        .doesNotContain(m.get("rudderId").asText());
            }
        }
    }
}
