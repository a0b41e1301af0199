package io.quintet.model.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.fixtures.EventFixtures;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OtelLogMappingTest {

    @Test
    void canonicalEventBecomesAnOtelLogRecord() {
        CanonicalEvent e = EventFixtures.failedWorkflowRun();
        InMemoryLogRecordExporter exporter = InMemoryLogRecordExporter.create();
        OtelLogMapping.LogRecordView view = OtelLogMapping.view(e);
        try (SdkLoggerProvider provider = SdkLoggerProvider.builder()
                .setResource(Resource.create(view.resource()))
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter))
                .build()) {
            OtelLogMapping.emit(provider.get("quintet"), e);
            provider.forceFlush().join(5, TimeUnit.SECONDS);
            assertThat(exporter.getFinishedLogRecordItems()).hasSize(1);
            assertRecord(e, exporter.getFinishedLogRecordItems().get(0));
        }
    }

    private static void assertRecord(CanonicalEvent e, LogRecordData rec) {
        assertThat(rec.getEventName()).isEqualTo("workflow.execution.failed");
        assertThat(rec.getTimestampEpochNanos())
                .isEqualTo(e.eventTimestamp().getEpochSecond() * 1_000_000_000L
                        + e.eventTimestamp().getNano());
        assertThat(rec.getSpanContext().getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(rec.getSpanContext().getSpanId()).isEqualTo("b7ad6b7169203331");
        assertThat(rec.getSeverity()).isEqualTo(Severity.ERROR);
        assertThat(rec.getAttributes().get(AttributeKey.stringKey("workflow.step")))
                .isEqualTo("upload");
        assertThat(rec.getAttributes().get(AttributeKey.longKey("retry"))).isEqualTo(3L);
        assertThat(rec.getAttributes().get(AttributeKey.stringKey("quintet.error.code")))
                .isEqualTo("timeout");
        assertThat(rec.getResource().getAttribute(OtelLogMapping.SERVICE_NAME)).isEqualTo("workflow-engine");
    }

    @Test
    void successIsInfoAndActorIdsAreNotCopiedIntoAttributes() {
        OtelLogMapping.LogRecordView v = OtelLogMapping.view(EventFixtures.login());
        assertThat(v.severity()).isEqualTo(Severity.INFO);
        assertThat(v.attributes().asMap().values()).doesNotContain(EventFixtures.ALICE);
        assertThat(v.eventName()).isEqualTo("auth.user.login_succeeded");
    }
}
