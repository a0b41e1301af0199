package io.quintet.model.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.EventDecodingException;
import io.quintet.model.fixtures.EventFixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

    @Test
    void producerJsonRoundTripsFieldForField() throws Exception {
        String json = EventFixtures.loginJson();
        CanonicalEvent event = CanonicalJson.fromJson(json);

        JsonNode expected = CanonicalJson.newMapper().readTree(json);
        JsonNode actual = CanonicalJson.newMapper().readTree(CanonicalJson.toJson(event));
        assertThat(actual).isEqualTo(expected);
        assertThat(event.actor().details()).containsEntry("email", "alice@example.com");
        assertThat(event.contextOrEmpty().attributes()).containsEntry("attempt", 1);
    }

    @Test
    void unknownTopLevelFieldsNestedDetailsAndAttributesSurviveARoundTrip() throws Exception {
        String json = """
                {"id":"0f8a9b3c-1d2e-4f50-8a6b-7c8d9e0f1a2b","event_timestamp":"2026-11-02T09:16:30.123Z",
                 "observed_timestamp":"2026-11-02T09:16:31.123Z","source":"billing-service",
                 "action":{"name":"billing.invoice.created","type":"create"},
                 "actor":{"id":"billing-service","type":"service"},
                 "entity":{"id":"INV-1","type":"invoice","details":{"amount":1249.90,"lines":[{"sku":"A","qty":1}],"due":{"terms":"net30"}}},
                 "context":{"attributes":{"tenant":"acme","nested":{"deep":[1,2.5,"x",null,true]}}},
                 "x_vendor_field":{"from":"a newer producer"},"sequence_hint":42}""";
        CanonicalEvent event = CanonicalJson.fromJson(json);

        assertThat(event.extensions()).containsKeys("x_vendor_field", "sequence_hint");
        JsonNode expected = CanonicalJson.newMapper().readTree(json);
        JsonNode actual = CanonicalJson.newMapper().readTree(CanonicalJson.toBytes(event));
        assertThat(actual).isEqualTo(expected);
        assertThat(actual.at("/entity/details/amount").decimalValue()).isEqualByComparingTo("1249.90");
    }

    @Test
    void javaBuiltEventsRoundTripThroughJson() {
        for (CanonicalEvent e :
                List.of(EventFixtures.login(), EventFixtures.invoiceCreated(), EventFixtures.failedWorkflowRun())) {
            CanonicalEvent back = CanonicalJson.fromBytes(CanonicalJson.toBytes(e));
            assertThat(CanonicalJson.toJson(back)).isEqualTo(CanonicalJson.toJson(e));
            assertThat(back.eventTimestamp()).isEqualTo(e.eventTimestamp());
            assertThat(back.contextOrEmpty().status())
                    .isEqualTo(e.contextOrEmpty().status());
        }
    }

    @Test
    void organizationIdIsWrittenAsOrganizationIdAndReadBack() {
        CanonicalEvent e = EventFixtures.invoiceCreated().withOrganizationId("org-4711");
        String json = CanonicalJson.toJson(e);
        assertThat(json).contains("\"organization_id\":\"org-4711\"");
        CanonicalEvent back = CanonicalJson.fromJson(json);
        assertThat(back.organizationId()).isEqualTo("org-4711");
        assertThat(back.extensions()).doesNotContainKey("organization_id");
        assertThat(CanonicalJson.toJson(EventFixtures.invoiceCreated()))
                .as("absent: omitted")
                .doesNotContain("organization_id");
    }

    @Test
    void freeFormMapsAreImmutable() {
        CanonicalEvent e = EventFixtures.invoiceCreated();
        @SuppressWarnings("unchecked")
        Map<String, Object> due = (Map<String, Object>) e.entity().details().get("due");
        assertThatThrownBy(() -> due.put("terms", "net60")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> e.entity().details().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void malformedJsonIsATypedUnparseableError() {
        assertThatThrownBy(() -> CanonicalJson.fromJson("{\"id\": \"x\", "))
                .isInstanceOfSatisfying(
                        EventDecodingException.class,
                        e -> assertThat(e.reason()).isEqualTo(EventDecodingException.Reason.UNPARSEABLE));
    }

    @Test
    void wellFormedJsonOfTheWrongShapeIsATypedNotCanonicalErrorNamingTheField() {
        assertThatThrownBy(() -> CanonicalJson.fromJson("{\"id\":\"a\",\"actor\":\"not-an-object\"}"))
                .isInstanceOfSatisfying(EventDecodingException.class, e -> {
                    assertThat(e.reason()).isEqualTo(EventDecodingException.Reason.NOT_CANONICAL);
                    assertThat(e.getMessage()).contains("/actor");
                });
        assertThatThrownBy(() -> CanonicalJson.fromJson("[1,2]"))
                .isInstanceOfSatisfying(
                        EventDecodingException.class,
                        e -> assertThat(e.reason()).isEqualTo(EventDecodingException.Reason.NOT_CANONICAL));
    }
}
