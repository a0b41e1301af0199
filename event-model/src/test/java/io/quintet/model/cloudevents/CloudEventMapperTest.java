package io.quintet.model.cloudevents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.EventDecodingException;
import io.quintet.model.EventDecodingException.Reason;
import io.quintet.model.fixtures.EventFixtures;
import io.quintet.model.json.CanonicalJson;
import io.quintet.model.schema.CanonicalSchema;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CloudEventMapperTest {

    @Test
    void envelopeFollowsTheArchitectureTable() {
        CanonicalEvent e = EventFixtures.invoiceCreated();
        CloudEvent ce = CloudEventMapper.toCloudEvent(e, "billing-service");

        assertThat(ce.getId()).isEqualTo(e.id());
        assertThat(ce.getSource()).isEqualTo(URI.create("billing-service"));
        assertThat(ce.getType()).isEqualTo("billing.invoice.created");
        assertThat(ce.getTime()).isEqualTo(OffsetDateTime.ofInstant(e.eventTimestamp(), ZoneOffset.UTC));
        assertThat(ce.getSubject()).isEqualTo("invoice/INV-2026-0042");
        assertThat(ce.getDataContentType()).isEqualTo("application/json");
        assertThat(ce.getDataSchema()).isEqualTo(CanonicalSchema.ID);
        assertThat(ce.getExtension("partitionkey")).isEqualTo("billing-service");
        assertThat(ce.getExtension("traceparent")).isNull();
        assertThat(new String(ce.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo(CanonicalJson.toJson(e));
    }

    @Test
    void traceContextTravelsAsW3cTraceparent() {
        CloudEvent ce = CloudEventMapper.toCloudEvent(EventFixtures.login());
        assertThat(ce.getExtension("traceparent")).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    }

    @Test
    void mapsBackToTheSameEvent() {
        for (CanonicalEvent e : java.util.List.of(
                EventFixtures.login(), EventFixtures.invoiceCreated(), EventFixtures.failedWorkflowRun())) {
            CanonicalEvent back = CloudEventMapper.fromCloudEvent(CloudEventMapper.toCloudEvent(e));
            assertThat(CanonicalJson.toJson(back)).isEqualTo(CanonicalJson.toJson(e));
        }
    }

    @Test
    void fieldsMissingFromTheDataAreTakenFromTheEnvelope() {
        String data = """
                {"observed_timestamp":"2026-11-02T09:15:31Z","action":{"type":"access"},"actor":{"id":"u1","type":"user"}}""";
        CloudEvent ce = CloudEventBuilder.v1()
                .withId("6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f")
                .withSource(URI.create("mobile-app"))
                .withType("auth.user.login_succeeded")
                .withTime(OffsetDateTime.parse("2026-11-02T09:15:30Z"))
                .withExtension("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .withData("application/json", data.getBytes(StandardCharsets.UTF_8))
                .build();

        CanonicalEvent e = CloudEventMapper.fromCloudEvent(ce);

        assertThat(e.id()).isEqualTo("6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f");
        assertThat(e.source()).isEqualTo("mobile-app");
        assertThat(e.action().name()).isEqualTo("auth.user.login_succeeded");
        assertThat(e.eventTimestamp()).hasToString("2026-11-02T09:15:30Z");
        assertThat(e.contextOrEmpty().telemetry().traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(CanonicalSchema.load().validate(CanonicalJson.toJson(e))).isEmpty();
    }

    @Test
    void anEnvelopeThatContradictsTheDataIsATypedMismatch() {
        CanonicalEvent e = EventFixtures.login();
        CloudEvent ce = CloudEventBuilder.v1(CloudEventMapper.toCloudEvent(e))
                .withType("auth.user.logout")
                .build();
        assertThatThrownBy(() -> CloudEventMapper.fromCloudEvent(ce))
                .isInstanceOfSatisfying(EventDecodingException.class, x -> {
                    assertThat(x.reason()).isEqualTo(Reason.ENVELOPE_MISMATCH);
                    assertThat(x.getMessage()).contains("'type'");
                });
    }

    @Test
    void organizationIdTravelsAsTheOrganizationidExtensionAndIsFilledFromIt() {
        CanonicalEvent e = EventFixtures.login().withOrganizationId("org-4711");
        CloudEvent ce = CloudEventMapper.toCloudEvent(e);
        assertThat(ce.getExtension("organizationid")).isEqualTo("org-4711");
        assertThat(CloudEventMapper.toCloudEvent(EventFixtures.login()).getExtension("organizationid"))
                .isNull();

        CloudEvent envelopeOnly = CloudEventBuilder.v1(CloudEventMapper.toCloudEvent(EventFixtures.login()))
                .withExtension("organizationid", "org-4711")
                .build();
        assertThat(CloudEventMapper.fromCloudEvent(envelopeOnly).organizationId())
                .isEqualTo("org-4711");

        CloudEvent contradicting = CloudEventBuilder.v1(ce)
                .withExtension("organizationid", "org-1")
                .build();
        assertThatThrownBy(() -> CloudEventMapper.fromCloudEvent(contradicting))
                .isInstanceOfSatisfying(EventDecodingException.class, x -> {
                    assertThat(x.reason()).isEqualTo(Reason.ENVELOPE_MISMATCH);
                    assertThat(x.getMessage()).contains("'organizationid'").contains("organization_id");
                });
    }

    @Test
    void nonJsonOrMissingDataIsATypedError() {
        CloudEvent noData = CloudEventBuilder.v1()
                .withId("1")
                .withSource(URI.create("x"))
                .withType("a.b.c")
                .build();
        assertThatThrownBy(() -> CloudEventMapper.fromCloudEvent(noData))
                .isInstanceOfSatisfying(
                        EventDecodingException.class,
                        x -> assertThat(x.reason()).isEqualTo(Reason.NOT_CANONICAL));
        CloudEvent xml = CloudEventBuilder.v1()
                .withId("1")
                .withSource(URI.create("x"))
                .withType("a.b.c")
                .withData("application/xml", "<a/>".getBytes(StandardCharsets.UTF_8))
                .build();
        assertThatThrownBy(() -> CloudEventMapper.fromCloudEvent(xml))
                .isInstanceOfSatisfying(
                        EventDecodingException.class,
                        x -> assertThat(x.getMessage()).contains("application/xml"));
        CloudEvent garbage = CloudEventBuilder.v1()
                .withId("1")
                .withSource(URI.create("x"))
                .withType("a.b.c")
                .withData("application/json", "{not json".getBytes(StandardCharsets.UTF_8))
                .build();
        assertThatThrownBy(() -> CloudEventMapper.fromCloudEvent(garbage))
                .isInstanceOfSatisfying(
                        EventDecodingException.class,
                        x -> assertThat(x.reason()).isEqualTo(Reason.UNPARSEABLE));
    }
}
