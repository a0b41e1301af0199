package io.quintet.model.cloudevents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudevents.core.message.Encoding;
import io.cloudevents.kafka.CloudEventSerializer;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.Entity;
import io.quintet.model.fixtures.EventFixtures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * The header writer produces what the CloudEvents SDK's Kafka serializer produces for the mapped CloudEvent: the same
 * headers in the same order with the same bytes, and the same value; events the SDK refuses are left to the SDK.
 */
class BinaryModeWriterTest {
    private static final String TOPIC = "events.raw";

    /** What the serde wrote before the writer existed: the mapper, then the SDK's binary-mode serializer. */
    private static List<String> sdk(CanonicalEvent event, byte[][] value) {
        CloudEventSerializer serializer = new CloudEventSerializer();
        serializer.configure(Map.of(CloudEventSerializer.ENCODING_CONFIG, Encoding.BINARY), false);
        RecordHeaders headers = new RecordHeaders();
        value[0] = serializer.serialize(TOPIC, headers, CloudEventMapper.toCloudEvent(event));
        return describe(headers);
    }

    private static List<String> describe(RecordHeaders headers) {
        List<String> out = new ArrayList<>();
        for (Header h : headers) {
            out.add(h.key() + "=" + new String(h.value(), java.nio.charset.StandardCharsets.UTF_8) + " "
                    + java.util.Arrays.hashCode(h.value()));
        }
        return out;
    }

    private static void assertSameAsSdk(CanonicalEvent event) {
        byte[][] expectedValue = new byte[1][];
        List<String> expected = sdk(event, expectedValue);
        RecordHeaders headers = new RecordHeaders();
        byte[] value = new CloudEventSerde().serializer().serialize(TOPIC, headers, event);
        assertThat(describe(headers)).as("headers of %s", event.id()).containsExactlyElementsOf(expected);
        assertThat(value).isEqualTo(expectedValue[0]);
        byte[] direct = new BinaryModeWriter()
                .write(
                        new RecordHeaders(),
                        event,
                        event.actor() == null ? null : event.actor().id());
        assertThat(direct)
                .as("the writer itself wrote %s (not the SDK fallback)", event.id())
                .isNotNull();
    }

    @Test
    void writesTheSdksHeadersAndValue() {
        for (CanonicalEvent event : List.of(
                EventFixtures.login(),
                EventFixtures.invoiceCreated(),
                EventFixtures.failedWorkflowRun(),
                EventFixtures.failedLogin("e-3", EventFixtures.T0.plusSeconds(3)),
                EventFixtures.login().withOrganizationId("org-4711"),
                EventFixtures.invoiceCreated().withOrganizationId("acme.eu:prod_1"))) {
            assertSameAsSdk(event);
        }
    }

    @Test
    void timesOfEveryPrecisionTraceContextAndMissingOptionalAttributes() {
        CanonicalEvent base = EventFixtures.login();
        for (String t : List.of(
                "2026-11-02T09:15:30Z",
                "2026-11-02T09:15:30.100Z",
                "2026-11-02T09:15:30.020Z",
                "2026-11-02T09:15:30.123456Z",
                "2026-11-02T09:15:30.123456789Z",
                "1999-01-01T00:00:00.000000001Z")) {
            assertSameAsSdk(base.toBuilder().eventTimestamp(Instant.parse(t)).build());
        }
        Context traced = base.contextOrEmpty()
                .withTelemetry(new Context.Telemetry("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", null));
        assertSameAsSdk(base.toBuilder().context(traced).build());
        assertSameAsSdk(base.toBuilder().context(traced).actor(null).build());
        assertSameAsSdk(base.toBuilder().entity(null).eventTimestamp(null).build());
        assertSameAsSdk(base.toBuilder().entity(new Entity("doc-1", null, null)).build());
        assertSameAsSdk(
                base.toBuilder().entity(new Entity(null, "document", null)).build());
        assertSameAsSdk(
                base.toBuilder().id("évènement-ü-1").source("urn:quintet:test").build());
    }

    @Test
    void leavesWhatTheSdkRefusesToTheSdk() {
        CanonicalEvent base = EventFixtures.login();
        for (CanonicalEvent bad : List.of(
                base.toBuilder().id(null).build(),
                base.toBuilder().source("not a uri").build(),
                base.toBuilder().source(null).build(),
                base.toBuilder().action(null).build())) {
            RecordHeaders headers = new RecordHeaders();
            assertThat(new BinaryModeWriter().write(headers, bad, "k")).isNull();
            assertThat(headers.toArray()).isEmpty();
            byte[][] value = new byte[1][];
            Class<? extends Throwable> sdkFailure = catchFailure(() -> sdk(bad, value));
            assertThat(sdkFailure).as("the SDK refuses %s", bad).isNotNull();
            assertThatThrownBy(() -> new CloudEventSerde().serializer().serialize(TOPIC, new RecordHeaders(), bad))
                    .isInstanceOf(sdkFailure);
        }
    }

    /** The hand-written time equals the SDK's formatter on random instants of every precision, and outside 0-9999. */
    @Test
    void timeIsTheSdksFormat() {
        java.util.Random random = new java.util.Random(11);
        List<Instant> instants = new ArrayList<>(List.of(
                Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("-0001-12-31T23:59:59.5Z"),
                Instant.EPOCH,
                Instant.parse("2024-02-29T12:00:00.000100Z")));
        for (int i = 0; i < 20_000; i++) {
            long seconds = random.nextLong(
                    Instant.parse("0000-01-01T00:00:00Z").getEpochSecond(),
                    Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            instants.add(Instant.ofEpochSecond(seconds, nanos));
        }
        for (Instant t : instants) {
            String expected = java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                    t.atOffset(java.time.ZoneOffset.UTC));
            assertThat(new String(BinaryModeWriter.time(t), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo(expected);
        }
    }

    private static Class<? extends Throwable> catchFailure(Runnable r) {
        try {
            r.run();
            return null;
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }
}
