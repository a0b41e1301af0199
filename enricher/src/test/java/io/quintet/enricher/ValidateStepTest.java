package io.quintet.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.enricher.dlq.DeadLetter;
import io.quintet.enricher.dlq.DlqReason;
import io.quintet.model.Action;
import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.fixtures.EventFixtures;
import io.quintet.model.limits.EventLimits;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Step 2a, validate: canonical JSON Schema with JSON pointers, the Domain.Entity.Action rule, size limits. */
class ValidateStepTest {
    @TempDir
    Path state;

    private DeadLetter onlyDeadLetter(EnricherSettings settings, CanonicalEvent e) {
        try (EnricherHarness h = new EnricherHarness(settings, state)) {
            h.send(e);
            assertThat(h.canonicalRecords()).isEmpty();
            return h.deadLetters().get(0);
        }
    }

    @Test
    void schemaViolationsNameEveryFailingFieldByPointer() {
        CanonicalEvent bad = EventFixtures.login().toBuilder()
                .id("not-a-uuid")
                .context(EventFixtures.login().context().withClient(new Context.Client("999.1.1.1", "ua", "s")))
                .build();

        DeadLetter dl = onlyDeadLetter(EnricherSettings.defaults(), bad);

        assertThat(dl.reason()).isEqualTo(DlqReason.SCHEMA_VIOLATION);
        assertThat(dl.pointers()).contains("/id", "/context/client/ip_address");
    }

    @Test
    void missingRequiredFieldIsReportedAtItsPointer() {
        CanonicalEvent bad = EventFixtures.failedWorkflowRun().withActor(new Actor(null, Actor.SYSTEM, null, null));

        DeadLetter dl = onlyDeadLetter(EnricherSettings.defaults(), bad);

        assertThat(dl.reason()).isEqualTo(DlqReason.SCHEMA_VIOLATION);
        assertThat(dl.pointers()).containsExactly("/actor/id");
    }

    @Test
    void actionNameBreakingDomainEntityActionIsReportedWithTheOffendingSegment() {
        CanonicalEvent bad = EventFixtures.invoiceCreated().toBuilder()
                .action(new Action("billing.Invoice.created", "create"))
                .build();

        DeadLetter dl = onlyDeadLetter(EnricherSettings.defaults(), bad);

        assertThat(dl.reason()).isEqualTo(DlqReason.SCHEMA_VIOLATION);
        assertThat(dl.cause()).isEqualTo("action_name");
        assertThat(dl.violations()).singleElement().satisfies(v -> {
            assertThat(v.pointer()).isEqualTo("/action/name");
            assertThat(v.message()).contains("entity segment");
        });
    }

    @Test
    void unknownActionTypeIsRejectedUnlessConfigured() {
        CanonicalEvent approve = EventFixtures.invoiceCreated().toBuilder()
                .action(new Action("billing.invoice.approved", "approve"))
                .build();

        assertThat(onlyDeadLetter(EnricherSettings.defaults(), approve).pointers())
                .containsExactly("/action/type");

        try (EnricherHarness h = new EnricherHarness(
                EnricherSettings.defaults().withExtraActionTypes(Set.of("approve")), state.resolve("b"))) {
            h.send(approve);
            assertThat(h.deadLetters()).isEmpty();
            assertThat(h.canonicalEvents())
                    .singleElement()
                    .satisfies(e -> assertThat(e.action().type()).isEqualTo("approve"));
        }
    }

    @Test
    void recordLargerThanTheLimitIsASizeViolationBeforeParsing() {
        EnricherSettings small = EnricherSettings.defaults().withLimits(new EventLimits(600, 200, 200));

        DeadLetter dl = onlyDeadLetter(small, EventFixtures.login());

        assertThat(dl.reason()).isEqualTo(DlqReason.SIZE_VIOLATION);
        assertThat(dl.cause()).isEqualTo("record_too_large");
        assertThat(dl.event()).isNull();
        assertThat(dl.message()).contains("the limit is 600");
    }

    @Test
    void tooManyPropertiesIsASizeViolationAtThePropertiesPointer() {
        Map<String, Object> props = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            props.put("p" + i, i);
        }
        CanonicalEvent e = EventFixtures.invoiceCreated()
                .withContext(EventFixtures.invoiceCreated()
                        .context()
                        .withDomainSpecific(new Context.DomainSpecific(null, new Context.Analytics(props, null))));

        DeadLetter dl = onlyDeadLetter(EnricherSettings.defaults().withLimits(new EventLimits(100_000, 5, 200)), e);

        assertThat(dl.reason()).isEqualTo(DlqReason.SIZE_VIOLATION);
        assertThat(dl.pointers()).containsExactly("/context/domain_specific/analytics/properties");
        assertThat(dl.event().id()).isEqualTo(e.id());
    }
}
