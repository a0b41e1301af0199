package io.quintet.model.cloudevents;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.EventDecodingException;
import io.quintet.model.fixtures.EventFixtures;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The header reader gives the CloudEvents SDK's result for every record: the same event where it reads one itself,
 * and no answer (so the SDK decides, with its typed failure) for anything it does not handle.
 */
class BinaryModeReaderTest {
    private static final String TOPIC = "events.canonical";
    private static final BinaryModeReader READER = new BinaryModeReader();

    private static RecordHeaders headersOf(CanonicalEvent event, Consumer<RecordHeaders> extra, byte[][] valueOut) {
        RecordHeaders headers = new RecordHeaders();
        extra.accept(headers);
        valueOut[0] = new CloudEventSerde().serializer().serialize(TOPIC, headers, event);
        return headers;
    }

    /** Both readers on one record: the fast one must equal the SDK's event, or step aside. */
    private static CloudEvent assertSameAsSdk(RecordHeaders headers, byte[] value, boolean expectFastPath) {
        CloudEvent fast = READER.read(headers, value);
        if (!expectFastPath) {
            assertThat(fast).as("the fast reader leaves this record to the SDK").isNull();
            return null;
        }
        CloudEvent sdk = KafkaMessageFactory.createReader(headers, value).toEvent(); // the SDK's own reader
        assertThat(fast).as("the fast reader reads this record").isNotNull();
        assertThat(fast).isEqualTo(sdk);
        assertThat(fast.getTime()).isEqualTo(sdk.getTime());
        assertThat(fast.getExtensionNames()).isEqualTo(sdk.getExtensionNames());
        for (String name : sdk.getExtensionNames()) {
            assertThat(fast.getExtension(name)).as(name).isEqualTo(sdk.getExtension(name));
        }
        assertThat(fast.getData().toBytes()).isEqualTo(sdk.getData().toBytes());
        return fast;
    }

    @Test
    void aRecordThePipelineWritesIsReadAsTheSdkReadsIt() {
        for (CanonicalEvent event : List.of(
                EventFixtures.login(),
                EventFixtures.invoiceCreated(),
                EventFixtures.failedWorkflowRun(),
                EventFixtures.failedLogin("e-3", EventFixtures.T0.plusSeconds(3)))) {
            byte[][] value = new byte[1][];
            RecordHeaders headers = headersOf(event, h -> {}, value);
            CloudEvent read = assertSameAsSdk(headers, value[0], true);
            assertThat(read.getTime().toInstant()).isEqualTo(event.eventTimestamp());
        }
    }

    @Test
    void chainExtensionsAndOtherHeadersComeThroughAsTheSdkGivesThem() {
        byte[][] value = new byte[1][];
        RecordHeaders headers = headersOf(
                EventFixtures.login(),
                h -> {
                    // the audit chain's extensions, as io.quintet.audit.chain.ChainExtensions writes them
                    h.add("ce_chainpart", "1".getBytes(StandardCharsets.UTF_8));
                    h.add("ce_chainseq", "9".getBytes(StandardCharsets.UTF_8));
                    h.add("ce_chainprev", "ab".repeat(32).getBytes(StandardCharsets.UTF_8));
                    h.add("ce_chainhash", "cd".repeat(32).getBytes(StandardCharsets.UTF_8));
                    h.add("ce_chainkeyid", "k1".getBytes(StandardCharsets.UTF_8));
                    h.add(
                            "traceparent",
                            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".getBytes(StandardCharsets.UTF_8));
                    h.add("ce_", "ignored".getBytes(StandardCharsets.UTF_8));
                },
                value);
        CloudEvent read = assertSameAsSdk(headers, value[0], true);
        assertThat(read.getExtension("chainseq")).isEqualTo("9");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-11-02T08:00:00Z",
                "2026-11-02T08:00:00.5Z",
                "2026-11-02T08:00:00.020Z",
                "2026-11-02T08:00:00.123456789Z",
                "2024-02-29T23:59:59.999999Z"
            })
    void utcTimesParseToWhatTheSdkParses(String time) {
        assertThat(BinaryModeReader.utcTime(time))
                .isEqualTo(io.cloudevents.types.Time.parseTime(time))
                .matches(t -> t.getOffset().equals(ZoneOffset.UTC));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-11-02T08:00:00+01:00",
                "2026-11-02t08:00:00z",
                "2026-11-02T08:00Z",
                "2026-02-30T08:00:00Z",
                "2026-11-02T24:00:00Z",
                "2026-11-02T08:00:00.Z",
                "2026-11-02T08:00:00.1234567890Z",
                "2026-11-02 08:00:00Z",
                "+2026-11-02T08:00:00Z",
                "2026-1a-02T08:00:00Z",
                "garbage"
            })
    void otherTimeFormsAreLeftToTheSdk(String time) {
        assertThat(BinaryModeReader.utcTime(time)).isNull();
    }

    @Test
    void aTimeWithAnOffsetIsStillDecodedByTheSdkPath() {
        byte[][] value = new byte[1][];
        RecordHeaders headers = headersOf(EventFixtures.login(), h -> {}, value);
        OffsetDateTime utc = CloudEventSerde.readCloudEvent(headers, value[0]).getTime();
        replace(
                headers,
                "ce_time",
                utc.withOffsetSameInstant(ZoneOffset.ofHours(2)).toString());
        assertSameAsSdk(headers, value[0], false);
        assertThat(CloudEventSerde.decode(headers, value[0])).isInstanceOf(DecodeResult.Decoded.class);
    }

    /** Unusual or broken records: the fast reader steps aside, and the outcome is the SDK's (event or typed failure). */
    @Test
    void unusualOrBrokenRecordsAreLeftToTheSdk() {
        List<Consumer<RecordHeaders>> breakages = new ArrayList<>();
        breakages.add(h -> h.remove("ce_specversion"));
        breakages.add(h -> replace(h, "ce_specversion", "0.3"));
        breakages.add(h -> h.remove("ce_id"));
        breakages.add(h -> replace(h, "ce_id", ""));
        breakages.add(h -> h.remove("ce_source"));
        breakages.add(h -> replace(h, "ce_source", "not a uri with spaces"));
        breakages.add(h -> h.remove("ce_type"));
        breakages.add(h -> replace(h, "ce_time", "yesterday"));
        breakages.add(h -> replace(h, "content-type", "text/plain"));
        breakages.add(h -> replace(h, "content-type", "application/cloudevents+json"));
        breakages.add(h -> h.add("Content-Type", "application/json".getBytes(StandardCharsets.UTF_8)));
        breakages.add(h -> h.add("ce_datacontenttype", "application/json".getBytes(StandardCharsets.UTF_8)));
        breakages.add(h -> h.add("ce_Odd", "x".getBytes(StandardCharsets.UTF_8)));
        breakages.add(h -> h.add("ce_with-dash", "x".getBytes(StandardCharsets.UTF_8)));
        breakages.add(h -> h.add("ce_novalue", null));
        for (int i = 0; i < breakages.size(); i++) {
            byte[][] value = new byte[1][];
            RecordHeaders headers = headersOf(EventFixtures.login(), h -> {}, value);
            breakages.get(i).accept(headers);
            assertThat(READER.read(headers, value[0])).as("breakage %d", i).isNull();
        }
        byte[][] value = new byte[1][];
        RecordHeaders headers = headersOf(EventFixtures.login(), h -> {}, value);
        assertThat(READER.read(headers, new byte[0])).as("empty data").isNull();
        assertThat(READER.read(null, value[0])).as("no headers").isNull();
    }

    @Test
    void aMismatchBetweenEnvelopeAndDataIsStillAnEnvelopeMismatch() {
        byte[][] value = new byte[1][];
        RecordHeaders headers = headersOf(EventFixtures.login(), h -> {}, value);
        replace(headers, "ce_id", "another-id");
        CloudEvent fast = assertSameAsSdk(headers, value[0], true);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CloudEventMapper.fromCloudEvent(fast))
                .isInstanceOfSatisfying(
                        EventDecodingException.class,
                        e -> assertThat(e.reason()).isEqualTo(EventDecodingException.Reason.ENVELOPE_MISMATCH));
    }

    private static void replace(RecordHeaders headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
