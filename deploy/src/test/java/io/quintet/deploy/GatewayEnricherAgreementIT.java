package io.quintet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.OpenTelemetry;
import io.quintet.enricher.EnricherConfig;
import io.quintet.enricher.EnricherSettings;
import io.quintet.enricher.EnricherTopology;
import io.quintet.enricher.dlq.DeadLetter;
import io.quintet.enricher.dlq.DeadLetters;
import io.quintet.enricher.dlq.DlqReason;
import io.quintet.enricher.privacy.PrivacyStep;
import io.quintet.enricher.telemetry.EnricherTelemetry;
import io.quintet.gateway.Gateway;
import io.quintet.gateway.auth.WriteKeyAuthenticator;
import io.quintet.gateway.config.GatewayConfig;
import io.quintet.model.json.CanonicalJson;
import io.quintet.model.limits.EventLimits;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #20, items 1, 4 and 5: the gateway answers 2xx for exactly the events the enricher accepts, at the boundaries
 * of the shared {@link EventLimits}; in strict mode it refuses what the tracking plan rejects with the violations
 * the enricher's dead letter carries; and a dead letter as the enricher writes it is listed by the gateway's
 * rejection feed of the event's source. Each case goes through a real gateway (real HTTP, real broker) configured
 * with small limits and {@code validation.mode=strict}, and its record, as a gateway writes it, through the
 * enricher's real topology ({@link TopologyTestDriver}) configured with the same limits and the same (bundled) plan.
 * <p>
 * The record of an event the limited gateway refuses does not exist, so every case is also sent to a second gateway
 * without limits (the probe): with the same request clock, client and event, both gateways build the same record
 * byte for byte (checked for every case the limited gateway accepted), and the probe's record is what the enricher
 * is given.
 */
@KafkaCluster
@Timeout(180)
class GatewayEnricherAgreementIT {
    static final ObjectMapper JSON = CanonicalJson.newMapper();
    static final String KEY = "qk_test_limits_agreement_key_012345";
    static final String SOURCE = "limits-test-service";
    static final Instant NOW = Instant.parse("2026-12-01T10:00:00.123456Z");
    static final EventLimits LIMITS = new EventLimits(4_096, 5, 4);
    static final EventLimits NO_LIMITS = new EventLimits(1 << 20, 10_000, 10_000);

    static Gateway limited;
    static Gateway probe;
    static String limitedTopic;
    static String probeTopic;
    static String bootstrap;
    static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path state;
    /** The enricher's dead letters of the last {@link #verdicts} call, as it wrote them. */
    final List<TestRecord<byte[], byte[]>> deadLetters = new ArrayList<>();

    @BeforeAll
    static void start(RunningKafka kafka) throws Exception {
        bootstrap = kafka.bootstrapServers();
        limitedTopic = startTopics(kafka, "limited");
        probeTopic = startTopics(kafka, "probe");
        limited = startGateway(
                limitedTopic.substring(0, limitedTopic.length() - TopicCatalogue.EVENTS_RAW.length()), LIMITS);
        probe = startGateway(
                probeTopic.substring(0, probeTopic.length() - TopicCatalogue.EVENTS_RAW.length()), NO_LIMITS);
    }

    @AfterAll
    static void stop() {
        for (Gateway g : new Gateway[] {limited, probe}) {
            if (g != null) {
                g.close();
            }
        }
    }

    private static String startTopics(RunningKafka kafka, String base) {
        String prefix = RunningKafka.unique(base) + ".";
        TopicCatalogue c = TopicCatalogue.of(prefix, 1, (short) 1);
        kafka.createTopics(
                1,
                c.name(TopicCatalogue.EVENTS_RAW),
                c.name(TopicCatalogue.PROFILES),
                c.name(TopicCatalogue.ERASURE_REQUESTS),
                c.name(TopicCatalogue.EVENTS_DLQ));
        return c.name(TopicCatalogue.EVENTS_RAW);
    }

    private static Gateway startGateway(String prefix, EventLimits limits) throws Exception {
        Map<String, String> s = new LinkedHashMap<>();
        s.put(GatewayConfig.HTTP_HOST, "127.0.0.1");
        s.put(GatewayConfig.HTTP_PORT, "0");
        s.put(GatewayConfig.HTTP_EVENT_LOOPS, "1");
        s.put(GatewayConfig.KAFKA_BOOTSTRAP, bootstrap);
        s.put(GatewayConfig.TOPICS_PREFIX, prefix);
        s.put(GatewayConfig.KAFKA_HEALTH_INTERVAL_MS, "300");
        s.put(GatewayConfig.AUTH_WRITE_KEYS, "limits:" + WriteKeyAuthenticator.sha256Hex(KEY) + ":" + SOURCE);
        s.put(EventLimits.MAX_RECORD_BYTES, Integer.toString(limits.maxRecordBytes()));
        s.put(EventLimits.MAX_PROPERTIES, Integer.toString(limits.maxProperties()));
        s.put(EventLimits.MAX_ATTRIBUTES, Integer.toString(limits.maxAttributes()));
        s.put(GatewayConfig.VALIDATION_MODE, limits == LIMITS ? "strict" : "edge");
        Gateway g = Gateway.start(GatewayConfig.of(s), OpenTelemetry.noop(), null, Clock.fixed(NOW, ZoneOffset.UTC));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!g.kafkaStatus().available()) {
            if (System.nanoTime() > deadline) {
                g.close();
                throw new AssertionError("the gateway did not see Kafka within 60 s: "
                        + g.kafkaStatus().detail());
            }
            g.checkKafkaNow();
        }
        return g;
    }

    @Test
    void recordsAtTheSizeLimitAreAcceptedByBothAndOneByteMoreIsRefusedByBoth() throws Exception {
        int base = recordBytes(probeRecordOf(event(0, 0, 0)));
        int padToLimit = LIMITS.maxRecordBytes() - base;
        List<ObjectNode> cases =
                List.of(event(padToLimit - 1, 0, 0), event(padToLimit, 0, 0), event(padToLimit + 1, 0, 0));

        List<Verdict> verdicts = verdicts(cases);

        assertThat(verdicts)
                .extracting(v -> v.probeRecordBytes)
                .containsExactly(LIMITS.maxRecordBytes() - 1, LIMITS.maxRecordBytes(), LIMITS.maxRecordBytes() + 1);
        assertThat(verdicts).extracting(v -> v.gatewayStatus).containsExactly(202, 202, 413);
        assertThat(verdicts.get(2).gatewayCode).isEqualTo("event_too_large");
        assertThat(verdicts)
                .extracting(v -> v.enricherOutcome)
                .containsExactly("canonical", "canonical", "record_too_large");
    }

    @Test
    void propertyAndAttributeCountsAtTheLimitAreAcceptedByBothAndOneMoreIsRefusedByBoth() throws Exception {
        List<ObjectNode> cases = List.of(
                event(-1, LIMITS.maxProperties(), 0), event(-1, LIMITS.maxProperties() + 1, 0),
                event(-1, 0, LIMITS.maxAttributes()), event(-1, 0, LIMITS.maxAttributes() + 1));

        List<Verdict> verdicts = verdicts(cases);

        assertThat(verdicts).extracting(v -> v.gatewayStatus).containsExactly(202, 422, 202, 422);
        assertThat(verdicts)
                .extracting(v -> v.gatewayCode)
                .containsExactly(null, "too_many_properties", null, "too_many_attributes");
        assertThat(verdicts)
                .extracting(v -> v.enricherOutcome)
                .containsExactly("canonical", "too_many_properties", "canonical", "too_many_attributes");
    }

    @Test
    void inStrictModeTheGatewayRefusesWhatTheTrackingPlanRejectsWithTheDeadLettersViolations() throws Exception {
        ObjectNode login = event(-1, 0, 0);
        ((ObjectNode) login.get("action"))
                .put("name", "auth.user.login_succeeded")
                .put("type", "access");
        ((ObjectNode) login.at("/context/domain_specific/analytics/properties"))
                .put("device_type", 42)
                .put("browser", "Firefox");
        ObjectNode valid = event(-1, 0, 0);
        ((ObjectNode) valid.get("action"))
                .put("name", "auth.user.login_succeeded")
                .put("type", "access");
        ((ObjectNode) valid.at("/context/domain_specific/analytics/properties")).put("login_method", "sso");

        List<Verdict> verdicts = verdicts(List.of(login, valid));

        assertThat(verdicts).extracting(v -> v.gatewayStatus).containsExactly(422, 202);
        assertThat(verdicts.get(0).gatewayCode).isEqualTo("tracking_plan_violation");
        assertThat(verdicts.get(0).enricherOutcome).isEqualTo("property_violation");
        assertThat(verdicts.get(0).gatewayErrors).isNotEmpty().isEqualTo(verdicts.get(0).enricherViolations);
        assertThat(verdicts.get(1).enricherOutcome).isEqualTo("canonical");
    }

    @Test
    void theEnrichersDeadLetterOfAnEventAGatewayAcceptedIsListedInItsSourcesRejectionFeed() throws Exception {
        ObjectNode tooMany = event(-1, LIMITS.maxProperties() + 1, 0); // the probe (no limits) answers 202
        verdicts(List.of(tooMany));
        assertThat(deadLetters).hasSize(1);
        TestRecord<byte[], byte[]> letter = deadLetters.get(0);
        String dlqTopic = probeTopic.substring(0, probeTopic.length() - TopicCatalogue.EVENTS_RAW.length())
                + TopicCatalogue.EVENTS_DLQ;
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(dlqTopic, null, letter.key(), letter.value(), letter.headers()))
                    .get();
        }

        java.util.concurrent.atomic.AtomicReference<JsonNode> last =
                new java.util.concurrent.atomic.AtomicReference<>();
        try {
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        HttpResponse<String> r = HTTP.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + probe.port() + "/v1/sources/"
                                                + SOURCE + "/rejections"))
                                        .header("Authorization", "Bearer " + KEY)
                                        .GET()
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                        last.set(JSON.readTree(r.body()));
                        return !last.get().path("rejections").isEmpty();
                    });
        } catch (org.awaitility.core.ConditionTimeoutException timedOut) {
            // the assertions below say what the last answer lacked
        }
        JsonNode feed = last.get();

        assertThat(feed.path("rejections")).hasSize(1);
        JsonNode entry = feed.at("/rejections/0");
        assertThat(entry.path("event_id").asText()).isEqualTo(tooMany.get("id").asText());
        assertThat(entry.path("reason").asText()).isEqualTo("size_violation");
        assertThat(entry.path("cause").asText()).isEqualTo("too_many_properties");
        assertThat(entry.path("pointers").get(0).asText()).isEqualTo(EventLimits.PROPERTIES_POINTER);
        assertThat(feed.toString()).doesNotContain("service-limits", "\"p0\"");
    }

    /**
     * What the limited gateway answered (status, error code, each error's pointer and message), and what the
     * enricher (same limits, same plan) did with the gateway's record (its violations' pointers and messages).
     */
    record Verdict(
            int gatewayStatus,
            String gatewayCode,
            int probeRecordBytes,
            String enricherOutcome,
            List<String> gatewayErrors,
            List<String> enricherViolations) {}

    private List<Verdict> verdicts(List<ObjectNode> cases) throws Exception {
        List<Verdict> out = new ArrayList<>();
        EnricherSettings settings = EnricherSettings.defaults().withLimits(LIMITS);
        Properties props = EnricherConfig.of(Map.of(
                        EnricherConfig.BOOTSTRAP, "unused:9092",
                        EnricherConfig.APPLICATION_ID, "limits-agreement",
                        EnricherConfig.STATE_DIR, state.toString(),
                        EnricherConfig.PRIVACY_ENABLED, "false"))
                .streamsProperties();
        props.put(EnricherTelemetry.CONFIG_KEY, EnricherTelemetry.noop());
        try (TopologyTestDriver enricher = new TopologyTestDriver(
                EnricherTopology.buildTopology(settings, EnricherTelemetry.noop(), PrivacyStep.disabled()),
                props,
                NOW)) {
            TestInputTopic<String, byte[]> raw = enricher.createInputTopic(
                    settings.topics().name(TopicCatalogue.EVENTS_RAW),
                    new StringSerializer(),
                    new ByteArraySerializer());
            TestOutputTopic<String, byte[]> canonical = enricher.createOutputTopic(
                    settings.topics().name(TopicCatalogue.EVENTS_CANONICAL),
                    new StringDeserializer(),
                    new ByteArrayDeserializer());
            TestOutputTopic<byte[], byte[]> dlq = enricher.createOutputTopic(
                    settings.topics().name(TopicCatalogue.EVENTS_DLQ),
                    new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            for (ObjectNode event : cases) {
                HttpResponse<String> answer = post(limited, event);
                JsonNode body = JSON.readTree(answer.body());
                JsonNode code = body.at("/results/0/error/code");
                ConsumerRecord<String, byte[]> record = probeRecordOf(event);
                if (answer.statusCode() == 202) {
                    ConsumerRecord<String, byte[]> written =
                            recordOf(limitedTopic, event.get("id").asText());
                    assertThat(written.value())
                            .as("the limited gateway's record equals the probe's")
                            .isEqualTo(record.value());
                    assertThat(headerList(written.headers())).isEqualTo(headerList(record.headers()));
                }
                raw.pipeInput(new TestRecord<>(record.key(), record.value(), record.headers(), NOW));
                String outcome;
                List<String> violations = List.of();
                if (!canonical.isEmpty()) {
                    canonical.readRecordsToList();
                    outcome = "canonical";
                } else {
                    List<TestRecord<byte[], byte[]>> letters = dlq.readRecordsToList();
                    assertThat(letters).hasSize(1);
                    deadLetters.add(letters.get(0));
                    DeadLetter letter = DeadLetters.parse(
                            letters.get(0).key(),
                            letters.get(0).headers(),
                            letters.get(0).value());
                    assertThat(letter.reason()).isIn(DlqReason.SIZE_VIOLATION, DlqReason.TRACKING_PLAN_VIOLATION);
                    outcome = letter.cause();
                    violations = letter.violations().stream()
                            .map(v -> v.pointer() + " " + v.message())
                            .toList();
                }
                List<String> errors = new ArrayList<>();
                body.at("/results/0/error/errors")
                        .forEach(e -> errors.add(e.path("pointer").asText() + " "
                                + e.path("message").asText()));
                out.add(new Verdict(
                        answer.statusCode(),
                        code.isMissingNode() ? null : code.asText(),
                        recordBytes(record),
                        outcome,
                        errors,
                        violations));
            }
        }
        return out;
    }

    /**
     * An unplanned event (the tracking plan flags it and lets it through): with {@code pad} >= 0 its only attribute
     * is {@code pad} characters long (each one a byte of the record), else it has {@code attributes} attributes.
     */
    private static ObjectNode event(int pad, int properties, int attributes) {
        ObjectNode e = JSON.createObjectNode();
        e.put("id", UUID.randomUUID().toString());
        e.put("event_timestamp", NOW.minusSeconds(60).toString());
        e.put("source", SOURCE);
        e.putObject("action").put("name", "test.limit.checked").put("type", "other");
        e.putObject("actor").put("id", "service-limits").put("type", "service");
        ObjectNode context = e.putObject("context");
        ObjectNode props =
                context.putObject("domain_specific").putObject("analytics").putObject("properties");
        for (int i = 0; i < properties; i++) {
            props.put("p" + i, i);
        }
        if (pad >= 0) {
            context.putObject("attributes").put("pad", "x".repeat(pad));
        } else if (attributes > 0) {
            ObjectNode a = context.putObject("attributes");
            for (int i = 0; i < attributes; i++) {
                a.put("a" + i, i);
            }
        }
        return e;
    }

    private ConsumerRecord<String, byte[]> probeRecordOf(ObjectNode event) throws Exception {
        HttpResponse<String> answer = post(probe, event);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        return recordOf(probeTopic, event.get("id").asText());
    }

    private static HttpResponse<String> post(Gateway g, ObjectNode event) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + "/v1/events"))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + KEY)
                        .POST(HttpRequest.BodyPublishers.ofString(event.toString(), StandardCharsets.UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The record whose {@code ce_id} is {@code id}, read from the start of the topic. */
    private static ConsumerRecord<String, byte[]> recordOf(String topic, String id) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            while (consumer.position(tp) < end) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    Header ceId = r.headers().lastHeader("ce_id");
                    if (ceId != null && new String(ceId.value(), StandardCharsets.UTF_8).equals(id)) {
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("no record with ce_id " + id + " on " + topic);
    }

    private static int recordBytes(ConsumerRecord<String, byte[]> r) {
        return EventLimits.recordBytes(r.headers(), r.value());
    }

    private static List<String> headerList(Headers headers) {
        List<String> out = new ArrayList<>();
        for (Header h : headers) {
            out.add(h.key() + "=" + Arrays.toString(h.value()));
        }
        return out;
    }
}
