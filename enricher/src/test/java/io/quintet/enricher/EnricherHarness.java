package io.quintet.enricher;

import io.cloudevents.core.message.Encoding;
import io.cloudevents.kafka.CloudEventSerializer;
import io.quintet.enricher.dlq.DeadLetter;
import io.quintet.enricher.dlq.DeadLetters;
import io.quintet.enricher.privacy.PrivacyStep;
import io.quintet.enricher.telemetry.EnricherTelemetry;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventMapper;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.json.CanonicalJson;
import io.quintet.model.topics.TopicCatalogue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The real enricher topology ({@link EnricherTopology#buildTopology}) in a {@link TopologyTestDriver}, configured
 * through {@link EnricherConfig} like the service, with typed helpers to send raw records and read both outputs.
 */
final class EnricherHarness implements AutoCloseable {
    static final Instant WALL_CLOCK = Instant.parse("2026-11-02T12:00:00Z");

    final TopologyTestDriver driver;
    final Topology topology;
    final TopicCatalogue topics;
    final TestInputTopic<String, byte[]> raw;
    final TestInputTopic<String, byte[]> profiles;
    final TestOutputTopic<String, byte[]> canonical;
    final TestOutputTopic<byte[], byte[]> dlq;
    private final CloudEventSerde serde = new CloudEventSerde();

    EnricherHarness(EnricherSettings settings, Path stateDir) {
        this(settings, stateDir, EnricherTelemetry.noop(), PrivacyStep.disabled());
    }

    EnricherHarness(EnricherSettings settings, Path stateDir, EnricherTelemetry telemetry, PrivacyStep privacy) {
        this(settings, stateDir, telemetry, privacy, java.util.Optional.empty());
    }

    EnricherHarness(
            EnricherSettings settings,
            Path stateDir,
            EnricherTelemetry telemetry,
            PrivacyStep privacy,
            java.util.Optional<io.quintet.audit.AuditChainer> audit) {
        topology = EnricherTopology.buildTopology(settings, telemetry, privacy, audit);
        Properties props = EnricherConfig.of(Map.of(
                        EnricherConfig.BOOTSTRAP, "unused:9092",
                        EnricherConfig.APPLICATION_ID, "enricher-test",
                        EnricherConfig.TOPIC_PREFIX, settings.topics().prefix(),
                        EnricherConfig.STATE_DIR, stateDir.toString(),
                        EnricherConfig.PRIVACY_ENABLED, "false"))
                .streamsProperties(); // the privacy step is passed in explicitly
        props.put(EnricherTelemetry.CONFIG_KEY, telemetry);
        driver = new TopologyTestDriver(topology, props, WALL_CLOCK);
        topics = settings.topics();
        raw = driver.createInputTopic(
                topics.name(TopicCatalogue.EVENTS_RAW), new StringSerializer(), new ByteArraySerializer());
        profiles = driver.createInputTopic(
                topics.name(TopicCatalogue.PROFILES), new StringSerializer(), new ByteArraySerializer());
        canonical = driver.createOutputTopic(
                topics.name(TopicCatalogue.EVENTS_CANONICAL), new StringDeserializer(), new ByteArrayDeserializer());
        dlq = driver.createOutputTopic(
                topics.name(TopicCatalogue.EVENTS_DLQ), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Sends an event in binary mode, keyed by actor id, with the event time as record time. */
    void send(CanonicalEvent e) {
        send(e, e.eventTimestamp() == null ? WALL_CLOCK : e.eventTimestamp());
    }

    void send(CanonicalEvent e, Instant recordTime) {
        RecordHeaders headers = new RecordHeaders();
        byte[] value = serde.serializer().serialize(raw.toString(), headers, e);
        sendRaw(e.actor() == null ? null : e.actor().id(), value, headers, recordTime);
    }

    /** Sends an event in structured mode (application/cloudevents+json). */
    void sendStructured(CanonicalEvent e) {
        CloudEventSerializer structured = new CloudEventSerializer();
        structured.configure(
                Map.of(
                        CloudEventSerializer.ENCODING_CONFIG,
                        Encoding.STRUCTURED,
                        CloudEventSerializer.EVENT_FORMAT_CONFIG,
                        "application/cloudevents+json"),
                false);
        RecordHeaders headers = new RecordHeaders();
        byte[] value = structured.serialize("events.raw", headers, CloudEventMapper.toCloudEvent(e));
        sendRaw(e.actor().id(), value, headers, e.eventTimestamp());
    }

    /** Sends canonical JSON text as the data of a binary-mode CloudEvent with the given envelope. */
    void sendJson(String key, String json, String ceId, String ceSource, String ceType, Instant recordTime) {
        RecordHeaders h = new RecordHeaders();
        h.add("ce_specversion", bytes("1.0"));
        h.add("ce_id", bytes(ceId));
        h.add("ce_source", bytes(ceSource));
        h.add("ce_type", bytes(ceType));
        h.add("content-type", bytes("application/json"));
        sendRaw(key, bytes(json), h, recordTime);
    }

    void sendRaw(String key, byte[] value, Headers headers, Instant recordTime) {
        raw.pipeInput(new TestRecord<>(key, value, headers, recordTime));
    }

    void profile(String actor, String json, Instant at) {
        profiles.pipeInput(new TestRecord<>(actor, json == null ? null : bytes(json), new RecordHeaders(), at));
    }

    List<TestRecord<String, byte[]>> canonicalRecords() {
        return canonical.readRecordsToList();
    }

    /** Every event on events.canonical, decoded as a consumer would (CloudEvents binary mode). */
    List<CanonicalEvent> canonicalEvents() {
        return canonicalRecords().stream()
                .map(r -> serde.deserializer().deserialize("events.canonical", r.headers(), r.value()))
                .toList();
    }

    List<TestRecord<byte[], byte[]>> dlqRecords() {
        return dlq.readRecordsToList();
    }

    List<DeadLetter> deadLetters() {
        return dlqRecords().stream()
                .map(r -> DeadLetters.parse(r.key(), r.headers(), r.value()))
                .toList();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String json(CanonicalEvent e) {
        return CanonicalJson.toJson(e);
    }

    @Override
    public void close() {
        driver.close();
    }
}
