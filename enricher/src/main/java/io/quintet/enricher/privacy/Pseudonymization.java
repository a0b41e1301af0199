package io.quintet.enricher.privacy;

import io.quintet.model.CanonicalEvent;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.model.topics.TopicSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * The privacy step (issue #5), plugged into the enricher's seam between dedup and stamping:
 * <pre>
 *   deduplicate -> pseudonymize [pii-subjects, pii-vault]          (actor's task: actor, PII, self-references)
 *       privacy-done-0 ----------------------------------------------------------+
 *       privacy-hop-1 -> key-by-reference-1 -> pseudonymize-ref-1 (repartition)   |
 *                     -> resolve-reference-1 [pii-*] -> ... up to N hops          |
 *                     -> key-by-actor-key -> pseudonymize-return (repartition) ---+-> privacy-merge -> privacy-done
 *   read-erasure-requests -> erase-subject [pii-*] -> privacy-with-erasure-audits (joins privacy-done: the audit
 *                            event goes on like every event: stamping, key-by-actor, the chain, events.canonical)
 *                         -> profile-tombstone -> write-profile-tombstone (profiles)
 *                                              -> write-pii-directory-tombstone (pii.vault)
 *   every pseudonymize / resolve-reference-N step -> write-pii-directory-N (pii.vault: new and republished subjects)
 *   read-pii-directory (pii.vault) -> global store pii-directory, read by every step
 * </pre>
 * A reference to another person that the {@link SubjectDirectory} already lists is resolved in the actor's task;
 * only the others take a hop.
 * Every person has one vault entry, in the task of its own partition: an event's references to other persons
 * travel there (one repartition hop per distinct person, then back to the actor's task), so the same person gets the
 * same pseudonym wherever it appears. The vault changelogs get the {@code pii.vault} compaction settings of the
 * topic catalogue, which bound how long erased bytes stay on disk.
 */
public final class Pseudonymization implements PrivacyStep {
    private final PrivacySettings settings;
    private final TopicCatalogue topics;
    private final SubjectCache.PerTask caches = new SubjectCache.PerTask(SubjectCache.DEFAULT_SIZE);
    private final VaultTelemetry telemetry;

    public Pseudonymization(PrivacySettings settings, TopicCatalogue topics) {
        this(settings, topics, VaultTelemetry.noop());
    }

    /** Counts vault operations and erasures in {@code telemetry}. */
    public Pseudonymization(PrivacySettings settings, TopicCatalogue topics, VaultTelemetry telemetry) {
        this.settings = settings;
        this.topics = topics;
        this.telemetry = telemetry;
    }

    /** The vault changelogs' topic configs: the catalogue's pii.vault compaction settings. */
    public static Map<String, String> vaultChangelogConfig(TopicCatalogue topics) {
        TopicSpec vault = topics.spec(TopicCatalogue.PII_VAULT);
        Map<String, String> c = new LinkedHashMap<>(vault.configs());
        c.remove(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
        return c;
    }

    @Override
    public KStream<String, CanonicalEvent> pseudonymize(
            StreamsBuilder builder, KStream<String, CanonicalEvent> deduplicated) {
        Map<String, String> changelog = vaultChangelogConfig(topics);
        builder.addStateStore(Vault.subjectsStore(changelog));
        builder.addStateStore(Vault.vaultStore(changelog));
        SubjectDirectory.addGlobalStore(builder, topics);
        KStream<String, CanonicalEvent> erasureAudits = addErasure(builder);

        Map<String, KStream<String, PrivacyHop>> first = published(
                        deduplicated.processValues(
                                () -> new PseudonymizeStep(settings, caches, telemetry),
                                Named.as(PROCESSOR),
                                Vault.SUBJECTS,
                                Vault.VAULT),
                        "0")
                .split(Named.as("privacy-"))
                .branch((k, hop) -> hop.pending().isEmpty(), Branched.as("done-0"))
                .defaultBranch(Branched.as("hop-1"));
        KStream<String, PrivacyHop> done = first.get("privacy-done-0");
        KStream<String, PrivacyHop> toHop = first.get("privacy-hop-1");
        KStream<String, PrivacyHop> returning = null;
        int max = settings.maxReferences() + 1; // the actor itself may need a hop when the record key is not its id
        for (int i = 1; i <= max; i++) {
            boolean last = i == max;
            KStream<String, PrivacyHop> resolved = published(
                    toHop.selectKey((k, hop) -> hop.nextSubject(), Named.as("key-by-reference-" + i))
                            .repartition(Repartitioned.<String, PrivacyHop>as("pseudonymize-ref-" + i)
                                    .withKeySerde(Serdes.String())
                                    .withValueSerde(PrivacyHop.serde()))
                            .processValues(
                                    () -> new ResolveReferenceStep(settings, caches, last, telemetry),
                                    Named.as("resolve-reference-" + i),
                                    Vault.SUBJECTS,
                                    Vault.VAULT),
                    String.valueOf(i));
            if (last) {
                returning =
                        returning == null ? resolved : returning.merge(resolved, Named.as("privacy-returning-" + i));
                break;
            }
            Map<String, KStream<String, PrivacyHop>> next = resolved.split(Named.as("privacy-after-" + i + "-"))
                    .branch((k, hop) -> hop.pending().isEmpty(), Branched.as("return"))
                    .defaultBranch(Branched.as("next"));
            KStream<String, PrivacyHop> back = next.get("privacy-after-" + i + "-return");
            returning = returning == null ? back : returning.merge(back, Named.as("privacy-returning-" + i));
            toHop = next.get("privacy-after-" + i + "-next");
        }
        KStream<String, PrivacyHop> returned = returning
                .selectKey((k, hop) -> hop.actorKey(), Named.as("key-by-actor-key"))
                .repartition(Repartitioned.<String, PrivacyHop>as("pseudonymize-return")
                        .withKeySerde(Serdes.String())
                        .withValueSerde(PrivacyHop.serde()));
        return done.merge(returned, Named.as("privacy-merge"))
                .mapValues(PrivacyHop::event, Named.as("privacy-done"))
                .merge(erasureAudits, Named.as("privacy-with-erasure-audits"));
    }

    /** Sends what a step published to the subject directory, and hands on the event. */
    private KStream<String, PrivacyHop> published(KStream<String, Pseudonymized> out, String step) {
        SubjectDirectory.publish(
                out.filter((k, p) -> !p.published().isEmpty(), Named.as("privacy-publishes-" + step))
                        .mapValues(Pseudonymized::published, Named.as("privacy-directory-entries-" + step)),
                topics,
                "write-pii-directory-" + step);
        return out.mapValues(Pseudonymized::hop, Named.as("privacy-hop-out-" + step));
    }

    /**
     * The erasure requests: erase-subject, the tombstones; returns the {@code privacy.subject.erased} audit events,
     * which join the pseudonymized stream and reach events.canonical the way every event does (re-keyed by actor,
     * chained when audit is on).
     */
    private KStream<String, CanonicalEvent> addErasure(StreamsBuilder builder) {
        KStream<String, byte[]> requests = builder.stream(
                topics.name(TopicCatalogue.ERASURE_REQUESTS),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("read-erasure-requests"));
        KStream<String, CanonicalEvent> audits = requests.process(
                () -> new EraseSubjectStep(settings, caches, telemetry),
                Named.as("erase-subject"),
                Vault.SUBJECTS,
                Vault.VAULT);
        KStream<String, byte[]> tombstones = requests.filter(
                        (subject, v) -> subject != null && !subject.isEmpty(), Named.as("erasure-with-subject"))
                .mapValues(v -> (byte[]) null, Named.as("profile-tombstone"));
        tombstones.to(
                topics.name(TopicCatalogue.PROFILES),
                Produced.with(Serdes.String(), Serdes.ByteArray()).withName("write-profile-tombstone"));
        tombstones.to(
                SubjectDirectory.topic(topics),
                Produced.with(Serdes.String(), Serdes.ByteArray()).withName("write-pii-directory-tombstone"));
        return audits;
    }
}
