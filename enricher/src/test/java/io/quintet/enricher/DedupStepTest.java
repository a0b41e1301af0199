package io.quintet.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.quintet.enricher.privacy.PrivacyStep;
import io.quintet.enricher.telemetry.EnricherTelemetry;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.fixtures.EventFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Step 4, deduplicate on (source, id) in a persistent window store. */
class DedupStepTest {
    @RegisterExtension
    static final OpenTelemetryExtension OTEL = OpenTelemetryExtension.create();

    @TempDir
    Path state;

    @Test
    void duplicateIsDroppedAndCounted() {
        EnricherTelemetry telemetry = new EnricherTelemetry(OTEL.getOpenTelemetry());
        try (EnricherHarness h =
                new EnricherHarness(EnricherSettings.defaults(), state, telemetry, PrivacyStep.disabled())) {
            h.send(EventFixtures.login());
            h.send(EventFixtures.login(), EventFixtures.T0.plusSeconds(90));
            h.send(EventFixtures.invoiceCreated());

            assertThat(h.canonicalEvents())
                    .extracting(CanonicalEvent::id)
                    .containsExactly(
                            EventFixtures.login().id(),
                            EventFixtures.invoiceCreated().id());
        }
        assertThat(TelemetryTest.counter(OTEL, EnricherTelemetry.RECORDS, "duplicate"))
                .isEqualTo(1);
        assertThat(TelemetryTest.counter(OTEL, EnricherTelemetry.RECORDS, "canonical"))
                .isEqualTo(2);
    }

    @Test
    void sameIdFromAnotherSourceIsNotADuplicate() {
        try (EnricherHarness h = new EnricherHarness(EnricherSettings.defaults(), state)) {
            CanonicalEvent a = EventFixtures.login();
            h.send(a);
            h.send(a.toBuilder().source("https://sso.example.com/login").build());

            assertThat(h.canonicalEvents()).hasSize(2);
        }
    }

    @Test
    void copyArrivingAfterTheWindowIsLetThrough() {
        EnricherSettings oneHour = EnricherSettings.defaults().withDedupWindow(Duration.ofHours(1));
        try (EnricherHarness h = new EnricherHarness(oneHour, state)) {
            CanonicalEvent a = EventFixtures.login();
            h.send(a, EventFixtures.T0);
            h.send(a, EventFixtures.T0.plus(Duration.ofMinutes(59)));
            h.send(EventFixtures.invoiceCreated(), EventFixtures.T0.plus(Duration.ofHours(3))); // advances stream time
            h.send(a, EventFixtures.T0.plus(Duration.ofHours(3)));

            assertThat(h.canonicalEvents())
                    .extracting(CanonicalEvent::id)
                    .containsExactly(a.id(), EventFixtures.invoiceCreated().id(), a.id());
        }
    }

    @Test
    void copyWithAnEarlierRecordTimeWithinTheWindowIsDropped() {
        EnricherSettings oneHour = EnricherSettings.defaults().withDedupWindow(Duration.ofHours(1));
        try (EnricherHarness h = new EnricherHarness(oneHour, state)) {
            CanonicalEvent a = EventFixtures.login();
            h.send(a, Instant.parse("2026-11-02T10:30:00Z"));
            h.send(a, Instant.parse("2026-11-02T09:45:00Z"));

            assertThat(h.canonicalEvents()).hasSize(1);
        }
    }

    /** The window is inclusive in both directions, also across hour boundaries of a one-hour window. */
    @Test
    void copiesUpToExactlyOneWindowApartAreDroppedAndOneMillisecondMoreIsLetThrough() {
        EnricherSettings oneHour = EnricherSettings.defaults().withDedupWindow(Duration.ofHours(1));
        try (EnricherHarness h = new EnricherHarness(oneHour, state)) {
            CanonicalEvent a = EventFixtures.login();
            CanonicalEvent b = EventFixtures.invoiceCreated();
            h.send(a, Instant.parse("2026-11-02T10:59:59.900Z"));
            h.send(a, Instant.parse("2026-11-02T11:00:00.100Z")); // across the hour, 200 ms later
            h.send(b, Instant.parse("2026-11-02T10:00:00Z"));
            h.send(b, Instant.parse("2026-11-02T11:00:00Z")); // exactly one window later: still a duplicate
            h.send(b, Instant.parse("2026-11-02T09:00:00Z")); // exactly one window earlier
            h.send(a, Instant.parse("2026-11-02T11:59:59.901Z")); // one window + 1 ms after the first copy of a

            assertThat(h.canonicalEvents()).extracting(CanonicalEvent::id).containsExactly(a.id(), b.id(), a.id());
        }
    }

    @Test
    void seenPairIsWrittenToTheChangelogSoItSurvivesRestarts() {
        try (EnricherHarness h = new EnricherHarness(EnricherSettings.defaults(), state)) {
            h.send(EventFixtures.login());
            var changelog = h.driver.createOutputTopic(
                    "enricher-test-" + io.quintet.enricher.dedup.DeduplicateStep.STORE + "-changelog",
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                    new org.apache.kafka.common.serialization.LongDeserializer());

            assertThat(changelog.readRecordsToList())
                    .singleElement()
                    .satisfies(r -> assertThat(r.value()).isEqualTo(EventFixtures.T0.toEpochMilli()));
        }
    }

    @Test
    void rejectedEventDoesNotMarkItsIdAsSeen() {
        try (EnricherHarness h = new EnricherHarness(EnricherSettings.defaults(), state)) {
            CanonicalEvent fixed = EventFixtures.login();
            h.send(fixed.toBuilder()
                    .action(new io.quintet.model.Action("auth.user.LoginSucceeded", "access"))
                    .build());
            h.send(fixed, Instant.parse("2026-11-02T10:00:00Z"));

            assertThat(h.deadLetters()).hasSize(1);
            assertThat(h.canonicalEvents()).hasSize(1);
        }
    }
}
