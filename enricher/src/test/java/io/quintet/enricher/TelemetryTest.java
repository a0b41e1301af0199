package io.quintet.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quintet.enricher.privacy.PrivacyStep;
import io.quintet.enricher.telemetry.EnricherTelemetry;
import io.quintet.model.fixtures.EventFixtures;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** One span per raw record, linked to its incoming traceparent; counters per outcome. */
class TelemetryTest {
    @RegisterExtension
    static final OpenTelemetryExtension OTEL = OpenTelemetryExtension.create();

    @TempDir
    Path state;

    static long counter(OpenTelemetryExtension otel, String name, String outcome) {
        return otel.getMetrics().stream()
                .filter(m -> m.getName().equals(name))
                .map(MetricData::getLongSumData)
                .flatMap(d -> d.getPoints().stream())
                .filter(p -> outcome.equals(p.getAttributes().get(EnricherTelemetry.OUTCOME)))
                .mapToLong(LongPointData::getValue)
                .sum();
    }

    @Test
    void eachRecordGetsOneSpanLinkedToItsIncomingTraceparentAndTaggedWithItsOutcome() {
        try (EnricherHarness h = new EnricherHarness(
                EnricherSettings.defaults(),
                state,
                new EnricherTelemetry(OTEL.getOpenTelemetry()),
                PrivacyStep.disabled())) {
            h.send(EventFixtures.login());
            h.sendRaw("k", EnricherHarness.bytes("garbage"), new RecordHeaders(), EventFixtures.T0);
        }
        List<SpanData> spans = OTEL.getSpans();
        assertThat(spans).hasSize(2);
        SpanData ok = spans.get(0);
        assertThat(ok.getName()).isEqualTo("enrich events.raw");
        assertThat(ok.getAttributes().get(EnricherTelemetry.OUTCOME)).isEqualTo("canonical");
        assertThat(ok.getLinks()).extracting(LinkData::getSpanContext).anySatisfy(sc -> {
            assertThat(sc.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(sc.getSpanId()).isEqualTo("00f067aa0ba902b7");
        });
        assertThat(ok.getAttributes().get(AttributeKey.longKey("messaging.kafka.offset")))
                .isEqualTo(0L);
        SpanData bad = spans.get(1);
        assertThat(bad.getAttributes().get(EnricherTelemetry.OUTCOME)).isEqualTo("dead_lettered");
        assertThat(bad.getAttributes().get(EnricherTelemetry.REASON)).isEqualTo("unparseable");
    }

    @Test
    void outcomesAreCountedWithTheDeadLetterReason() {
        try (EnricherHarness h = new EnricherHarness(
                EnricherSettings.defaults(),
                state,
                new EnricherTelemetry(OTEL.getOpenTelemetry()),
                PrivacyStep.disabled())) {
            h.send(EventFixtures.login());
            h.send(EventFixtures.invoiceCreated());
            h.sendRaw("k", EnricherHarness.bytes("garbage"), new RecordHeaders(), EventFixtures.T0);
        }
        assertThat(counter(OTEL, EnricherTelemetry.RECORDS, "canonical")).isEqualTo(2);
        assertThat(counter(OTEL, EnricherTelemetry.RECORDS, "dead_lettered")).isEqualTo(1);
        assertThat(OTEL.getMetrics())
                .filteredOn(m -> m.getName().equals(EnricherTelemetry.RECORDS))
                .flatExtracting(m -> m.getLongSumData().getPoints())
                .anySatisfy(p -> assertThat(p.getAttributes().get(EnricherTelemetry.REASON))
                        .isEqualTo("unparseable"));
        assertThat(OTEL.getMetrics())
                .filteredOn(m -> m.getName().equals(EnricherTelemetry.FLAGGED))
                .flatExtracting(m -> m.getLongSumData().getPoints())
                .extracting(p -> ((LongPointData) p).getValue())
                .containsExactly(1L); // invoiceCreated is not in the plan
    }
}
