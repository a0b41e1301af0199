package io.quintet.enricher;

import static io.quintet.enricher.EnricherHarness.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.enricher.dlq.DeadLetter;
import io.quintet.enricher.dlq.DeadLetters;
import io.quintet.enricher.dlq.DlqReason;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.fixtures.EventFixtures;
import io.quintet.model.json.CanonicalJson;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Step 1, read: binary and structured CloudEvents in; everything that is not a canonical CloudEvent dead-lettered. */
class ReadStepTest {
    @TempDir
    Path state;

    EnricherHarness h;

    @BeforeEach
    void start() {
        h = new EnricherHarness(EnricherSettings.defaults(), state);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void binaryModeEventIsWrittenToCanonicalAsBinaryModeCloudEvent() {
        CanonicalEvent login = EventFixtures.login();
        h.send(login);

        List<TestRecord<String, byte[]>> out = h.canonicalRecords();
        assertThat(out).hasSize(1);
        assertThat(DeadLetters.header(out.get(0).headers(), "ce_type")).isEqualTo("auth.user.login_succeeded");
        assertThat(DeadLetters.header(out.get(0).headers(), "ce_id")).isEqualTo(login.id());
        assertThat(DeadLetters.header(out.get(0).headers(), "ce_traceparent"))
                .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(h.deadLetters()).isEmpty();
    }

    @Test
    void structuredModeEventIsAccepted() {
        h.sendStructured(EventFixtures.failedLogin("3f6c2a1e-8d4b-4c7a-9e21-5b0d7f3a9c11", EventFixtures.T0));

        List<CanonicalEvent> out = h.canonicalEvents();
        assertThat(out).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo("3f6c2a1e-8d4b-4c7a-9e21-5b0d7f3a9c11");
            assertThat(e.action().name()).isEqualTo("auth.user.login_failed");
        });
    }

    @Test
    void lineageAndTraceContextAreCarried() {
        h.send(EventFixtures.invoiceCreated());

        CanonicalEvent out = h.canonicalEvents().get(0);
        assertThat(out.correlationId()).isEqualTo("order-77812");
        assertThat(out.causationId()).isEqualTo("cmd-checkout-881");
    }

    @Test
    void recordThatIsNotACloudEventIsDeadLetteredAsUnparseable() {
        h.sendRaw("k", bytes("{\"hello\":\"world\"}"), new RecordHeaders(), EventFixtures.T0);

        DeadLetter dl = h.deadLetters().get(0);
        assertThat(dl.reason()).isEqualTo(DlqReason.UNPARSEABLE);
        assertThat(dl.cause()).isEqualTo("not_a_cloudevent");
        assertThat(h.canonicalRecords()).isEmpty();
    }

    @Test
    void binaryModeDataThatIsNotJsonIsDeadLetteredAsUnparseable() {
        h.sendJson(
                "k",
                "{not json",
                "3f6c2a1e-8d4b-4c7a-9e21-5b0d7f3a9c11",
                "svc",
                "auth.user.login_failed",
                EventFixtures.T0);

        DeadLetter dl = h.deadLetters().get(0);
        assertThat(dl.reason()).isEqualTo(DlqReason.UNPARSEABLE);
        assertThat(dl.cause()).isEqualTo("not_json");
    }

    @Test
    void brokenStructuredModeEnvelopeIsDeadLetteredAsUnparseable() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", bytes("application/cloudevents+json"));
        h.sendRaw("k", bytes("{\"specversion\":"), headers, EventFixtures.T0);

        assertThat(h.deadLetters()).singleElement().satisfies(dl -> {
            assertThat(dl.reason()).isEqualTo(DlqReason.UNPARSEABLE);
            assertThat(dl.cause()).isEqualTo("unparseable");
        });
    }

    @Test
    void dataOfTheWrongShapeIsASchemaViolationWithPointers() {
        String json = EventFixtures.loginJson()
                .replace(
                        "\"actor\":{\"id\":\"user-alice-1001\",\"type\":\"user\","
                                + "\"details\":{\"email\":\"alice@example.com\",\"name\":\"Alice Liddell\"}}",
                        "\"actor\":\"alice\"");
        assertThat(json).contains("\"actor\":\"alice\"");
        h.sendJson(
                "k",
                json,
                "7d0b1c8e-3f2a-4c55-9a71-0c7e2b9d4f10",
                "https://auth.example.com/login",
                "auth.user.login_succeeded",
                EventFixtures.T0);

        DeadLetter dl = h.deadLetters().get(0);
        assertThat(dl.reason()).isEqualTo(DlqReason.SCHEMA_VIOLATION);
        assertThat(dl.cause()).isEqualTo("not_canonical");
        assertThat(dl.pointers()).contains("/actor");
    }

    @Test
    void envelopeContradictingTheDataIsASchemaViolationAtTheField() {
        h.sendJson(
                "k",
                EventFixtures.loginJson(),
                "11111111-2222-4333-8444-555555555555",
                "https://auth.example.com/login",
                "auth.user.login_succeeded",
                EventFixtures.T0);

        DeadLetter dl = h.deadLetters().get(0);
        assertThat(dl.reason()).isEqualTo(DlqReason.SCHEMA_VIOLATION);
        assertThat(dl.cause()).isEqualTo("envelope_mismatch");
        assertThat(dl.pointers()).containsExactly("/id");
    }

    @Test
    void missingObservedTimestampIsStampedWithTheRecordTimeAndSpecVersionWithTheCurrentOne() {
        CanonicalEvent e =
                EventFixtures.failedLogin("3f6c2a1e-8d4b-4c7a-9e21-5b0d7f3a9c11", EventFixtures.T0).toBuilder()
                        .observedTimestamp(null)
                        .specVersion(null)
                        .build();
        Instant arrived = EventFixtures.T0.plusSeconds(3);
        h.send(e, arrived);

        CanonicalEvent out = h.canonicalEvents().get(0);
        assertThat(out.observedTimestamp()).isEqualTo(arrived);
        assertThat(out.specVersion()).isEqualTo(CanonicalEvent.SPEC_VERSION);
    }

    @Test
    void presentObservedTimestampIsKept() {
        CanonicalEvent e = EventFixtures.login();
        h.send(e, EventFixtures.T0.plusSeconds(30));

        assertThat(h.canonicalEvents().get(0).observedTimestamp()).isEqualTo(e.observedTimestamp());
    }

    @Test
    void specVersionOneEventIsUpcastToTheCurrentModel() {
        String v1 = """
                {"id":"5b1f0c7e-2a3d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2026-11-02T09:00:00Z",
                 "source":"legacy-billing","spec_version":"1.0","action":"billing.invoice.created","action_type":"create",
                 "user_id":"user-carol-3003","properties":{"amount":12.5,"currency":"EUR"}}""";
        h.sendJson(
                "user-carol-3003",
                v1,
                "5b1f0c7e-2a3d-4e5f-8a9b-0c1d2e3f4a5b",
                "legacy-billing",
                "billing.invoice.created",
                Instant.parse("2026-11-02T09:00:01Z"));

        assertThat(h.deadLetters()).isEmpty();
        CanonicalEvent out = h.canonicalEvents().get(0);
        assertThat(out.specVersion()).isEqualTo("2.0");
        assertThat(out.eventTimestamp()).isEqualTo(Instant.parse("2026-11-02T09:00:00Z"));
        assertThat(out.action().name()).isEqualTo("billing.invoice.created");
        assertThat(out.action().type()).isEqualTo("create");
        assertThat(out.actor().id()).isEqualTo("user-carol-3003");
        assertThat(out.actor().type()).isEqualTo("user");
        assertThat(out.contextOrEmpty().analyticsProperties()).containsEntry("currency", "EUR");
        assertThat(out.extensions()).doesNotContainKeys("timestamp", "user_id", "properties", "action_type");
    }

    @Test
    void organizationIdIsCarriedToCanonicalAndStampedAsTheOrganizationidExtension() {
        h.send(EventFixtures.login().withOrganizationId("org-4711"));

        TestRecord<String, byte[]> out = h.canonicalRecords().get(0);
        assertThat(DeadLetters.header(out.headers(), "ce_organizationid")).isEqualTo("org-4711");
        assertThat(CanonicalJson.fromBytes(out.value()).organizationId()).isEqualTo("org-4711");
        h.send(EventFixtures.invoiceCreated());
        assertThat(h.canonicalRecords()).singleElement().satisfies(r -> {
            assertThat(r.headers().lastHeader("ce_organizationid"))
                    .as("no tenant, no extension")
                    .isNull();
            assertThat(CanonicalJson.fromBytes(r.value()).organizationId()).isNull();
        });
    }

    @Test
    void organizationIdOnlyInTheEnvelopeIsTakenFromTheOrganizationidExtension() {
        CanonicalEvent login = EventFixtures.login();
        RecordHeaders headers = envelope(login);
        headers.add("ce_organizationid", bytes("org-4711"));
        h.sendRaw(login.actor().id(), bytes(CanonicalJson.toJson(login)), headers, EventFixtures.T0);

        assertThat(h.deadLetters()).isEmpty();
        assertThat(h.canonicalEvents())
                .singleElement()
                .satisfies(e -> assertThat(e.organizationId()).isEqualTo("org-4711"));
    }

    @Test
    void organizationidExtensionContradictingTheDataIsASchemaViolationAtOrganizationId() {
        CanonicalEvent login = EventFixtures.login().withOrganizationId("org-4711");
        RecordHeaders headers = envelope(login);
        headers.add("ce_organizationid", bytes("org-1"));
        h.sendRaw(login.actor().id(), bytes(CanonicalJson.toJson(login)), headers, EventFixtures.T0);

        DeadLetter dl = h.deadLetters().get(0);
        assertThat(dl.reason()).isEqualTo(DlqReason.SCHEMA_VIOLATION);
        assertThat(dl.cause()).isEqualTo("envelope_mismatch");
        assertThat(dl.pointers()).containsExactly("/organization_id");
        assertThat(h.canonicalRecords()).isEmpty();
    }

    @Test
    void malformedOrganizationIdIsASchemaViolationAtOrganizationId() {
        h.send(EventFixtures.login().withOrganizationId("acme corp"));

        DeadLetter dl = h.deadLetters().get(0);
        assertThat(dl.reason()).isEqualTo(DlqReason.SCHEMA_VIOLATION);
        assertThat(dl.pointers()).containsExactly("/organization_id");
    }

    @Test
    void specVersionOneEventKeepsItsOrganizationIdAndOneWithoutStaysValid() {
        String v1 = """
                {"id":"5b1f0c7e-2a3d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2026-11-02T09:00:00Z","organization_id":"org-4711",
                 "source":"legacy-billing","spec_version":"1.0","action":"billing.invoice.created","user_id":"user-carol-3003"}""";
        h.sendJson(
                "user-carol-3003",
                v1,
                "5b1f0c7e-2a3d-4e5f-8a9b-0c1d2e3f4a5b",
                "legacy-billing",
                "billing.invoice.created",
                Instant.parse("2026-11-02T09:00:01Z"));
        h.sendJson(
                "user-carol-3003",
                v1.replace("\"organization_id\":\"org-4711\",", "").replace("5b1f0c7e", "6b1f0c7e"),
                "6b1f0c7e-2a3d-4e5f-8a9b-0c1d2e3f4a5b",
                "legacy-billing",
                "billing.invoice.created",
                Instant.parse("2026-11-02T09:00:02Z"));

        assertThat(h.deadLetters()).isEmpty();
        List<CanonicalEvent> out = h.canonicalEvents();
        assertThat(out).extracting(CanonicalEvent::organizationId).containsExactly("org-4711", null);
        assertThat(out).allSatisfy(e -> assertThat(e.extensions()).doesNotContainKey("organization_id"));
    }

    private static RecordHeaders envelope(CanonicalEvent e) {
        RecordHeaders h = new RecordHeaders();
        h.add("ce_specversion", bytes("1.0"));
        h.add("ce_id", bytes(e.id()));
        h.add("ce_source", bytes(e.source()));
        h.add("ce_type", bytes(e.action().name()));
        h.add("content-type", bytes("application/json"));
        return h;
    }

    @Test
    void unknownSpecVersionIsASchemaViolationAtSpecVersion() {
        String json = CanonicalJson.toJson(
                EventFixtures.login().toBuilder().specVersion("9.0").build());
        h.sendJson(
                "k",
                json,
                "7d0b1c8e-3f2a-4c55-9a71-0c7e2b9d4f10",
                "https://auth.example.com/login",
                "auth.user.login_succeeded",
                EventFixtures.T0);

        DeadLetter dl = h.deadLetters().get(0);
        assertThat(dl.reason()).isEqualTo(DlqReason.SCHEMA_VIOLATION);
        assertThat(dl.pointers()).containsExactly("/spec_version");
    }

    @Test
    void tombstoneOnRawIsDeadLetteredAndTheNextEventStillFlows() {
        h.sendRaw("k", null, new RecordHeaders(), EventFixtures.T0);
        h.send(EventFixtures.login());

        assertThat(h.deadLetters())
                .singleElement()
                .satisfies(dl -> assertThat(dl.cause()).isEqualTo("no_data"));
        assertThat(h.canonicalEvents()).hasSize(1);
    }
}
