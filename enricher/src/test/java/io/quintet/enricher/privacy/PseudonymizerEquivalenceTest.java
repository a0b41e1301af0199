package io.quintet.enricher.privacy;

import static io.quintet.model.fixtures.EventFixtures.ALICE;
import static io.quintet.model.fixtures.EventFixtures.BOB;
import static io.quintet.model.fixtures.EventFixtures.T0;
import static io.quintet.model.fixtures.EventFixtures.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.enricher.privacy.VaultEntries.SubjectEntry;
import io.quintet.enricher.privacy.VaultEntries.VaultEntry;
import io.quintet.model.Action;
import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.Entity;
import io.quintet.model.json.CanonicalJson;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The record-level pseudonymizer ({@link EventFields}, the fast path) applies exactly the rules of the JSON-tree one
 * (the path for pointers it does not cover): same event out, same pending references, same personal data kept.
 */
class PseudonymizerEquivalenceTest {
    static final Instant NOW = Instant.parse("2026-11-02T12:00:00Z");

    static Stream<CanonicalEvent> events() {
        CanonicalEvent base = io.quintet.model.fixtures.EventFixtures.login();
        return Stream.of(
                base,
                withoutAuditPayload(
                        io.quintet.model.fixtures.EventFixtures.invoiceCreated()), // its audit request names
                // the customer by raw id, a field the default settings do not cover (see PiiInvariantTest)
                io.quintet.model.fixtures.EventFixtures.failedWorkflowRun(),
                base.withEntity(Entity.of(BOB, "user")), // a reference to another person
                base.withEntity(new Entity(ALICE, "customer", map("owner_id", BOB, "plan", "pro"))), // self + other
                base.withActor(new Actor(
                        ALICE,
                        null,
                        null,
                        map(
                                "email",
                                "a@example.com",
                                "phone",
                                4420794609L,
                                "nested",
                                map("name", "x")))), // untyped actor, a non-text PII value
                base.withEntity(new Entity("doc-1", "document", map("owner_id", 42))), // unusable identifier: removed
                base.withEntity(new Entity("doc-2", "document", map("owner_id", ""))),
                base.withActor(Actor.of("svc-billing", Actor.SERVICE))
                        .withEntity(new Entity("inv-1", "invoice", map("owner_id", ALICE))),
                CanonicalEvent.builder()
                        .id("e-props")
                        .eventTimestamp(T0)
                        .observedTimestamp(T0)
                        .source("shop")
                        .action(new Action("billing.invoice.sent", "communicate"))
                        .actor(Actor.of(BOB, Actor.USER))
                        .context(new Context(
                                new Context.Client("2001:db8:85a3::8a2e:370:7334", "curl/8", "s-1"),
                                null,
                                new Context.DomainSpecific(
                                        null,
                                        new Context.Analytics(
                                                map(
                                                        "email",
                                                        "bob@example.com",
                                                        "amount",
                                                        new BigDecimal("12.50"),
                                                        "name",
                                                        "Bob"),
                                                null)),
                                map("tenant", "acme"),
                                null,
                                null))
                        .build(),
                base.withActor(Actor.of(BOB, Actor.USER))); // keyed by alice below: the actor is not the record key
    }

    @ParameterizedTest
    @MethodSource("events")
    void theRecordPathAndTheTreePathGiveTheSameResult(CanonicalEvent event) {
        for (PrivacySettings.IpMode mode : PrivacySettings.IpMode.values()) {
            PrivacySettings settings =
                    PrivacySettings.defaults(Keyring.parse(VaultTest.K1, "k1")).withIpMode(mode);
            Pseudonymizer p = new Pseudonymizer(settings);
            Vault vault = vault();
            String key = event.actor().id().equals(BOB)
                            && event.id()
                                    .equals(io.quintet.model.fixtures.EventFixtures.login()
                                            .id())
                    ? ALICE
                    : event.actor().id();
            vault.resolve(BOB, NOW); // bob is known to the directory-less vault's task; alice is created on first use

            List<String> pii = settings.classification().pointers(event);
            PrivacyHop onRecord = p.firstPassOnRecord(key, event, pii, vault, NOW);
            PrivacyHop onTree = p.firstPassOnTree(key, event, pii, vault, NOW);

            assertThat(CanonicalJson.toJson(onRecord.event())).isEqualTo(CanonicalJson.toJson(onTree.event()));
            assertThat(onRecord.pending()).isEqualTo(onTree.pending());
            assertThat(onRecord.actorKey()).isEqualTo(onTree.actorKey());
            for (PrivacyHop.Reference r : onRecord.pending()) {
                PrivacyHop resolvedOnRecord = p.resolve(onRecord, r.subject(), vault, NOW);
                assertThat(resolvedOnRecord.pending()).doesNotContain(r);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("events")
    void noRawIdentifierOrPersonalDataIsLeftOnTheRecordPath(CanonicalEvent event) {
        Pseudonymizer p = new Pseudonymizer(PrivacySettings.defaults(Keyring.parse(VaultTest.K1, "k1")));
        Vault vault = vault();
        PrivacyHop hop = p.firstPass(event.actor().id(), event, vault, NOW);
        while (!hop.pending().isEmpty()) {
            hop = p.resolve(hop, hop.nextSubject(), vault, NOW);
        }
        String json = CanonicalJson.toJson(hop.event());
        assertThat(json)
                .doesNotContain(
                        ALICE,
                        BOB,
                        "alice@example.com",
                        "bob@example.com",
                        "203.0.113.42",
                        "2001:db8:85a3::8a2e:370:7334",
                        "a@example.com",
                        "4420794609");
    }

    private static CanonicalEvent withoutAuditPayload(CanonicalEvent e) {
        Context c = e.contextOrEmpty();
        return e.withContext(c.withDomainSpecific(
                new Context.DomainSpecific(null, c.domainSpecific().analytics())));
    }

    private static Vault vault() {
        MockProcessorContext<Object, Object> ctx = new MockProcessorContext<>();
        KeyValueStore<String, SubjectEntry> subjects = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(Vault.SUBJECTS), Serdes.String(), VaultEntries.subjectSerde())
                .withLoggingDisabled()
                .build();
        KeyValueStore<String, VaultEntry> vault = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(Vault.VAULT), Serdes.String(), VaultEntries.vaultSerde())
                .withLoggingDisabled()
                .build();
        subjects.init(ctx.getStateStoreContext(), subjects);
        vault.init(ctx.getStateStoreContext(), vault);
        return new Vault(subjects, vault, new VaultCrypto(Keyring.parse(VaultTest.K1, "k1")));
    }
}
