package io.quintet.model.topics;

import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventSerde;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The one source of truth for Quintet's topics (ARCHITECTURE.md, "Topics"): logical names, partitions, cleanup
 * policy, retention and compaction settings. Every name carries the configurable prefix (e.g. {@code acme.} gives
 * {@code acme.events.raw}).
 * <p>
 * Erasure deadline of {@code pii.vault}: a tombstone makes the old value unreachable at once; its bytes leave the
 * disk once the segment is compacted, bounded by {@code segment.ms} + {@code max.compaction.lag.ms}, and the
 * tombstone itself is dropped after {@code delete.retention.ms}: at most {@value #VAULT_ERASURE_DEADLINE_DAYS} days.
 */
public final class TopicCatalogue {
    public static final String EVENTS_RAW = "events.raw";
    public static final String PROFILES = "profiles";
    public static final String ERASURE_REQUESTS = "erasure.requests";
    public static final String EVENTS_CANONICAL = "events.canonical";
    public static final String EVENTS_DLQ = "events.dlq";
    public static final String FEEDS_UPDATES = "feeds.updates";
    public static final String FEEDS_COMMANDS = "feeds.commands";
    public static final String METRICS = "metrics";
    public static final String ALERTS = "alerts";
    public static final String PII_VAULT = "pii.vault";
    public static final String AUDIT_CHECKPOINTS = "audit.checkpoints";

    /** Upper bound, in days, on how long erased vault bytes survive on a broker's disk. */
    public static final int VAULT_ERASURE_DEADLINE_DAYS = 3;

    private final String prefix;
    private final int partitions;
    private final short replicationFactor;

    private TopicCatalogue(String prefix, int partitions, short replicationFactor) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        if (!prefix.isEmpty() && !prefix.matches("[a-zA-Z0-9._-]+")) {
            throw new IllegalArgumentException(
                    "topic prefix '" + prefix + "' may only hold letters, digits, '.', '_' and '-'");
        }
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
    }

    /** Local defaults: no prefix, 6 partitions, replication factor 1. */
    public static TopicCatalogue defaults() {
        return new TopicCatalogue("", 6, (short) 1);
    }

    public static TopicCatalogue of(String prefix, int partitions, short replicationFactor) {
        return new TopicCatalogue(prefix, partitions, replicationFactor);
    }

    public String prefix() {
        return prefix;
    }

    /** The physical name of a logical topic ({@link #EVENTS_RAW}, ...). */
    public String name(String logicalName) {
        return prefix + logicalName;
    }

    /** Raw events as producers publish them: key = actor id, value = canonical CloudEvent (binary mode). */
    public Topic<String, CanonicalEvent> eventsRaw() {
        return new Topic<>(name(EVENTS_RAW), Serdes.String(), new CloudEventSerde());
    }

    /** Pseudonymized canonical events: key = actor pseudonym, value = canonical CloudEvent (binary mode). */
    public Topic<String, CanonicalEvent> eventsCanonical() {
        return new Topic<>(name(EVENTS_CANONICAL), Serdes.String(), new CloudEventSerde());
    }

    public List<TopicSpec> specs() {
        String day = String.valueOf(Duration.ofDays(1).toMillis());
        int minIsr = replicationFactor >= 3 ? 2 : 1;
        return List.of(
                spec(
                        EVENTS_RAW,
                        partitions,
                        withPiiSegments(delete(Duration.ofHours(24), minIsr)),
                        "raw events from producers; holds PII, so retention is short"),
                spec(
                        PROFILES,
                        partitions,
                        compact(minIsr, day, Duration.ofDays(7)),
                        "profile traits from identify calls; source of super-properties"),
                spec(
                        ERASURE_REQUESTS,
                        partitions,
                        withPiiSegments(delete(Duration.ofDays(7), minIsr)),
                        "right-to-be-forgotten commands, keyed by subject id"),
                spec(
                        EVENTS_CANONICAL,
                        partitions,
                        delete(Duration.ofDays(30), minIsr),
                        "pseudonymized canonical events (hot tier); never holds PII"),
                spec(
                        EVENTS_DLQ,
                        partitions,
                        withPiiSegments(delete(Duration.ofDays(7), minIsr)),
                        "dead-lettered records with typed reasons; restricted, may hold PII"),
                spec(
                        FEEDS_UPDATES,
                        partitions,
                        delete(Duration.ofDays(7), minIsr),
                        "feed item changes for push consumers, keyed by recipient pseudonym"),
                spec(
                        FEEDS_COMMANDS,
                        partitions,
                        delete(Duration.ofDays(7), minIsr),
                        "seen/read marks from the feed API, keyed by reader pseudonym"),
                spec(METRICS, partitions, delete(Duration.ofDays(7), minIsr), "windowed metric records"),
                spec(ALERTS, partitions, delete(Duration.ofDays(30), minIsr), "monitoring.alert.* CloudEvents"),
                spec(
                        PII_VAULT,
                        partitions,
                        vault(minIsr, day),
                        "encrypted PII and wrapped data keys; a tombstone is a cryptographic erasure"),
                spec(
                        AUDIT_CHECKPOINTS,
                        partitions,
                        delete(Duration.ofMillis(-1), minIsr),
                        "signed hash-chain checkpoints; kept forever"));
    }

    public TopicSpec spec(String logicalName) {
        return specs().stream()
                .filter(s -> s.name().equals(name(logicalName)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown topic " + logicalName));
    }

    private TopicSpec spec(String logical, int parts, Map<String, String> configs, String purpose) {
        return new TopicSpec(name(logical), parts, replicationFactor, configs, purpose);
    }

    private static Map<String, String> delete(Duration retention, int minIsr) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
        c.put(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(retention.toMillis()));
        c.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(minIsr));
        return c;
    }

    /**
     * Topics that hold raw personal data roll a segment every hour, so deleting by retention is not delayed by the
     * broker's default 7-day segments: data is gone within retention + 1 hour.
     */
    private static Map<String, String> withPiiSegments(Map<String, String> configs) {
        configs.put(
                TopicConfig.SEGMENT_MS_CONFIG,
                String.valueOf(Duration.ofHours(1).toMillis()));
        return configs;
    }

    private static Map<String, String> compact(int minIsr, String deleteRetention, Duration maxLag) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        c.put(TopicConfig.DELETE_RETENTION_MS_CONFIG, deleteRetention);
        c.put(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, String.valueOf(maxLag.toMillis()));
        c.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(minIsr));
        return c;
    }

    private static Map<String, String> vault(int minIsr, String day) {
        // segment.ms 1 d + max.compaction.lag.ms 1 d + delete.retention.ms 1 d = VAULT_ERASURE_DEADLINE_DAYS
        Map<String, String> c = compact(minIsr, day, Duration.ofDays(1));
        c.put(TopicConfig.SEGMENT_MS_CONFIG, day);
        c.put(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.01");
        c.put(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "0");
        c.put(TopicConfig.FILE_DELETE_DELAY_MS_CONFIG, "60000");
        return c;
    }
}
