package io.quintet.enricher;

import io.quintet.enricher.dedup.DeduplicateStep;
import io.quintet.enricher.dlq.DeadLetterStep;
import io.quintet.enricher.pipeline.Checked;
import io.quintet.enricher.pipeline.KeyByActorStep;
import io.quintet.enricher.plan.TrackingPlanCheck;
import io.quintet.enricher.privacy.PrivacyStep;
import io.quintet.enricher.profile.ProfileUpdate;
import io.quintet.enricher.profile.StampSuperPropertiesStep;
import io.quintet.enricher.read.DecodeStep;
import io.quintet.enricher.read.EventDecoder;
import io.quintet.enricher.read.Upcasters;
import io.quintet.enricher.telemetry.EnricherTelemetry;
import io.quintet.enricher.validate.EventValidator;
import io.quintet.enricher.validate.SchemaCheck;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.topics.Topic;
import io.quintet.model.topics.TopicCatalogue;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

import java.util.Map;

/**
 * The enricher's data flow, events.raw to events.canonical:
 * <pre>
 *   read-profiles (bytes) -> decode-profile -> profile-rejected: dead-letter-profile -> write-profile-dlq
 *                                           -> profile-valid: unwrap-profile (allow-listed traits only)
 *                                                             -> profiles-table [profiles-store, versioned]
 *   read-events-raw (bytes) -> decode -> validate -> apply-tracking-plan -> route
 *       route-rejected: dead-letter -> write-events-dlq
 *       route-accepted: unwrap-event -> deduplicate [dedup-store]
 *                       -> pseudonymize (the privacy step's seam)
 *                       -> stamp-super-properties [profiles-store]
 *                       -> key-by-actor -> write-events-canonical (CloudEvents, binary mode)
 * </pre>
 * Unexpected exceptions on the accepted path go to events.dlq through the exception handlers
 * ({@link io.quintet.enricher.dlq.DeadLetterProcessingHandler} and friends) configured by {@link EnricherConfig}.
 */
public final class EnricherTopology {
    private EnricherTopology() {
    }

    public static Topology buildTopology(EnricherSettings s, EnricherTelemetry telemetry, PrivacyStep privacy) {
        TopicCatalogue topics = s.topics();
        Topic<String, CanonicalEvent> canonical = topics.eventsCanonical();
        SchemaCheck schema = new SchemaCheck(s.extraActionTypes());
        EventDecoder decoder = new EventDecoder(Upcasters.standard(), s.plan().eventAliases(), schema, s.limits());
        EventValidator validator = new EventValidator(schema, s.limits());
        TrackingPlanCheck planCheck = new TrackingPlanCheck(s.plan(), telemetry);

        StreamsBuilder builder = new StreamsBuilder();
        Map<String, KStream<String, ProfileUpdate>> profiles = builder
                .stream(topics.name(TopicCatalogue.PROFILES), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("read-profiles"))
                .mapValues(ProfileUpdate::decode, Named.as("decode-profile"))
                .split(Named.as("profile-"))
                .branch((key, update) -> update.isRejected(), Branched.as("rejected"))
                .defaultBranch(Branched.as("valid"));
        profiles.get("profile-rejected")
                .processValues(() -> new DeadLetterStep<ProfileUpdate>(telemetry), Named.as("dead-letter-profile"))
                .to(topics.name(TopicCatalogue.EVENTS_DLQ), Produced.with(Serdes.String(), Serdes.ByteArray()).withName("write-profile-dlq"));
        profiles.get("profile-valid")
                .mapValues(u -> u.profile() == null ? null : u.profile().only(s.superPropertyTraits()), Named.as("unwrap-profile"))
                .toTable(Named.as("profiles-table"), StampSuperPropertiesStep.materialized(s.profileHistory()));
        builder.addStateStore(DeduplicateStep.storeBuilder(s.dedupWindow()));

        Map<String, KStream<String, Checked>> routes = builder
                .stream(topics.name(TopicCatalogue.EVENTS_RAW), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("read-events-raw"))
                .processValues(() -> new DecodeStep(decoder, telemetry), Named.as("decode"))
                .mapValues(validator::check, Named.as("validate"))
                .mapValues(planCheck::check, Named.as("apply-tracking-plan"))
                .split(Named.as("route-"))
                .branch((key, checked) -> checked.isRejected(), Branched.as("rejected"))
                .defaultBranch(Branched.as("accepted"));

        routes.get("route-rejected")
                .processValues(() -> new DeadLetterStep<Checked>(telemetry), Named.as("dead-letter"))
                .to(topics.name(TopicCatalogue.EVENTS_DLQ), Produced.with(Serdes.String(), Serdes.ByteArray()).withName("write-events-dlq"));

        KStream<String, CanonicalEvent> deduplicated = routes.get("route-accepted")
                .mapValues(Checked::event, Named.as("unwrap-event"))
                .processValues(() -> new DeduplicateStep(s.dedupWindow(), telemetry), Named.as("deduplicate"), DeduplicateStep.STORE);

        privacy.pseudonymize(builder, deduplicated)
                .processValues(() -> new StampSuperPropertiesStep(s.superPropertyTraits()), Named.as("stamp-super-properties"),
                        StampSuperPropertiesStep.STORE)
                .process(() -> new KeyByActorStep(telemetry), Named.as("key-by-actor"))
                .to(canonical.name(), Produced.with(canonical.keySerde(), canonical.valueSerde()).withName("write-events-canonical"));

        return builder.build();
    }
}
