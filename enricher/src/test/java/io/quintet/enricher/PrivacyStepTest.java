package io.quintet.enricher;

import static io.quintet.model.fixtures.EventFixtures.ALICE;
import static io.quintet.model.fixtures.EventFixtures.ALICE_EMAIL;
import static io.quintet.model.fixtures.EventFixtures.ALICE_IP;
import static io.quintet.model.fixtures.EventFixtures.BOB;
import static io.quintet.model.fixtures.EventFixtures.T0;
import static io.quintet.model.fixtures.EventFixtures.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.enricher.dlq.DeadLetters;
import io.quintet.enricher.dlq.DlqReason;
import io.quintet.enricher.pipeline.Events;
import io.quintet.enricher.privacy.EraseSubjectStep;
import io.quintet.enricher.privacy.PrivacySettings;
import io.quintet.enricher.privacy.Pseudonymization;
import io.quintet.enricher.privacy.SubjectDirectory;
import io.quintet.enricher.privacy.Vault;
import io.quintet.enricher.privacy.VaultCrypto;
import io.quintet.enricher.privacy.VaultEntries;
import io.quintet.enricher.telemetry.EnricherTelemetry;
import io.quintet.model.Action;
import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.Entity;
import io.quintet.model.fixtures.EventFixtures;
import io.quintet.model.topics.TopicCatalogue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #5 in the topology: pseudonyms, the encrypted vault, erasure. */
class PrivacyStepTest {
    @TempDir
    Path state;

    static EnricherHarness harness(Path state, PrivacySettings privacy) {
        EnricherSettings s = EnricherSettings.defaults().withPlan(privacy.plan());
        return new EnricherHarness(s, state, EnricherTelemetry.noop(), new Pseudonymization(privacy, s.topics()));
    }

    static CanonicalEvent login(String actor, String id) {
        return EventFixtures.login().toBuilder()
                .id(id)
                .actor(new Actor(
                        actor,
                        Actor.USER,
                        null,
                        map("email", actor + "@example.com", "name", "Someone", "plan_hint", "pro")))
                .build();
    }

    static CanonicalEvent follow(String follower, String followed) {
        return CanonicalEvent.builder()
                .id(UUID.randomUUID().toString())
                .eventTimestamp(T0.plusSeconds(5))
                .observedTimestamp(T0.plusSeconds(5))
                .source("community-app")
                .action(new Action("social.user.followed", "create"))
                .actor(Actor.of(follower, Actor.USER))
                .entity(Entity.of(followed, "user"))
                .build();
    }

    static String text(byte[] b) {
        return b == null ? "" : new String(b, StandardCharsets.UTF_8);
    }

    static String allBytes(TestRecord<String, byte[]> r) {
        StringBuilder sb =
                new StringBuilder(r.key() == null ? "" : r.key()).append('|').append(text(r.value()));
        r.headers().forEach(h -> sb.append('|').append(h.key()).append('=').append(text(h.value())));
        return sb.toString();
    }

    @Test
    void actorGetsAStableRandomPseudonymAndPersonalDataLeavesTheEvent() {
        try (EnricherHarness h = harness(state, PrivacySettings.defaults(TestKeys.k1()))) {
            h.send(login(ALICE, "7d0b1c8e-3f2a-4c55-9a71-0c7e2b9d4f10"));
            h.send(login(ALICE, "7d0b1c8e-3f2a-4c55-9a71-0c7e2b9d4f11"));

            List<TestRecord<String, byte[]>> out = h.canonicalRecords();
            assertThat(out).hasSize(2);
            String pseudonym = out.get(0).key();
            assertThat(pseudonym).startsWith("ps_").isEqualTo(out.get(1).key()).doesNotContain("alice");
            CanonicalEvent e = new io.quintet.model.cloudevents.CloudEventSerde()
                    .deserializer()
                    .deserialize("c", out.get(0).headers(), out.get(0).value());
            assertThat(e.actor().id()).isEqualTo(pseudonym);
            assertThat(e.actor().pseudonym()).isEqualTo(pseudonym);
            assertThat(e.actor().details()).containsOnlyKeys("plan_hint");
            assertThat(e.contextOrEmpty().client().ipAddress()).isNull();
            assertThat(e.contextOrEmpty().client().userAgent()).contains("Firefox");
            assertThat(DeadLetters.header(out.get(0).headers(), "ce_partitionkey"))
                    .isEqualTo(pseudonym);
            assertThat(out)
                    .allSatisfy(r ->
                            assertThat(allBytes(r)).doesNotContain(ALICE, ALICE + "@example.com", ALICE_IP, "Someone"));
        }
    }

    @Test
    void organizationIdIsNotPersonalDataAndPassesPseudonymizationUnchanged() {
        try (EnricherHarness h = harness(state, PrivacySettings.defaults(TestKeys.k1()))) {
            h.send(login(ALICE, "7d0b1c8e-3f2a-4c55-9a71-0c7e2b9d4f10").withOrganizationId("org-4711"));

            TestRecord<String, byte[]> out = h.canonicalRecords().get(0);
            CanonicalEvent e = new io.quintet.model.cloudevents.CloudEventSerde()
                    .deserializer()
                    .deserialize("c", out.headers(), out.value());
            assertThat(e.actor().id()).startsWith("ps_");
            assertThat(e.organizationId()).isEqualTo("org-4711");
            assertThat(DeadLetters.header(out.headers(), "ce_organizationid")).isEqualTo("org-4711");
            assertThat(allBytes(out)).doesNotContain(ALICE, ALICE + "@example.com");
        }
    }

    @Test
    void theSamePersonGetsTheSamePseudonymAsActorAsEntityAndAsOwner() {
        try (EnricherHarness h = harness(state, PrivacySettings.defaults(TestKeys.k1()))) {
            h.send(login(ALICE, "7d0b1c8e-3f2a-4c55-9a71-0c7e2b9d4f10"));
            h.send(follow(BOB, ALICE));
            h.send(EventFixtures.invoiceCreated()); // billing-service (not a person), owner_id = Alice

            List<CanonicalEvent> out = h.canonicalEvents();
            String alice = out.get(0).actor().id();
            CanonicalEvent followed = out.stream()
                    .filter(e -> e.action().name().equals("social.user.followed"))
                    .findFirst()
                    .orElseThrow();
            CanonicalEvent invoice = out.stream()
                    .filter(e -> e.action().name().equals("billing.invoice.created"))
                    .findFirst()
                    .orElseThrow();
            assertThat(followed.entity().id()).isEqualTo(alice);
            assertThat(followed.actor().id()).startsWith("ps_").isNotEqualTo(alice);
            assertThat(invoice.actor().id()).isEqualTo("billing-service");
            assertThat(invoice.entity().details()).containsEntry("owner_id", alice);
        }
    }

    @Test
    void theSubjectDirectoryListsEachNewPersonAndResolvesLaterReferencesWithoutAHop() {
        try (EnricherHarness h = harness(state, PrivacySettings.defaults(TestKeys.k1()))) {
            var directory = h.driver.createOutputTopic(
                    SubjectDirectory.topic(h.topics), new StringDeserializer(), new ByteArrayDeserializer());
            h.send(login(ALICE, "7d0b1c8e-3f2a-4c55-9a71-0c7e2b9d4f10"));
            String alice = h.canonicalRecords().get(0).key();
            assertThat(directory.readRecordsToList())
                    .as("alice's registry entry, published once, readable by no one")
                    .singleElement()
                    .satisfies(r -> {
                        assertThat(r.key()).isEqualTo(ALICE);
                        assertThat(text(r.value())).doesNotContain(alice, ALICE_EMAIL);
                        assertThat(VaultEntries.subjectSerde()
                                        .deserializer()
                                        .deserialize("t", r.value())
                                        .wrappedKey())
                                .as("a registry entry with its wrapped data key")
                                .isNotEmpty();
                    });
            KeyValueStore<String, VaultEntries.SubjectEntry> global = h.driver.getKeyValueStore(Vault.DIRECTORY);
            assertThat(global.get(ALICE))
                    .as("the global store reads the directory topic")
                    .isNotNull();

            h.send(follow(BOB, ALICE));
            CanonicalEvent followed = h.canonicalEvents().get(0);
            assertThat(followed.entity().id()).isEqualTo(alice);
            assertThat(directory.readRecordsToList())
                    .as("only bob is new; alice came from the directory, no hop republished her")
                    .extracting(TestRecord::key)
                    .containsExactly(BOB);
        }
    }

    @Test
    void aReferenceTheDirectoryDoesNotListYetTakesAHopAndTheOwnerRepublishesIt() {
        try (EnricherHarness h = harness(state, PrivacySettings.defaults(TestKeys.k1()))) {
            var directory = h.driver.createOutputTopic(
                    SubjectDirectory.topic(h.topics), new StringDeserializer(), new ByteArrayDeserializer());
            h.send(login(ALICE, "7d0b1c8e-3f2a-4c55-9a71-0c7e2b9d4f10"));
            String alice = h.canonicalRecords().get(0).key();
            directory.readRecordsToList();
            h.driver
                    .<String, VaultEntries.SubjectEntry>getKeyValueStore(Vault.DIRECTORY)
                    .delete(ALICE); // not there yet

            h.send(follow(BOB, ALICE));
            assertThat(h.canonicalEvents().get(0).entity().id()).isEqualTo(alice);
            assertThat(directory.readRecordsToList())
                    .extracting(TestRecord::key)
                    .containsExactlyInAnyOrder(BOB, ALICE);
        }
    }

    @Test
    void erasureTombstonesTheSubjectInTheDirectory() {
        try (EnricherHarness h = harness(state, PrivacySettings.defaults(TestKeys.k1()))) {
            var directory = h.driver.createOutputTopic(
                    SubjectDirectory.topic(h.topics), new StringDeserializer(), new ByteArrayDeserializer());
            h.send(login(ALICE, "7d0b1c8e-3f2a-4c55-9a71-0c7e2b9d4f10"));
            String old = h.canonicalRecords().get(0).key();
            directory.readRecordsToList();
            var erasures = h.driver.createInputTopic(
                    TopicCatalogue.ERASURE_REQUESTS,
                    new StringSerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer());
            erasures.pipeInput(new TestRecord<>(
                    ALICE,
                    "{\"request_id\":\"req-43\"}".getBytes(StandardCharsets.UTF_8),
                    new RecordHeaders(),
                    T0.plusSeconds(10)));

            assertThat(directory.readRecordsToList()).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo(ALICE);
                assertThat(r.value()).isNull();
            });
            assertThat(h.driver
                            .<String, VaultEntries.SubjectEntry>getKeyValueStore(Vault.DIRECTORY)
                            .get(ALICE))
                    .isNull();
            assertThat(h.canonicalEvents()).extracting(e -> e.action().name()).containsExactly(EraseSubjectStep.ACTION);
            h.send(follow(BOB, ALICE), T0.plusSeconds(20));
            assertThat(h.canonicalEvents().get(0).entity().id())
                    .as("a reference after erasure gets alice's new pseudonym")
                    .startsWith("ps_")
                    .isNotEqualTo(old);
        }
    }

    @Test
    void ipAddressIsKeptCoarseWhenConfigured() {
        PrivacySettings coarse = PrivacySettings.defaults(TestKeys.k1()).withIpMode(PrivacySettings.IpMode.COARSE);
        try (EnricherHarness h = harness(state, coarse)) {
            h.send(EventFixtures.login());

            assertThat(h.canonicalEvents().get(0).contextOrEmpty().client().ipAddress())
                    .isEqualTo("203.0.113.0");
        }
    }

    @Test
    void personalDataIsKeptInTheVaultEncryptedAndReadableWithTheMasterKey() {
        try (EnricherHarness h = harness(state, PrivacySettings.defaults(TestKeys.k1()))) {
            h.send(EventFixtures.login());
            String pseudonym = h.canonicalRecords().get(0).key();

            KeyValueStore<String, VaultEntries.VaultEntry> vault = h.driver.getKeyValueStore(Vault.VAULT);
            VaultEntries.VaultEntry entry = vault.get(pseudonym);
            assertThat(text(VaultEntries.vaultSerde().serializer().serialize("changelog", entry)))
                    .doesNotContain(ALICE, ALICE_EMAIL, ALICE_IP);
            VaultEntries.Pii pii =
                    Vault.read(entry, pseudonym, new VaultCrypto(TestKeys.k1())).orElseThrow();
            assertThat(pii.subjectId()).isEqualTo(ALICE);
            assertThat(pii.fields())
                    .containsEntry("/actor/details/email", ALICE_EMAIL)
                    .containsEntry("/context/client/ip_address", ALICE_IP)
                    .containsEntry("/actor/details/name", "Alice Liddell");
            KeyValueStore<String, VaultEntries.SubjectEntry> subjects = h.driver.getKeyValueStore(Vault.SUBJECTS);
            assertThat(text(VaultEntries.subjectSerde().serializer().serialize("changelog", subjects.get(ALICE))))
                    .doesNotContain(pseudonym);
        }
    }

    @Test
    void erasureDeletesTheVaultEntriesReportsItAndTheNextEventGetsANewPseudonym() {
        try (EnricherHarness h = harness(state, PrivacySettings.defaults(TestKeys.k1()))) {
            h.send(login(ALICE, "7d0b1c8e-3f2a-4c55-9a71-0c7e2b9d4f10"));
            String old = h.canonicalRecords().get(0).key();
            var erasures = h.driver.createInputTopic(
                    TopicCatalogue.ERASURE_REQUESTS,
                    new StringSerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer());
            erasures.pipeInput(new TestRecord<>(
                    ALICE,
                    "{\"request_id\":\"req-42\"}".getBytes(StandardCharsets.UTF_8),
                    new RecordHeaders(),
                    T0.plusSeconds(10)));

            CanonicalEvent audit = h.canonicalEvents().get(0);
            assertThat(audit.action().name()).isEqualTo(EraseSubjectStep.ACTION);
            assertThat(audit.entity().id()).isEqualTo(old);
            assertThat(audit.correlationId()).isEqualTo("req-42");
            assertThat(h.driver
                            .<String, VaultEntries.VaultEntry>getKeyValueStore(Vault.VAULT)
                            .get(old))
                    .isNull();
            assertThat(h.driver
                            .<String, VaultEntries.SubjectEntry>getKeyValueStore(Vault.SUBJECTS)
                            .get(ALICE))
                    .isNull();
            var profiles = h.driver.createOutputTopic(
                    TopicCatalogue.PROFILES, new StringDeserializer(), new ByteArrayDeserializer());
            assertThat(profiles.readRecordsToList()).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo(ALICE);
                assertThat(r.value()).isNull();
            });

            h.send(login(ALICE, "7d0b1c8e-3f2a-4c55-9a71-0c7e2b9d4f12"), T0.plusSeconds(20));
            assertThat(h.canonicalRecords().get(0).key()).startsWith("ps_").isNotEqualTo(old);
        }
    }

    @Test
    void superPropertiesAreStampedFromTheRawActorsProfileAfterPseudonymization() {
        try (EnricherHarness h = harness(state, PrivacySettings.defaults(TestKeys.k1()))) {
            h.profile(ALICE, "{\"traits\":{\"plan\":\"pro\"}}", T0.minusSeconds(60));
            h.send(EventFixtures.login());

            assertThat(Events.userStateSnapshot(h.canonicalEvents().get(0))).containsEntry("plan", "pro");
        }
    }

    @Test
    void eventReferencingMorePersonsThanAllowedIsDeadLetteredNotLeaked() {
        PrivacySettings p = PrivacySettings.defaults(TestKeys.k1())
                .withIdentifierPaths(List.of(
                        "entity.details.owner_id", "properties.a", "properties.b", "properties.c", "properties.d"));
        try (EnricherHarness h = harness(state, p)) {
            CanonicalEvent e = EventFixtures.invoiceCreated()
                    .withContext(Context.EMPTY.withDomainSpecific(new Context.DomainSpecific(
                            null,
                            new Context.Analytics(
                                    map("a", "user-a", "b", "user-b", "c", "user-c", "d", "user-d"), null))));
            h.send(e);

            assertThat(h.canonicalRecords()).isEmpty();
            assertThat(h.deadLetters()).singleElement().satisfies(dl -> {
                assertThat(dl.reason()).isEqualTo(DlqReason.ENRICHMENT_FAILURE);
                assertThat(dl.cause()).isEqualTo("TooManyReferencesException");
            });
        }
    }

    @Test
    void eventKeyedByAnotherIdStillGetsTheActorsOwnPseudonym() {
        try (EnricherHarness h = harness(state, PrivacySettings.defaults(TestKeys.k1()))) {
            h.send(login(ALICE, "7d0b1c8e-3f2a-4c55-9a71-0c7e2b9d4f10"));
            String alice = h.canonicalRecords().get(0).key();
            RecordHeaders headers = new RecordHeaders();
            CanonicalEvent second = login(ALICE, "7d0b1c8e-3f2a-4c55-9a71-0c7e2b9d4f13");
            byte[] v = new io.quintet.model.cloudevents.CloudEventSerde()
                    .serializer()
                    .serialize("r", headers, second);
            h.sendRaw("some-session-key", v, headers, T0.plus(Duration.ofSeconds(3)));

            assertThat(h.canonicalRecords())
                    .singleElement()
                    .satisfies(r -> assertThat(r.key()).isEqualTo(alice));
        }
    }
}
