package io.quintet.sink.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.model.CanonicalEvent;
import io.quintet.model.fixtures.EventFixtures;
import io.quintet.model.json.CanonicalJson;
import io.quintet.sink.write.EventRowMapper;
import io.quintet.sink.write.EventTableLayout;
import java.util.List;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class RowToEventTest {
    final EventRowMapper mapper = new EventRowMapper(EventTableLayout.SCHEMA);

    static List<CanonicalEvent> fixtures() {
        return List.of(
                EventFixtures.login(),
                EventFixtures.invoiceCreated(),
                EventFixtures.failedWorkflowRun(),
                EventFixtures.failedLogin("fl-1", EventFixtures.T0.plusSeconds(5)),
                EventFixtures.login().toBuilder()
                        .id("ext-1")
                        .extension("x_tenant_tier", "gold")
                        .extension("x_nested", java.util.Map.of("a", 1, "b", List.of(true, 2.5)))
                        .build());
    }

    @Test
    void aRowMadeBackIntoAnEventMapsToTheSameRowAgain() {
        for (CanonicalEvent original : fixtures()) {
            Record row = mapper.toRecord(original, 3, 42);
            CanonicalEvent back = RowToEvent.of(row);
            Record again = mapper.toRecord(back, 3, 42);
            for (Types.NestedField f : EventTableLayout.SCHEMA.columns()) {
                assertThat(again.getField(f.name()))
                        .as(original.id() + " column " + f.name())
                        .isEqualTo(row.getField(f.name()));
            }
            assertThat(back.id()).isEqualTo(original.id());
            assertThat(back.eventTimestamp()).isEqualTo(original.eventTimestamp());
            // values as JSON: numbers come back as the canonical parser reads them (2.5 as it parses it)
            assertThat(CanonicalJson.toJson(back)).isEqualTo(CanonicalJson.toJson(RowToEvent.of(again)));
            assertThat(back.extensions().keySet())
                    .containsExactlyElementsOf(original.extensions().keySet());
        }
    }

    @Test
    void theRebuiltEventIsTheOriginalWithoutTheClientIp() {
        CanonicalEvent login = EventFixtures.login();
        assertThat(login.contextOrEmpty().client().ipAddress()).isEqualTo(EventFixtures.ALICE_IP);
        CanonicalEvent back = RowToEvent.of(mapper.toRecord(login, 0, 0));
        assertThat(CanonicalJson.toJson(back)).doesNotContain(EventFixtures.ALICE_IP);
        CanonicalEvent withoutIp = login.toBuilder()
                .context(login.context().withClient(login.context().client().withIpAddress(null)))
                .build();
        assertThat(back).isEqualTo(withoutIp);
    }

    @Test
    void aRowWithItsEventJsonGivesThatJsonVerbatim() {
        CanonicalEvent original = EventFixtures.invoiceCreated();
        Record row = mapper.toRecord(original, 0, 0);
        String json =
                CanonicalJson.toJson(original.toBuilder().source("as-hashed").build());
        row.setField(EventTableLayout.EVENT_JSON, json);
        assertThat(RowToEvent.of(row).source()).isEqualTo("as-hashed");
        assertThat(CanonicalJson.toJson(RowToEvent.of(row))).isEqualTo(json);
    }
}
