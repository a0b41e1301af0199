package io.quintet.model.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.fixtures.EventFixtures;
import io.quintet.model.json.CanonicalJson;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalSchemaTest {
    private static final CanonicalSchema SCHEMA = CanonicalSchema.load();
    private static final ObjectMapper MAPPER = CanonicalJson.newMapper();

    @Test
    void realisticEventsAreValid() {
        List<CanonicalEvent> events = List.of(
                EventFixtures.login(),
                EventFixtures.invoiceCreated(),
                EventFixtures.failedWorkflowRun(),
                EventFixtures.failedLogin(
                        "5b0e7a3c-9d8f-4a6e-b1c2-3d4e5f6a7b8c", Instant.parse("2026-11-02T10:00:00Z")));
        for (CanonicalEvent e : events) {
            assertThat(SCHEMA.validate(CanonicalJson.toJson(e)))
                    .as(e.action().name())
                    .isEmpty();
        }
        assertThat(SCHEMA.validate(EventFixtures.loginJson())).isEmpty();
    }

    @Test
    void theSchemaFileIsTheOneTheCodeUses() throws Exception {
        JsonNode schema = MAPPER.readTree(CanonicalSchema.text());
        assertThat(schema.path("$id").asText()).isEqualTo(CanonicalSchema.ID.toString());
        assertThat(schema.path("required").toString())
                .isEqualTo("[\"id\",\"event_timestamp\",\"observed_timestamp\",\"source\",\"action\",\"actor\"]");
    }

    @Test
    void organizationIdIsOptionalAndFollowsTheOrganizationIdRule() {
        assertThat(SCHEMA.validate(CanonicalJson.toJson(EventFixtures.login())))
                .as("absent")
                .isEmpty();
        for (String valid : List.of("org-4711", "acme.eu:prod_1", "7", "a".repeat(128))) {
            assertThat(SCHEMA.validate(
                            CanonicalJson.toJson(EventFixtures.login().withOrganizationId(valid))))
                    .as(valid)
                    .isEmpty();
            assertThat(io.quintet.model.OrganizationId.isValid(valid)).as(valid).isTrue();
        }
        for (String invalid : List.of("", " org", "org 1", "_org", "org/1", "\u00e9t\u00e9", "a".repeat(129))) {
            assertThat(SCHEMA.validate(
                            CanonicalJson.toJson(EventFixtures.login().withOrganizationId(invalid))))
                    .as(invalid)
                    .extracting(CanonicalSchema.Violation::pointer)
                    .contains("/organization_id");
            assertThat(io.quintet.model.OrganizationId.isValid(invalid))
                    .as(invalid)
                    .isFalse();
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "remove id                        | /id",
                "remove event_timestamp           | /event_timestamp",
                "remove observed_timestamp        | /observed_timestamp",
                "remove source                    | /source",
                "remove action                    | /action",
                "remove actor                     | /actor",
                "remove actor.id                  | /actor/id",
                "remove action.type               | /action/type",
                "set id=not-a-uuid                | /id",
                "set event_timestamp=yesterday    | /event_timestamp",
                "set action.name=Billing.Invoice  | /action/name",
                "set action.name=billing.invoice.Created | /action/name",
                "set action.type=explode          | /action/type",
                "set actor.type=robot             | /actor/type",
                "set context.status=DONE          | /context/status",
                "set context.client.ip_address=999.1.1.1 | /context/client/ip_address",
                "set context.telemetry.trace_id=xyz | /context/telemetry/trace_id",
                "number context.telemetry.duration_ms=-5 | /context/telemetry/duration_ms",
                "set context.telemetry.duration_ms=slow | /context/telemetry/duration_ms",
                "set entity.details=flat          | /entity/details",
                "set organization_id=             | /organization_id",
                "set organization_id=acme corp    | /organization_id",
                "set organization_id=-acme        | /organization_id",
                "set organization_id=org/4711     | /organization_id",
            })
    void eachKindOfBadEventIsRejectedNamingTheField(String mutation, String pointer) {
        ObjectNode event = (ObjectNode) CanonicalJson.toTree(EventFixtures.login());
        mutate(event, mutation.trim());

        List<CanonicalSchema.Violation> violations = SCHEMA.validate(event.toString());

        assertThat(violations).as(mutation).isNotEmpty();
        assertThat(violations).extracting(CanonicalSchema.Violation::pointer).contains(pointer.trim());
    }

    private static void mutate(ObjectNode root, String mutation) {
        String[] verbAndPath = mutation.split(" ", 2);
        String[] pathAndValue = verbAndPath[1].split("=", 2);
        String[] path = pathAndValue[0].split("\\.");
        ObjectNode parent = root;
        for (int i = 0; i < path.length - 1; i++) {
            parent = parent.get(path[i]) instanceof ObjectNode o ? o : parent.putObject(path[i]);
        }
        String field = path[path.length - 1];
        Consumer<ObjectNode> op = switch (verbAndPath[0]) {
            case "remove" -> p -> p.remove(field);
            case "set" -> p -> p.put(field, pathAndValue[1]);
            case "number" -> p -> p.put(field, Double.parseDouble(pathAndValue[1]));
            default -> throw new IllegalArgumentException(mutation);
        };
        op.accept(parent);
    }
}
