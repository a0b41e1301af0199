package io.quintet.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.enricher.dlq.DeadLetter;
import io.quintet.enricher.dlq.DeadLetters;
import io.quintet.enricher.dlq.DlqReason;
import io.quintet.enricher.privacy.PrivacyStep;
import io.quintet.enricher.telemetry.EnricherTelemetry;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.fixtures.EventFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Step 3, the dead-letter records: typed reason in headers and body, source coordinates, the original byte for byte. */
class DeadLetterTest {
    @TempDir
    Path state;

    @Test
    void deadLetterCarriesReasonPointersAndSourceInHeadersAndBodyAndTheOriginalRecord() {
        CanonicalEvent bad = EventFixtures.login().toBuilder().id("not-a-uuid").build();
        try (EnricherHarness h = new EnricherHarness(EnricherSettings.defaults(), state)) {
            h.send(EventFixtures.invoiceCreated());
            RecordHeaders sentHeaders = new RecordHeaders();
            byte[] sentValue = new io.quintet.model.cloudevents.CloudEventSerde()
                    .serializer()
                    .serialize("events.raw", sentHeaders, bad);
            h.sendRaw(bad.actor().id(), sentValue, sentHeaders, EventFixtures.T0);

            TestRecord<byte[], byte[]> rec = h.dlqRecords().get(0);
            assertThat(new String(rec.key(), StandardCharsets.UTF_8)).isEqualTo(EventFixtures.ALICE);
            assertThat(DeadLetters.header(rec.headers(), DeadLetters.REASON)).isEqualTo("schema_violation");
            assertThat(DeadLetters.header(rec.headers(), DeadLetters.CAUSE)).isEqualTo("json_schema");
            assertThat(DeadLetters.header(rec.headers(), DeadLetters.POINTERS)).isEqualTo("/id");
            assertThat(DeadLetters.header(rec.headers(), DeadLetters.SOURCE_TOPIC))
                    .isEqualTo("events.raw");
            assertThat(DeadLetters.header(rec.headers(), DeadLetters.SOURCE_PARTITION))
                    .isEqualTo("0");
            assertThat(DeadLetters.header(rec.headers(), DeadLetters.SOURCE_OFFSET))
                    .isEqualTo("1");
            assertThat(DeadLetters.header(rec.headers(), DeadLetters.TIME))
                    .isEqualTo(EnricherHarness.WALL_CLOCK.toString());
            assertThat(DeadLetters.header(rec.headers(), "ce_id")).isEqualTo("not-a-uuid");

            DeadLetter dl = DeadLetters.parse(rec.key(), rec.headers(), rec.value());
            assertThat(dl.reason()).isEqualTo(DlqReason.SCHEMA_VIOLATION);
            assertThat(dl.violations()).singleElement().satisfies(v -> {
                assertThat(v.pointer()).isEqualTo("/id");
                assertThat(v.keyword()).isEqualTo("format");
            });
            assertThat(dl.source().offset()).isEqualTo(1);
            assertThat(dl.event().id()).isEqualTo("not-a-uuid");
            assertThat(dl.event().type()).isEqualTo("auth.user.login_succeeded");
            assertThat(dl.originalValue()).isEqualTo(sentValue);
            assertThat(dl.originalHeaders())
                    .extracting(hd -> hd.key())
                    .containsExactlyElementsOf(Arrays.stream(sentHeaders.toArray())
                            .map(hd -> hd.key())
                            .toList());
        }
    }

    @Test
    void originalRebuiltFromADeadLetterIsTheRecordThatWasSent() {
        try (EnricherHarness h = new EnricherHarness(EnricherSettings.defaults(), state)) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
            byte[] value = "{\"half".getBytes(StandardCharsets.UTF_8);
            h.sendRaw("k1", value, headers, EventFixtures.T0);

            DeadLetter dl = h.deadLetters().get(0);
            var original = DeadLetters.original(dl, "events.raw");
            assertThat(original.key()).isEqualTo("k1".getBytes(StandardCharsets.UTF_8));
            assertThat(original.value()).isEqualTo(value);
            assertThat(original.headers().lastHeader("ce_specversion").value())
                    .isEqualTo("1.0".getBytes(StandardCharsets.UTF_8));
            assertThat(original.headers().lastHeader(DeadLetters.REASON)).isNull();
        }
    }

    @Test
    void exceptionWhileEnrichingIsDeadLetteredAsEnrichmentFailureAndTheAppCarriesOn() {
        CanonicalEvent poison = EventFixtures.failedWorkflowRun();
        PrivacyStep failing =
                (builder, in) -> in.processValues(() -> new FailOn(poison.id()), Named.as(PrivacyStep.PROCESSOR));
        try (EnricherHarness h =
                new EnricherHarness(EnricherSettings.defaults(), state, EnricherTelemetry.noop(), failing)) {
            h.send(EventFixtures.login());
            h.send(poison);
            h.send(EventFixtures.invoiceCreated());

            assertThat(h.canonicalEvents())
                    .extracting(CanonicalEvent::id)
                    .containsExactly(
                            EventFixtures.login().id(),
                            EventFixtures.invoiceCreated().id());
            List<DeadLetter> dlq = h.deadLetters();
            assertThat(dlq).singleElement().satisfies(dl -> {
                assertThat(dl.reason()).isEqualTo(DlqReason.ENRICHMENT_FAILURE);
                assertThat(dl.cause()).isEqualTo("IllegalStateException");
                assertThat(dl.message()).contains(PrivacyStep.PROCESSOR).doesNotContain("secret");
                assertThat(dl.source().offset()).isEqualTo(1);
                assertThat(new io.quintet.model.cloudevents.CloudEventSerde()
                                .deserializer()
                                .deserialize(
                                        "events.raw",
                                        DeadLetters.original(dl, "events.raw").headers(),
                                        dl.originalValue())
                                .id())
                        .isEqualTo(poison.id());
            });
        }
    }

    /** A processor that fails on one event, as a bug or an outage in an enrichment step would. */
    static final class FailOn implements FixedKeyProcessor<String, CanonicalEvent, CanonicalEvent> {
        private final String id;
        private FixedKeyProcessorContext<String, CanonicalEvent> context;

        FailOn(String id) {
            this.id = id;
        }

        @Override
        public void init(FixedKeyProcessorContext<String, CanonicalEvent> ctx) {
            context = ctx;
        }

        @Override
        public void process(FixedKeyRecord<String, CanonicalEvent> record) {
            if (record.value().id().equals(id)) {
                throw new IllegalStateException("secret content must not reach the DLQ message");
            }
            context.forward(record);
        }
    }
}
