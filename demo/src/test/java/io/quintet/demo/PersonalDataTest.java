package io.quintet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.Entity;
import io.quintet.model.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * What the privacy scan looks for: every raw personal value the demo sent (people with their email, name and phone,
 * IP addresses, actor details, personal properties), and nothing that is not personal.
 */
class PersonalDataTest {
    private static final Instant AT = Instant.parse("2026-11-02T08:00:00Z");

    private static CanonicalEvent.Builder event(String action) {
        return CanonicalEvent.builder()
                .id("e-1")
                .eventTimestamp(AT)
                .source("test")
                .action(action, "update");
    }

    @Test
    void aUserActorBringsTheirIdEmailNamePhoneAndTheClientsIpAddress() {
        PersonalData data = new PersonalData();
        data.collect(event("auth.user.login_succeeded")
                .actor(new Actor("user-42", Actor.USER, null, Map.of("nickname", "ada42", "age", 37)))
                .entity(Entity.of("session-1", "session"))
                .context(Context.EMPTY.withClient(new Context.Client("198.51.100.7", "Firefox", "sess-1")))
                .build());

        assertThat(data.values())
                .containsExactlyInAnyOrder(
                        "user-42",
                        "user-42@example.com",
                        Persons.name("user-42"),
                        "+44 7700 900042",
                        "ada42",
                        "198.51.100.7");
    }

    @Test
    void aServiceOrSystemActorIsNotAPersonButAUserEntityAndAnOwnerAre() {
        PersonalData data = new PersonalData();
        data.collect(event("social.user.followed")
                .actor(Actor.of("scheduler", Actor.SYSTEM))
                .entity(Entity.of("user-3", "user"))
                .build());
        data.collect(event("billing.invoice.paid")
                .actor(Actor.of("billing-service", Actor.SERVICE))
                .entity(new Entity("INV-1", "invoice", Map.of("owner_id", "user-5")))
                .build());

        assertThat(data.values())
                .contains("user-3", "user-3@example.com", "user-5", Persons.phone("user-5"))
                .doesNotContain("scheduler", "billing-service", "INV-1");
    }

    @Test
    void personalPropertiesAreCollectedAndOtherPropertiesAreNot() {
        PersonalData data = new PersonalData();
        data.collect(event("billing.invoice.paid")
                .actor(Actor.of("billing-service", Actor.SERVICE))
                .entity(Entity.of("INV-2", "invoice"))
                .context(Context.EMPTY.withDomainSpecific(new Context.DomainSpecific(
                        null, new Context.Analytics(Map.of("email", "payer@example.org", "currency", "EUR"), null))))
                .build());

        assertThat(data.values()).containsExactly("payer@example.org");
    }

    @Test
    void aBlankOrMissingPersonIsIgnored() {
        PersonalData data = new PersonalData();
        data.person(null);
        data.person(" ");
        assertThat(data.values()).isEmpty();
    }

    @Test
    void theScanFindsARawValueTheDemoSentAndNotItsPseudonym() {
        PersonalData sent = new PersonalData();
        LoadGenerator gen = new LoadGenerator(9, 50, AT, java.time.Duration.ofMillis(10));
        for (int i = 0; i < 200; i++) {
            sent.collect(gen.next());
        }
        sent.person("user-7");
        PrivacyScan scan = new PrivacyScan(sent.values());

        // as the enricher writes it: the actor pseudonymised, no details, the IP address truncated
        CanonicalEvent pseudonymised = event("account.profile.updated")
                .actor(new Actor("ps_1a2b3c4d", Actor.USER, "ps_1a2b3c4d", null))
                .entity(Entity.of("ps_1a2b3c4d", "user"))
                .context(Context.EMPTY.withClient(new Context.Client("198.51.0.0", "Firefox", "sess-1")))
                .build();
        scan.scanRecord(record(0, "ps_1a2b3c4d", CanonicalJson.toJson(pseudonymised)));
        assertThat(scan.findings()).isEmpty();

        CanonicalEvent leaked =
                pseudonymised.toBuilder().actor(Actor.of("user-7", Actor.USER)).build();
        scan.scanRecord(record(1, "ps_1a2b3c4d", CanonicalJson.toJson(leaked)));
        assertThat(scan.findings())
                .extracting(PrivacyScan.Finding::where, PrivacyScan.Finding::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("events.canonical/0@1 value", "user-7"));
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, String key, String value) {
        return new ConsumerRecord<>(
                "events.canonical",
                0,
                offset,
                0L,
                TimestampType.CREATE_TIME,
                -1,
                -1,
                key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8),
                new RecordHeaders(),
                Optional.empty());
    }
}
