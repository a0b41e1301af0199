package io.quintet.enricher;

import io.quintet.audit.AuditChainer;
import io.quintet.audit.streams.AuditTopology;
import io.quintet.enricher.dedup.DeduplicateStep;
import io.quintet.enricher.dlq.DeadLetterStep;
import io.quintet.enricher.dlq.DlqReason;
import io.quintet.enricher.dlq.Rejection;
import io.quintet.enricher.pipeline.Checked;
import io.quintet.enricher.pipeline.KeyByActorStep;
import io.quintet.enricher.plan.TrackingPlanCheck;
import io.quintet.enricher.privacy.PrivacyStep;
import io.quintet.enricher.profile.ApplyProfileChangeStep;
import io.quintet.enricher.profile.ProfileUpdate;
import io.quintet.enricher.profile.StampSuperPropertiesStep;
import io.quintet.enricher.read.DecodeStep;
import io.quintet.enricher.read.EventDecoder;
import io.quintet.enricher.read.Upcasters;
import io.quintet.enricher.telemetry.EnricherTelemetry;
import io.quintet.enricher.validate.EventValidator;
import io.quintet.enricher.validate.SchemaCheck;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.json.CanonicalJsonSerde;
import io.quintet.model.topics.Topic;
import io.quintet.model.topics.TopicCatalogue;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * The enricher's data flow, events.raw to events.canonical:
 * <pre>
 *   read-profiles (bytes) -> decode-profile -> profile-rejected: dead-letter-profile -> write-profile-dlq
 *                                           -> profile-valid: unwrap-profile (allow-listed traits only)
 *                                                             -> profiles-table: merge each change as of its time
 *                                                                [profiles-store, versioned]
 *   read-events-raw (bytes) -> decode -> validate -> apply-tracking-plan -> route
 *       route-rejected: dead-letter -> write-events-dlq
 *       route-accepted: unwrap-event -> deduplicate [dedup-store]
 *                       -> pseudonymize (the privacy step's seam)
 *                       -> stamp-super-properties [profiles-store]
 *                       -> key-by-actor -> write-events-canonical (CloudEvents, binary mode)
 *   with audit.enabled, instead of write-events-canonical (in the same task: chain p = input partition p):
 *                       -> key-by-actor -> audit-chain [audit-chain-state] -> audit-chain-events-sink (events.canonical
 *                                                             partition p, chained)
 *                                                          -> audit-chain-checkpoints-sink (audit.checkpoints)
 *                                                          -> audit-chain-unchainable: reject-unchainable
 *                                                             -> dead-letter-unchainable -> write-unchainable-dlq
 * </pre>
 * Unexpected exceptions on the accepted path go to events.dlq through the exception handlers
 * ({@link io.quintet.enricher.dlq.DeadLetterProcessingHandler} and friends) configured by {@link EnricherConfig}.
 */
public final class EnricherTopology {
    /** Name of the chaining step: processor audit-chain, store audit-chain-state, sinks audit-chain-*-sink. */
    public static final String AUDIT_STEP = "audit-chain";

    private static final Rejection UNCHAINABLE = Rejection.of(
            DlqReason.ENRICHMENT_FAILURE,
            "unchainable",
            "the event has no canonical byte form (a string holding a lone surrogate) and cannot be chained");

    private EnricherTopology() {}

    /** The topology without chaining (audit.enabled=false). */
    public static Topology buildTopology(EnricherSettings s, EnricherTelemetry telemetry, PrivacyStep privacy) {
        return buildTopology(s, telemetry, privacy, Optional.empty());
    }

    /**
     * @param audit the chainer of events.canonical when audit.enabled: the chaining step then replaces the plain
     *              events.canonical sink (chained in the input task, {@link ChainPartitioning#INPUT_PARTITION})
     */
    public static Topology buildTopology(
            EnricherSettings s, EnricherTelemetry telemetry, PrivacyStep privacy, Optional<AuditChainer> audit) {
        return buildTopology(s, telemetry, privacy, audit, ChainPartitioning.INPUT_PARTITION);
    }

    /** Where the chaining step runs and so which partition of events.canonical an event lands in (docs/audit.md). */
    public enum ChainPartitioning {
        /**
         * Chained in the task that enriched the event: partition p of events.canonical is chain p and holds the
         * events of input partition p (events.raw is keyed by actor id, so all of one actor's events, in order).
         * No extra hop; but partition p is not the pseudonym key's default partition.
         */
        INPUT_PARTITION,
        /**
         * Repartitioned by the output key (the pseudonym) first, then chained: partition p of events.canonical is
         * the pseudonym's default partition, as without chaining, at the cost of one more topic hop per event.
         */
        BY_PSEUDONYM
    }

    /**
     * @param audit        the chainer of events.canonical when audit.enabled
     * @param partitioning where the chaining step runs (ignored without audit)
     */
    public static Topology buildTopology(
            EnricherSettings s,
            EnricherTelemetry telemetry,
            PrivacyStep privacy,
            Optional<AuditChainer> audit,
            ChainPartitioning partitioning) {
        TopicCatalogue topics = s.topics();
        Topic<String, CanonicalEvent> canonical = topics.eventsCanonical();
        SchemaCheck schema = new SchemaCheck(s.extraActionTypes());
        EventDecoder decoder = new EventDecoder(Upcasters.standard(), s.plan().eventAliases(), schema, s.limits());
        EventValidator validator = new EventValidator(schema, s.limits());
        TrackingPlanCheck planCheck = new TrackingPlanCheck(s.plan(), telemetry);

        StreamsBuilder builder = new StreamsBuilder();
        Map<String, KStream<String, ProfileUpdate>> profiles = builder.stream(
                        topics.name(TopicCatalogue.PROFILES),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("read-profiles"))
                .mapValues(ProfileUpdate::decode, Named.as("decode-profile"))
                .split(Named.as("profile-"))
                .branch((key, update) -> update.isRejected(), Branched.as("rejected"))
                .defaultBranch(Branched.as("valid"));
        profiles.get("profile-rejected")
                .processValues(() -> new DeadLetterStep<ProfileUpdate>(telemetry), Named.as("dead-letter-profile"))
                .to(
                        topics.name(TopicCatalogue.EVENTS_DLQ),
                        Produced.with(Serdes.String(), Serdes.ByteArray()).withName("write-profile-dlq"));
        builder.addStateStore(StampSuperPropertiesStep.storeBuilder(s.profileHistory()));
        profiles.get("profile-valid")
                .mapValues(
                        u -> u.change() == null ? null : u.change().only(s.superPropertyTraits()),
                        Named.as("unwrap-profile"))
                .process(ApplyProfileChangeStep::new, Named.as("profiles-table"), StampSuperPropertiesStep.STORE);
        builder.addStateStore(DeduplicateStep.storeBuilder(s.dedupWindow()));

        Map<String, KStream<String, Checked>> routes = builder.stream(
                        topics.name(TopicCatalogue.EVENTS_RAW),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("read-events-raw"))
                .processValues(() -> new DecodeStep(decoder, telemetry), Named.as("decode"))
                .mapValues(validator::check, Named.as("validate"))
                .mapValues(planCheck::check, Named.as("apply-tracking-plan"))
                .split(Named.as("route-"))
                .branch((key, checked) -> checked.isRejected(), Branched.as("rejected"))
                .defaultBranch(Branched.as("accepted"));

        routes.get("route-rejected")
                .processValues(() -> new DeadLetterStep<Checked>(telemetry), Named.as("dead-letter"))
                .to(
                        topics.name(TopicCatalogue.EVENTS_DLQ),
                        Produced.with(Serdes.String(), Serdes.ByteArray()).withName("write-events-dlq"));

        KStream<String, CanonicalEvent> deduplicated = routes.get("route-accepted")
                .mapValues(Checked::event, Named.as("unwrap-event"))
                .processValues(
                        () -> new DeduplicateStep(s.dedupWindow(), telemetry),
                        Named.as("deduplicate"),
                        DeduplicateStep.STORE);

        KStream<String, CanonicalEvent> keyed = privacy.pseudonymize(builder, deduplicated)
                .processValues(
                        () -> new StampSuperPropertiesStep(s.superPropertyTraits()),
                        Named.as("stamp-super-properties"),
                        StampSuperPropertiesStep.STORE)
                .process(() -> new KeyByActorStep(telemetry), Named.as("key-by-actor"));
        if (audit.isEmpty()) {
            keyed.to(
                    canonical.name(),
                    Produced.with(canonical.keySerde(), canonical.valueSerde()).withName("write-events-canonical"));
        } else {
            chainToCanonical(keyed, audit.get(), partitioning, topics, telemetry);
        }
        return builder.build();
    }

    /**
     * The audit chaining step as the last step before events.canonical. Chain p is the chaining task's input
     * partition p and lands in partition p of events.canonical: with {@link ChainPartitioning#INPUT_PARTITION} the
     * task that enriched the event (events.raw partition p), with {@link ChainPartitioning#BY_PSEUDONYM} the task of
     * a repartition by the output key, so that partition p is the pseudonym's default partition. Events with no
     * canonical byte form go to events.dlq (enrichment_failure / unchainable).
     */
    private static void chainToCanonical(
            KStream<String, CanonicalEvent> keyed,
            AuditChainer chainer,
            ChainPartitioning partitioning,
            TopicCatalogue topics,
            EnricherTelemetry telemetry) {
        KStream<String, CanonicalEvent> toChain = partitioning == ChainPartitioning.INPUT_PARTITION
                ? keyed
                : keyed.repartition(Repartitioned.with(Serdes.String(), new CanonicalJsonSerde())
                        .withName(AUDIT_STEP + "-by-pseudonym"));
        AuditTopology.chain(
                        toChain,
                        chainer,
                        topics.name(TopicCatalogue.EVENTS_CANONICAL),
                        topics.name(TopicCatalogue.AUDIT_CHECKPOINTS),
                        AUDIT_STEP)
                .mapValues(e -> new Checked(null, e, UNCHAINABLE), Named.as("reject-unchainable"))
                .processValues(() -> new DeadLetterStep<Checked>(telemetry), Named.as("dead-letter-unchainable"))
                .to(
                        topics.name(TopicCatalogue.EVENTS_DLQ),
                        Produced.with(Serdes.String(), Serdes.ByteArray()).withName("write-unchainable-dlq"));
    }
}
