package io.quintet.gateway.config;

import io.quintet.gateway.auth.WriteKey;
import io.quintet.gateway.http.ClientAddressResolver;
import io.quintet.gateway.ingest.Limits;
import io.quintet.gateway.segment.SegmentSettings;
import io.quintet.model.Action;
import io.quintet.model.ActionName;
import io.quintet.model.InvalidActionNameException;
import io.quintet.model.OrganizationId;
import io.quintet.model.limits.EventLimits;
import io.quintet.model.plan.TrackingPlan;
import io.quintet.model.plan.TrackingPlanSettings;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.support.config.ConfigLoader;
import io.quintet.support.config.ConfigLoader.InvalidConfigException;
import io.quintet.support.config.ServiceConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;

/**
 * The gateway's typed configuration: {@link #DEFINITION} declares every setting with its default; values come from
 * the defaults, then a properties file, then {@code QUINTET_GATEWAY_*} environment variables ({@link ConfigLoader}).
 * Every problem (bad value, malformed write key or alias entry, unknown setting) is reported at once.
 */
public final class GatewayConfig extends ServiceConfig {
    public static final String ENV_PREFIX = "QUINTET_GATEWAY_";

    public static final String HTTP_HOST = "http.host";
    public static final String HTTP_PORT = "http.port";
    public static final String HTTP_EVENT_LOOPS = "http.event.loops";
    public static final String HTTP_TRUSTED_PROXIES = "http.trusted.proxies";
    public static final String KAFKA_BOOTSTRAP = "kafka.bootstrap.servers";
    public static final String KAFKA_DELIVERY_TIMEOUT_MS = "kafka.delivery.timeout.ms";
    public static final String KAFKA_LINGER_MS = "kafka.linger.ms";
    public static final String KAFKA_HEALTH_INTERVAL_MS = "kafka.health.interval.ms";
    public static final String TOPICS_PREFIX = "topics.prefix";
    public static final String AUTH_WRITE_KEYS = "auth.write.keys";
    public static final String AUTH_ERASURE_KEYS = "auth.erasure.keys";
    public static final String AUTH_KEY_ORGANIZATIONS = "auth.write.key.organizations";
    public static final String RATE_PER_SECOND = "rate.limit.events.per.second";
    public static final String RATE_BURST = "rate.limit.burst";
    public static final String LIMIT_EVENT_BYTES = EventLimits.MAX_RECORD_BYTES;
    public static final String LIMIT_PROPERTIES = "limits.object.max.properties";
    public static final String LIMIT_DEPTH = "limits.max.depth";
    public static final String LIMIT_BATCH_EVENTS = "limits.batch.max.events";
    public static final String LIMIT_BATCH_BYTES = "limits.batch.max.bytes";
    public static final String LIMIT_FUTURE_MS = "limits.future.tolerance.ms";
    public static final String LIMIT_MAX_AGE_MS = "limits.max.age.ms";
    public static final String SEGMENT_ALIASES = "segment.aliases";
    public static final String SEGMENT_UNMAPPED = "segment.unmapped.events";
    public static final String SEGMENT_DOMAIN = "segment.default.domain";
    public static final String SEGMENT_TRACK_TYPE = "segment.track.action.type";
    public static final String SEGMENT_PAGE = "segment.page.action";
    public static final String SEGMENT_SCREEN = "segment.screen.action";
    public static final String SEGMENT_IDENTIFY = "segment.identify.action";
    public static final String SEGMENT_GROUP = "segment.group.action";
    public static final String SEGMENT_ALIAS = "segment.alias.action";
    public static final String VALIDATION_SCHEMA = "validation.schema.enabled";
    public static final String VALIDATION_MODE = "validation.mode";
    public static final String METRICS_ENABLED = "metrics.enabled";
    public static final String REJECTIONS_ENABLED = "rejections.enabled";
    public static final String REJECTIONS_PER_SOURCE = "rejections.per.source";
    public static final String REJECTIONS_MAX_SOURCES = "rejections.max.sources";
    public static final String REJECTIONS_LOOKBACK_MS = "rejections.lookback.ms";
    public static final String SHUTDOWN_TIMEOUT_MS = "shutdown.timeout.ms";

    /** Producer settings the gateway's delivery guarantee depends on; {@code kafka.client.*} may not change them. */
    static final Set<String> FIXED_PRODUCER_SETTINGS = Set.of(
            ProducerConfig.ACKS_CONFIG,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            ProducerConfig.MAX_BLOCK_MS_CONFIG,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);

    public static final ConfigDef DEFINITION = TrackingPlanSettings.define(EventLimits.define(new ConfigDef()))
            .define(HTTP_HOST, Type.STRING, "0.0.0.0", Importance.HIGH, "address the HTTP server binds to")
            .define(
                    HTTP_PORT,
                    Type.INT,
                    8080,
                    Range.between(0, 65535),
                    Importance.HIGH,
                    "HTTP port; 0 picks a free port")
            .define(
                    HTTP_EVENT_LOOPS,
                    Type.INT,
                    0,
                    Range.atLeast(0),
                    Importance.LOW,
                    "HTTP server instances (Vert.x event loops); 0 = one per core")
            .define(
                    HTTP_TRUSTED_PROXIES,
                    Type.LIST,
                    "",
                    Importance.MEDIUM,
                    "addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed")
            .define(KAFKA_BOOTSTRAP, Type.STRING, "localhost:9092", Importance.HIGH, "Kafka bootstrap servers")
            .define(
                    KAFKA_DELIVERY_TIMEOUT_MS,
                    Type.INT,
                    15_000,
                    Range.atLeast(1_000),
                    Importance.MEDIUM,
                    "upper bound on waiting for Kafka's acknowledgement before answering 503 (producer delivery.timeout.ms)")
            // 1 ms, not Kafka's 5: under many concurrent single-event requests every request waited for the linger,
            // so 32 connections topped out near 3,100 req/s with cores to spare; 1 ms gave 5,900, 0 gave 7,000 but
            // at 18 % more CPU per request (smaller produce requests; docs/benchmarks.md)
            .define(
                    KAFKA_LINGER_MS,
                    Type.INT,
                    1,
                    Range.between(0, 1_000),
                    Importance.LOW,
                    "producer linger.ms: how long the producer waits to fill a batch")
            .define(
                    KAFKA_HEALTH_INTERVAL_MS,
                    Type.INT,
                    2_000,
                    Range.atLeast(100),
                    Importance.LOW,
                    "how often Kafka reachability (and the topics) are checked for /readyz and the 503 gate")
            .define(TOPICS_PREFIX, Type.STRING, "", Importance.MEDIUM, "prefix of every topic name")
            .define(
                    AUTH_WRITE_KEYS,
                    Type.LIST,
                    "",
                    Importance.HIGH,
                    "write keys: id:sha256-hex:source|source|prefix*  (one entry per key; see docs/ingest-gateway.md)")
            .define(
                    AUTH_ERASURE_KEYS,
                    Type.LIST,
                    "",
                    Importance.HIGH,
                    "ids of the write keys allowed to request erasures")
            .define(
                    AUTH_KEY_ORGANIZATIONS,
                    Type.LIST,
                    "",
                    Importance.MEDIUM,
                    "write keys bound to one organisation (tenant): key-id=organization-id entries; such a key stamps "
                            + "organization_id on events without one and may not publish another organisation's (403)")
            .define(
                    RATE_PER_SECOND,
                    Type.DOUBLE,
                    10_000.0,
                    Importance.MEDIUM,
                    "events per second per write key (token bucket); 0 disables rate limiting")
            .define(
                    RATE_BURST,
                    Type.LONG,
                    20_000L,
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "events a write key may send at once (bucket size)")
            .define(
                    LIMIT_PROPERTIES,
                    Type.INT,
                    255,
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "most properties in any one JSON object of an event")
            .define(
                    LIMIT_DEPTH,
                    Type.INT,
                    16,
                    Range.between(2, 256),
                    Importance.MEDIUM,
                    "deepest nesting of objects and arrays in an event")
            .define(
                    LIMIT_BATCH_EVENTS,
                    Type.INT,
                    2_000,
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "most events in one request")
            .define(
                    LIMIT_BATCH_BYTES,
                    Type.LONG,
                    20L << 20,
                    Range.atLeast(1_024),
                    Importance.MEDIUM,
                    "largest request body")
            .define(
                    LIMIT_FUTURE_MS,
                    Type.LONG,
                    Duration.ofHours(1).toMillis(),
                    Range.atLeast(0),
                    Importance.LOW,
                    "how far event_timestamp may lie in the future")
            .define(
                    LIMIT_MAX_AGE_MS,
                    Type.LONG,
                    Duration.ofDays(7).toMillis(),
                    Range.atLeast(1),
                    Importance.LOW,
                    "oldest event_timestamp accepted (default: the enricher's 7-day deduplication window)")
            .define(
                    SEGMENT_ALIASES,
                    Type.LIST,
                    "",
                    Importance.MEDIUM,
                    "Segment event name -> action: 'Order Completed=commerce.order.completed:create' (type optional)")
            .define(
                    SEGMENT_UNMAPPED,
                    Type.STRING,
                    "derive",
                    ValidString.in("derive", "reject"),
                    Importance.MEDIUM,
                    "track events without alias: derive <domain>.<object>.<action> from 'Object Action', or reject")
            .define(SEGMENT_DOMAIN, Type.STRING, "analytics", Importance.LOW, "domain of derived action names")
            .define(
                    SEGMENT_TRACK_TYPE,
                    Type.STRING,
                    "other",
                    Importance.LOW,
                    "action.type of track events whose alias gives none")
            .define(SEGMENT_PAGE, Type.STRING, "analytics.page.viewed:read", Importance.LOW, "action of page calls")
            .define(
                    SEGMENT_SCREEN,
                    Type.STRING,
                    "analytics.screen.viewed:read",
                    Importance.LOW,
                    "action of screen calls")
            .define(
                    SEGMENT_IDENTIFY,
                    Type.STRING,
                    "identity.profile.identified:update",
                    Importance.LOW,
                    "action of identify calls (written to the profiles topic)")
            .define(
                    SEGMENT_GROUP,
                    Type.STRING,
                    "identity.group.associated:update",
                    Importance.LOW,
                    "action of group calls (written to the profiles topic)")
            .define(SEGMENT_ALIAS, Type.STRING, "identity.user.aliased:update", Importance.LOW, "action of alias calls")
            .define(
                    VALIDATION_SCHEMA,
                    Type.BOOLEAN,
                    false,
                    Importance.MEDIUM,
                    "also check every event against the full canonical JSON Schema at the edge (formats, nested "
                            + "types); costs several times the rest of the gateway's work per event. Required fields, "
                            + "enums, action name, limits and timestamps are always checked; the enricher validates fully")
            .define(
                    VALIDATION_MODE,
                    Type.STRING,
                    "edge",
                    ValidString.in("edge", "strict"),
                    Importance.MEDIUM,
                    "strict: also apply the tracking plan (" + TrackingPlanSettings.PLAN_FILE
                            + ", the enricher's) at the "
                            + "edge and answer 422 with the violations the dead letter would carry; edge: leave it to the enricher")
            .define(METRICS_ENABLED, Type.BOOLEAN, true, Importance.LOW, "serve Prometheus metrics at GET /metrics")
            .define(
                    REJECTIONS_ENABLED,
                    Type.BOOLEAN,
                    true,
                    Importance.MEDIUM,
                    "follow events.dlq and serve each source's recent dead letters at GET /v1/sources/{source}/rejections")
            .define(
                    REJECTIONS_PER_SOURCE,
                    Type.INT,
                    100,
                    Range.between(1, 10_000),
                    Importance.LOW,
                    "dead letters kept in memory per source (the oldest goes first)")
            .define(
                    REJECTIONS_MAX_SOURCES,
                    Type.INT,
                    1_000,
                    Range.atLeast(1),
                    Importance.LOW,
                    "sources whose dead letters are kept (the one rejected least recently goes first)")
            .define(
                    REJECTIONS_LOOKBACK_MS,
                    Type.LONG,
                    Duration.ofHours(1).toMillis(),
                    Range.atLeast(0),
                    Importance.LOW,
                    "how far back events.dlq is read when the gateway starts")
            .define(
                    SHUTDOWN_TIMEOUT_MS,
                    Type.INT,
                    30_000,
                    Range.atLeast(0),
                    Importance.LOW,
                    "how long shutdown waits for in-flight requests to be answered");

    /** The tracking plan in strict mode, else null. */
    private final TrackingPlan plan;

    private final List<WriteKey> writeKeys;
    private final SegmentSettings segment;

    /** {@code settings} have passed every check of {@link #of}. */
    private GatewayConfig(Map<String, String> settings) {
        super(DEFINITION, settings);
        this.writeKeys = parseWriteKeys(values(), new ArrayList<>());
        this.segment = parseSegment(values(), new ArrayList<>());
        this.plan = strict(values()) ? TrackingPlanSettings.load(values(), new ArrayList<>()) : null;
    }

    /** Loads from an optional properties file and the environment. */
    public static GatewayConfig load(Path file, Map<String, String> env) {
        return of(ConfigLoader.raw(file, env, ENV_PREFIX));
    }

    /** From explicit settings (tests, embedding); defaults apply to everything not given. */
    public static GatewayConfig of(Map<String, String> settings) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> values;
        try {
            values = ConfigLoader.validate(DEFINITION, settings);
        } catch (InvalidConfigException e) {
            problems.addAll(e.problems());
            values = lenient(settings);
        }
        parseWriteKeys(values, problems);
        parseSegment(values, problems);
        ConfigLoader.kafkaClientOverrides(values).keySet().stream()
                .filter(FIXED_PRODUCER_SETTINGS::contains)
                .forEach(k -> problems.add("kafka.client." + k + ": fixed by the gateway (acks=all, idempotence, "
                        + "non-blocking sends; use " + KAFKA_DELIVERY_TIMEOUT_MS + " for the delivery timeout)"));
        try {
            new ClientAddressResolver(asList(values.get(HTTP_TRUSTED_PROXIES)));
        } catch (IllegalArgumentException e) {
            problems.add(HTTP_TRUSTED_PROXIES + ": " + e.getMessage());
        }
        if (values.get(LIMIT_BATCH_BYTES) instanceof Long batch
                && values.get(LIMIT_EVENT_BYTES) instanceof Integer event
                && batch < event) {
            problems.add(LIMIT_BATCH_BYTES + ": must be at least " + LIMIT_EVENT_BYTES);
        }
        if (strict(values)) {
            TrackingPlanSettings.load(values, problems);
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return new GatewayConfig(settings);
    }

    /**
     * Every setting parsed on its own, the default (or nothing) where a value is bad, so that the structured
     * settings (write keys, aliases) can still be checked and reported alongside ConfigLoader's findings.
     */
    private static Map<String, Object> lenient(Map<String, String> settings) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (ConfigDef.ConfigKey key : DEFINITION.configKeys().values()) {
            Object v = key.hasDefault() ? key.defaultValue : null;
            String given = settings.get(key.name);
            if (given != null) {
                try {
                    v = ConfigDef.parseType(key.name, given, key.type);
                } catch (org.apache.kafka.common.config.ConfigException e) {
                    // reported by ConfigLoader already
                }
            }
            if (v != null) {
                out.put(key.name, v);
            }
        }
        settings.forEach((k, v) -> {
            if (k.startsWith("kafka.client.")) {
                out.put(k, v);
            }
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<String> asList(Object v) {
        return v instanceof List<?> l ? (List<String>) l : List.of();
    }

    public String httpHost() {
        return getString(HTTP_HOST);
    }

    public int httpPort() {
        return getInt(HTTP_PORT);
    }

    public int eventLoops() {
        int n = getInt(HTTP_EVENT_LOOPS);
        return n > 0 ? n : Runtime.getRuntime().availableProcessors();
    }

    public List<String> trustedProxies() {
        return getList(HTTP_TRUSTED_PROXIES);
    }

    public String bootstrapServers() {
        return getString(KAFKA_BOOTSTRAP);
    }

    public int deliveryTimeoutMs() {
        return getInt(KAFKA_DELIVERY_TIMEOUT_MS);
    }

    public int lingerMs() {
        return getInt(KAFKA_LINGER_MS);
    }

    public Duration healthInterval() {
        return Duration.ofMillis(getInt(KAFKA_HEALTH_INTERVAL_MS));
    }

    public TopicCatalogue topics() {
        return TopicCatalogue.of(getString(TOPICS_PREFIX), 6, (short) 1);
    }

    public List<WriteKey> writeKeys() {
        return writeKeys;
    }

    public double ratePerSecond() {
        return getDouble(RATE_PER_SECOND);
    }

    public long rateBurst() {
        return getLong(RATE_BURST);
    }

    public SegmentSettings segment() {
        return segment;
    }

    public boolean schemaValidation() {
        return getBoolean(VALIDATION_SCHEMA);
    }

    public boolean metricsEnabled() {
        return getBoolean(METRICS_ENABLED);
    }

    public Duration shutdownTimeout() {
        return Duration.ofMillis(getInt(SHUTDOWN_TIMEOUT_MS));
    }

    public boolean rejectionsEnabled() {
        return getBoolean(REJECTIONS_ENABLED);
    }

    public int rejectionsPerSource() {
        return getInt(REJECTIONS_PER_SOURCE);
    }

    public int rejectionsMaxSources() {
        return getInt(REJECTIONS_MAX_SOURCES);
    }

    public Duration rejectionsLookback() {
        return getMillis(REJECTIONS_LOOKBACK_MS);
    }

    /** The tracking plan the gateway applies in strict mode; empty in edge mode. */
    public Optional<TrackingPlan> strictPlan() {
        return Optional.ofNullable(plan);
    }

    private static boolean strict(Map<String, ?> values) {
        return "strict".equals(values.get(VALIDATION_MODE));
    }

    public Limits limits() {
        return new Limits(
                EventLimits.from(values()),
                getInt(LIMIT_PROPERTIES),
                getInt(LIMIT_DEPTH),
                getInt(LIMIT_BATCH_EVENTS),
                getLong(LIMIT_BATCH_BYTES),
                Duration.ofMillis(getLong(LIMIT_FUTURE_MS)),
                Duration.ofMillis(getLong(LIMIT_MAX_AGE_MS)));
    }

    private static List<WriteKey> parseWriteKeys(Map<String, ?> values, List<String> problems) {
        Set<String> erasers = new HashSet<>(asList(values.get(AUTH_ERASURE_KEYS)));
        List<WriteKey> keys = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (String entry : asList(values.get(AUTH_WRITE_KEYS))) {
            String[] parts = entry.split(":", 3);
            if (parts.length != 3 || parts[0].isBlank() || parts[2].isBlank()) {
                problems.add(AUTH_WRITE_KEYS + ": entry '" + redact(entry)
                        + "' is not id:sha256-hex:sources (sources separated by '|')");
                continue;
            }
            String id = parts[0].trim();
            byte[] digest;
            try {
                digest = HexFormat.of().parseHex(parts[1].trim().toLowerCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                digest = new byte[0];
            }
            if (digest.length != 32) {
                problems.add(AUTH_WRITE_KEYS + ": key '" + id + "': the second field must be the 64-hex-digit SHA-256 "
                        + "of the key (GatewayMain hash-key <key>), never the key itself");
                continue;
            }
            if (!ids.add(id)) {
                problems.add(AUTH_WRITE_KEYS + ": key id '" + id + "' appears twice");
                continue;
            }
            List<String> sources = new ArrayList<>();
            for (String s : parts[2].split("\\|")) {
                if (!s.isBlank()) {
                    sources.add(s.trim());
                }
            }
            keys.add(new WriteKey(id, digest, sources, erasers.contains(id)));
        }
        keys = bindOrganizations(keys, asList(values.get(AUTH_KEY_ORGANIZATIONS)), problems);
        erasers.stream()
                .filter(e -> !ids.contains(e))
                .forEach(
                        e -> problems.add(AUTH_ERASURE_KEYS + ": '" + e + "' is not the id of a configured write key"));
        return List.copyOf(keys);
    }

    /** Applies {@link #AUTH_KEY_ORGANIZATIONS} ({@code key-id=organization-id}) to the parsed keys. */
    private static List<WriteKey> bindOrganizations(List<WriteKey> keys, List<String> entries, List<String> problems) {
        Map<String, String> bound = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            String keyId = eq < 0 ? entry.trim() : entry.substring(0, eq).trim();
            String organization = eq < 0 ? "" : entry.substring(eq + 1).trim();
            if (eq <= 0 || organization.isEmpty()) {
                problems.add(AUTH_KEY_ORGANIZATIONS + ": entry '" + entry + "' is not key-id=organization-id");
            } else if (!OrganizationId.isValid(organization)) {
                problems.add(AUTH_KEY_ORGANIZATIONS + ": key '" + keyId + "': '" + organization + "' is not an "
                        + "organization id (1-" + OrganizationId.MAX_LENGTH + " characters: a letter or digit, then "
                        + "letters, digits, '.', '_', ':' or '-')");
            } else if (bound.put(keyId, organization) != null) {
                problems.add(AUTH_KEY_ORGANIZATIONS + ": key '" + keyId + "' is bound twice");
            } else if (keys.stream().noneMatch(k -> k.id().equals(keyId))) {
                problems.add(AUTH_KEY_ORGANIZATIONS + ": '" + keyId + "' is not the id of a configured write key");
            }
        }
        return keys.stream()
                .map(k -> bound.containsKey(k.id()) ? k.boundTo(bound.get(k.id())) : k)
                .toList();
    }

    /** Never echo a whole malformed entry: it might be a secret pasted in the wrong place. */
    private static String redact(String entry) {
        return entry.length() <= 6 ? "***" : entry.substring(0, 3) + "***";
    }

    private static SegmentSettings parseSegment(Map<String, ?> values, List<String> problems) {
        Map<String, Action> aliases = new LinkedHashMap<>();
        for (String entry : asList(values.get(SEGMENT_ALIASES))) {
            int eq = entry.lastIndexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                problems.add(
                        SEGMENT_ALIASES + ": entry '" + entry + "' is not 'Segment Event=domain.entity.action[:type]'");
                continue;
            }
            Action a = parseAction(
                    SEGMENT_ALIASES + " '" + entry + "'",
                    entry.substring(eq + 1).trim(),
                    null,
                    problems);
            if (a != null) {
                aliases.put(entry.substring(0, eq).trim(), a);
            }
        }
        String trackType = (String) values.get(SEGMENT_TRACK_TYPE);
        checkType(SEGMENT_TRACK_TYPE, trackType, problems);
        String domain = (String) values.get(SEGMENT_DOMAIN);
        if (!ActionName.isValid(domain + ".entity.action")) {
            problems.add(SEGMENT_DOMAIN + ": '" + domain + "' is not a lower snake-case segment");
        }
        return new SegmentSettings(
                aliases,
                "derive".equals(values.get(SEGMENT_UNMAPPED)),
                domain,
                trackType,
                parseAction(SEGMENT_PAGE, (String) values.get(SEGMENT_PAGE), "read", problems),
                parseAction(SEGMENT_SCREEN, (String) values.get(SEGMENT_SCREEN), "read", problems),
                parseAction(SEGMENT_IDENTIFY, (String) values.get(SEGMENT_IDENTIFY), "update", problems),
                parseAction(SEGMENT_GROUP, (String) values.get(SEGMENT_GROUP), "update", problems),
                parseAction(SEGMENT_ALIAS, (String) values.get(SEGMENT_ALIAS), "update", problems));
    }

    /** {@code name[:type]}; null (with a problem recorded) when invalid. */
    private static Action parseAction(String what, String value, String defaultType, List<String> problems) {
        int colon = value.indexOf(':');
        String name = colon < 0 ? value : value.substring(0, colon).trim();
        String type = colon < 0 ? defaultType : value.substring(colon + 1).trim();
        try {
            ActionName.parse(name);
        } catch (InvalidActionNameException e) {
            problems.add(what + ": " + e.getMessage());
            return null;
        }
        if (type != null && !checkType(what, type, problems)) {
            return null;
        }
        return new Action(name, type);
    }

    private static boolean checkType(String what, String type, List<String> problems) {
        if (!Action.DEFAULT_TYPES.contains(type)) {
            problems.add(what + ": action type '" + type + "' is not one of "
                    + new java.util.TreeSet<>(Action.DEFAULT_TYPES));
            return false;
        }
        return true;
    }
}
