package io.quintet.feeds.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.fixtures.EventFixtures;
import io.quintet.model.json.CanonicalJson;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventFieldsTest {
    /** Every pointer a rule or feed setting could name into the fixtures, present or not, scalar or not. */
    private static final List<String> POINTERS = List.of(
            "/source",
            "/id",
            "/action/name",
            "/action/type",
            "/actor/id",
            "/actor/type",
            "/actor/details/email",
            "/actor/details/assumed_role",
            "/actor/details/missing",
            "/entity/id",
            "/entity/type",
            "/entity/details/owner_id",
            "/entity/details/amount",
            "/entity/details/version",
            "/entity/details/lines",
            "/entity/details/due",
            "/entity/details/due/date",
            "/entity/details/missing",
            "/context/status",
            "/context/error/code",
            "/context/attributes/tenant",
            "/context/attributes/retry",
            "/context/attributes/attempt",
            "/context/attributes/workflow.step",
            "/context/attributes/missing",
            "/context/client/user_agent",
            "/context/domain_specific/analytics/properties/revenue",
            "/context/domain_specific/analytics/properties/currency",
            "/context/domain_specific/analytics/properties/mfa",
            "/context/domain_specific/analytics/properties/method",
            "/context/domain_specific/analytics/properties/missing",
            "/context/domain_specific/analytics/user_state_snapshot/plan",
            "/context/domain_specific/audit/request/plan",
            "/context/domain_specific/other/properties/x",
            "/context/domain_specific/analytics/properties/revenue/deeper");

    @Test
    void everyPointerReadsWhatTheEventsJsonTreeHoldsThere() {
        List<CanonicalEvent> events = new ArrayList<>();
        events.add(EventFixtures.login());
        events.add(EventFixtures.invoiceCreated());
        events.add(EventFixtures.failedWorkflowRun());
        events.add(EventFixtures.failedLogin("f-1", EventFixtures.T0));
        events.add(CanonicalJson.fromJson(EventFixtures.loginJson()));
        events.add(TestEvents.post("p-1", "user-1", TestEvents.T0));
        events.add(TestEvents.workflowRun("w-1", "wf-1", true, TestEvents.T0));
        int compared = 0;
        for (CanonicalEvent original : events) {
            // the service reads events decoded from the canonical topic's bytes
            CanonicalEvent event = CanonicalJson.fromBytes(CanonicalJson.toBytes(original));
            JsonNode tree = CanonicalJson.toTree(event);
            for (String p : POINTERS) {
                JsonPointer pointer = JsonPointer.compile(p);
                JsonNode read = new EventFields(event).at(pointer);
                JsonNode expected = tree.at(pointer);
                assertThat(read).as("%s of %s", p, event.id()).isEqualTo(expected);
                assertThat(read.isNumber() ? read.decimalValue() : null)
                        .as("number at %s of %s", p, event.id())
                        .isEqualTo(expected.isNumber() ? expected.decimalValue() : null);
                compared += expected.isMissingNode() ? 0 : 1;
            }
        }
        assertThat(compared).as("pointers that found a value").isGreaterThan(60);
    }
}
