package io.quintet.enricher;

import static io.quintet.model.fixtures.EventFixtures.ALICE;
import static io.quintet.model.fixtures.EventFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.enricher.privacy.PrivacySettings;
import io.quintet.enricher.privacy.PrivacyStep;
import io.quintet.enricher.privacy.Pseudonymization;
import io.quintet.enricher.privacy.VaultTelemetry;
import io.quintet.enricher.telemetry.EnricherTelemetry;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.fixtures.EventFixtures;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.support.metrics.PrometheusMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator sees of the enricher, through the real topology (TopologyTestDriver) and the Prometheus text the
 * service serves: dead letters by reason and by source, vault operations, erasures, and the W3C trace context carried
 * from events.raw's headers to events.canonical's.
 */
class EnricherObservabilityTest {
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String SPAN = "00f067aa0ba902b7";

    @TempDir
    Path state;

    final PrometheusMetrics prometheus = new PrometheusMetrics();

    @AfterEach
    void close() {
        prometheus.close();
    }

    EnricherHarness harness(PrivacyStep privacy) {
        return new EnricherHarness(
                EnricherSettings.defaults(), state, new EnricherTelemetry(prometheus.openTelemetry()), privacy);
    }

    @Test
    void deadLettersAreCountedByReasonAndByTheEventsSource() {
        try (EnricherHarness h = harness(PrivacyStep.disabled())) {
            h.sendJson("k1", "{\"id\":\"not-enough\"}", "ce-1", "billing-service", "billing.invoice.created", T0);
            h.sendJson("k2", "{\"id\":\"not-enough-2\"}", "ce-2", "billing-service", "billing.invoice.created", T0);
            h.sendRaw("k3", EnricherHarness.bytes("garbage"), new RecordHeaders(), T0);
            assertThat(h.deadLetters()).hasSize(3);
        }
        String text = prometheus.scrape();
        assertThat(text.lines().filter(l -> l.startsWith("quintet_enricher_dead_letters_total{")))
                .anySatisfy(l -> assertThat(l)
                        .contains("quintet_source=\"billing-service\"")
                        .endsWith(" 2.0"))
                .anySatisfy(l -> assertThat(l)
                        .contains("quintet_source=\"unknown\"")
                        .contains("quintet_dlq_reason=\"unparseable\"")
                        .endsWith(" 1.0"));
    }

    @Test
    void sourcesBeyondTheBoundAreCountedAsOther() {
        EnricherTelemetry telemetry = new EnricherTelemetry(prometheus.openTelemetry());
        for (int i = 0; i < EnricherTelemetry.MAX_SOURCES + 5; i++) {
            telemetry.deadLettered(io.quintet.enricher.dlq.DlqReason.SCHEMA_VIOLATION, "producer-" + i);
        }
        String text = prometheus.scrape();
        assertThat(text.lines().filter(l -> l.startsWith("quintet_enricher_dead_letters_total{")))
                .hasSize(EnricherTelemetry.MAX_SOURCES + 1)
                .anySatisfy(
                        l -> assertThat(l).contains("quintet_source=\"other\"").endsWith(" 5.0"));
    }

    @Test
    void vaultOperationsAndErasuresAreCounted() {
        EnricherSettings s = EnricherSettings.defaults();
        VaultTelemetry vault = new VaultTelemetry(prometheus.openTelemetry());
        try (EnricherHarness h =
                harness(new Pseudonymization(PrivacySettings.defaults(TestKeys.k1()), s.topics(), vault))) {
            h.send(EventFixtures.login());
            assertThat(h.canonicalRecords()).hasSize(1);
            var erasures = h.driver.createInputTopic(
                    TopicCatalogue.ERASURE_REQUESTS, new StringSerializer(), new ByteArraySerializer());
            erasures.pipeInput(new TestRecord<>(
                    ALICE,
                    EnricherHarness.bytes("{\"request_id\":\"req-1\"}"),
                    new RecordHeaders(),
                    T0.plusSeconds(10)));
            erasures.pipeInput(new TestRecord<>(
                    "user-nobody",
                    EnricherHarness.bytes("{\"request_id\":\"req-2\"}"),
                    new RecordHeaders(),
                    T0.plusSeconds(11)));
        }
        String text = prometheus.scrape();
        assertThat(text.lines().filter(l -> l.startsWith("quintet_enricher_vault_operations_total{")))
                .anySatisfy(l -> assertThat(l)
                        .contains("quintet_vault_operation=\"encrypt\"")
                        .doesNotEndWith(" 0.0"))
                .anySatisfy(l -> assertThat(l)
                        .contains("quintet_vault_operation=\"wrap_key\"")
                        .doesNotEndWith(" 0.0"));
        assertThat(text.lines().filter(l -> l.startsWith("quintet_enricher_erasures_total{")))
                .anySatisfy(l -> assertThat(l)
                        .contains("quintet_erasure_subject_known=\"true\"")
                        .endsWith(" 1.0"))
                .anySatisfy(l -> assertThat(l)
                        .contains("quintet_erasure_subject_known=\"false\"")
                        .endsWith(" 1.0"));
    }

    @Test
    void aDeadLetteredRecordKeepsItsTraceparentHeader() {
        try (EnricherHarness h = harness(PrivacyStep.disabled())) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("ce_specversion", EnricherHarness.bytes("1.0"));
            headers.add("ce_id", EnricherHarness.bytes("ce-traced"));
            headers.add("ce_source", EnricherHarness.bytes("billing-service"));
            headers.add("ce_type", EnricherHarness.bytes("billing.invoice.created"));
            headers.add("content-type", EnricherHarness.bytes("application/json"));
            headers.add("ce_traceparent", EnricherHarness.bytes("00-" + TRACE + "-" + SPAN + "-01"));
            h.sendRaw("k", EnricherHarness.bytes("{\"id\":\"not-enough\"}"), headers, T0);
            var out = h.dlqRecords();
            assertThat(out).hasSize(1);
            Header tp = out.get(0).headers().lastHeader("ce_traceparent");
            assertThat(tp).isNotNull();
            assertThat(new String(tp.value(), StandardCharsets.UTF_8)).isEqualTo("00-" + TRACE + "-" + SPAN + "-01");
        }
    }

    @Test
    void theTraceparentHeaderOfARawRecordIsCarriedToItsCanonicalRecord() {
        CanonicalEvent login = EventFixtures.login();
        try (EnricherHarness h = harness(PrivacyStep.disabled())) {
            CanonicalEvent traced =
                    login.withContext(login.contextOrEmpty().withTelemetry(new Context.Telemetry(TRACE, SPAN, null)));
            RecordHeaders headers = new RecordHeaders();
            byte[] value = new io.quintet.model.cloudevents.CloudEventSerde()
                    .serializer()
                    .serialize("events.raw", headers, traced);
            assertThat(headers.lastHeader("ce_traceparent")).isNotNull();
            h.sendRaw(login.actor().id(), value, headers, T0);
            var out = h.canonicalRecords();
            assertThat(out).hasSize(1);
            Header tp = out.get(0).headers().lastHeader("ce_traceparent");
            assertThat(tp).isNotNull();
            assertThat(new String(tp.value(), StandardCharsets.UTF_8)).isEqualTo("00-" + TRACE + "-" + SPAN + "-01");
        }
    }
}
