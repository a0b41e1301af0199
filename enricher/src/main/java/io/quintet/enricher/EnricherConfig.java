package io.quintet.enricher;

import io.quintet.audit.AuditChainer;
import io.quintet.audit.AuditSettings;
import io.quintet.enricher.dlq.DeadLetterDeserializationHandler;
import io.quintet.enricher.dlq.DeadLetterProcessingHandler;
import io.quintet.enricher.dlq.DeadLetterProductionHandler;
import io.quintet.enricher.privacy.Keyring;
import io.quintet.enricher.privacy.PiiClassification;
import io.quintet.enricher.privacy.PrivacySettings;
import io.quintet.model.limits.EventLimits;
import io.quintet.model.plan.TrackingPlan;
import io.quintet.model.plan.TrackingPlanSettings;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.support.config.ConfigLoader;
import io.quintet.support.config.ServiceConfig;
import io.quintet.support.streams.StreamsClientDefaults;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The enricher's typed configuration: ConfigDef defaults, then a properties file, then {@code QUINTET_ENRICHER_*}
 * environment variables (see {@link ConfigLoader}); every bad setting is reported at once. Read through
 * {@link ServiceConfig}'s typed getters. Settings under
 * {@code kafka.client.} pass through to the Kafka Streams clients unchanged. The sample file
 * {@code enricher/config/enricher.properties.sample} documents each key.
 */
public final class EnricherConfig extends ServiceConfig {
    public static final String ENV_PREFIX = "QUINTET_ENRICHER_";

    public static final String BOOTSTRAP = "kafka.bootstrap.servers";
    public static final String APPLICATION_ID = "application.id";
    public static final String TOPIC_PREFIX = "topics.prefix";
    public static final String STATE_DIR = "state.dir";
    public static final String THREADS = "num.stream.threads";
    public static final String COMMIT_INTERVAL = "commit.interval.ms";
    public static final String DEDUP_WINDOW = "dedup.window.ms";
    public static final String PLAN_FILE = TrackingPlanSettings.PLAN_FILE;
    public static final String PLAN_UNPLANNED_EVENTS = TrackingPlanSettings.PLAN_UNPLANNED_EVENTS;
    public static final String PLAN_UNPLANNED_PROPERTIES = TrackingPlanSettings.PLAN_UNPLANNED_PROPERTIES;
    public static final String EXTRA_ACTION_TYPES = "action.types.extra";
    public static final String TRAITS = "super.properties.traits";
    public static final String PROFILE_HISTORY = "profiles.history.ms";
    public static final String PRIVACY_ENABLED = "privacy.enabled";
    public static final String MASTER_KEYS = "privacy.master.keys";
    public static final String MASTER_KEYS_FILE = "privacy.master.keys.file";
    public static final String MASTER_KEY_ACTIVE = "privacy.master.key.active";
    public static final String PERSON_ACTOR_TYPES = "privacy.person.actor.types";
    public static final String PERSON_ENTITY_TYPES = "privacy.person.entity.types";
    public static final String IDENTIFIER_PATHS = "privacy.identifier.paths";
    public static final String PII_PATHS = "privacy.pii.paths";
    public static final String PII_UNPLANNED_PROPERTIES = "privacy.pii.unplanned.properties";
    public static final String IP_MODE = "privacy.ip.mode";
    public static final String MAX_REFERENCES = "privacy.max.subject.references";
    public static final String ROTATION_INTERVAL = "privacy.rotation.interval.ms";
    public static final String VAULT_REFRESH = "privacy.vault.refresh.ms";
    public static final String LOOKUP_PORT = "privacy.lookup.port";
    public static final String LOOKUP_TOKENS = "privacy.lookup.tokens";
    public static final String HEALTH_PORT = "health.port";
    public static final String AUDIT_ENABLED = "audit.enabled";

    public static final ConfigDef DEF =
            withAuditSettings(TrackingPlanSettings.define(EventLimits.define(new ConfigDef()))
                    .define(BOOTSTRAP, Type.STRING, "127.0.0.1:9092", Importance.HIGH, "Kafka bootstrap servers")
                    .define(
                            APPLICATION_ID,
                            Type.STRING,
                            "quintet-enricher",
                            Importance.HIGH,
                            "Kafka Streams application id (consumer group, prefix of internal topics)")
                    .define(
                            TOPIC_PREFIX,
                            Type.STRING,
                            "",
                            Importance.MEDIUM,
                            "prefix of every Quintet topic name, e.g. 'acme.'")
                    .define(
                            STATE_DIR,
                            Type.STRING,
                            Path.of(System.getProperty("java.io.tmpdir"), "quintet-enricher")
                                    .toString(),
                            Importance.MEDIUM,
                            "directory of the local state stores (dedup, profiles)")
                    .define(THREADS, Type.INT, 1, ConfigDef.Range.atLeast(1), Importance.MEDIUM, "stream threads")
                    .define(
                            COMMIT_INTERVAL,
                            Type.LONG,
                            100L,
                            ConfigDef.Range.atLeast(1),
                            Importance.MEDIUM,
                            "transaction commit interval (exactly-once); bounds end-to-end latency")
                    .define(
                            DEDUP_WINDOW,
                            Type.LONG,
                            EnricherSettings.DEFAULT_DEDUP_WINDOW.toMillis(),
                            ConfigDef.Range.atLeast(1000),
                            Importance.MEDIUM,
                            "how long a (source, id) pair is remembered for deduplication")
                    .define(
                            EXTRA_ACTION_TYPES,
                            Type.LIST,
                            "",
                            Importance.LOW,
                            "action types accepted besides the standard eight")
                    .define(
                            TRAITS,
                            Type.LIST,
                            String.join(",", EnricherSettings.DEFAULT_TRAITS),
                            Importance.MEDIUM,
                            "profile traits stamped into user_state_snapshot (allow-list)")
                    .define(
                            PROFILE_HISTORY,
                            Type.LONG,
                            EnricherSettings.DEFAULT_PROFILE_HISTORY.toMillis(),
                            ConfigDef.Range.atLeast(1000),
                            Importance.LOW,
                            "how long old profile versions are kept, i.e. how late an event may be and still get the profile it had then")
                    .define(
                            PRIVACY_ENABLED,
                            Type.BOOLEAN,
                            true,
                            Importance.HIGH,
                            "pseudonymize before events.canonical; false lets personal data through (development only)")
                    .define(
                            MASTER_KEYS,
                            Type.PASSWORD,
                            "",
                            Importance.HIGH,
                            "master keys wrapping the per-subject data keys: 'id:base64,id:base64' (AES-128/192/256)")
                    .define(
                            MASTER_KEYS_FILE,
                            Type.STRING,
                            "",
                            Importance.HIGH,
                            "file with 'id=base64' lines, instead of " + MASTER_KEYS)
                    .define(
                            MASTER_KEY_ACTIVE,
                            Type.STRING,
                            "",
                            Importance.HIGH,
                            "id of the master key new data keys are wrapped with; the others are re-wrapped (rotation)")
                    .define(
                            PERSON_ACTOR_TYPES,
                            Type.LIST,
                            String.join(",", new java.util.TreeSet<>(PrivacySettings.DEFAULT_ACTOR_TYPES)),
                            Importance.MEDIUM,
                            "actor types whose actor.id identifies a person")
                    .define(
                            PERSON_ENTITY_TYPES,
                            Type.LIST,
                            String.join(",", new java.util.TreeSet<>(PrivacySettings.DEFAULT_ENTITY_TYPES)),
                            Importance.MEDIUM,
                            "entity types whose entity.id identifies a person")
                    .define(
                            IDENTIFIER_PATHS,
                            Type.LIST,
                            String.join(",", PrivacySettings.DEFAULT_IDENTIFIER_PATHS),
                            Importance.MEDIUM,
                            "further fields holding a person's id (dotted path or JSON pointer), replaced by that person's pseudonym")
                    .define(
                            PII_PATHS,
                            Type.LIST,
                            String.join(",", PrivacySettings.DEFAULT_PII_PATHS),
                            Importance.MEDIUM,
                            "fields of every event holding the actor's personal data, removed and kept in the vault ('properties.x' "
                                    + "= analytics property x); per event type, the tracking plan adds its own (pii, pii_paths)")
                    .define(
                            PII_UNPLANNED_PROPERTIES,
                            Type.LIST,
                            String.join(",", PrivacySettings.DEFAULT_UNPLANNED_PII_PROPERTIES),
                            Importance.MEDIUM,
                            "analytics property names that are personal data where the tracking plan does not "
                                    + "classify the property (compared without case and separators; 'name' is not on the default list)")
                    .define(
                            IP_MODE,
                            Type.STRING,
                            "remove",
                            ConfigDef.ValidString.in("remove", "coarse"),
                            Importance.MEDIUM,
                            "context.client.ip_address: remove, or keep coarse (IPv4 /24, IPv6 /48)")
                    .define(
                            MAX_REFERENCES,
                            Type.INT,
                            3,
                            ConfigDef.Range.between(1, 10),
                            Importance.LOW,
                            "most distinct other persons one event may reference (one repartition hop each)")
                    .define(
                            ROTATION_INTERVAL,
                            Type.LONG,
                            60_000L,
                            ConfigDef.Range.atLeast(100),
                            Importance.LOW,
                            "how often each task re-wraps data keys wrapped with a retired master key")
                    .define(
                            VAULT_REFRESH,
                            Type.LONG,
                            0L,
                            ConfigDef.Range.atLeast(0),
                            Importance.LOW,
                            "how long a person's vault entry may keep an old value of a field it holds (an IP address"
                                    + " that changed) before the new one is written; a field it does not hold yet is"
                                    + " written at once. 0 = every change at once")
                    .define(
                            LOOKUP_PORT,
                            Type.INT,
                            -1,
                            ConfigDef.Range.atLeast(-1),
                            Importance.MEDIUM,
                            "port of the re-identification lookup API; -1 = off, 0 = any free port")
                    .define(
                            LOOKUP_TOKENS,
                            Type.PASSWORD,
                            "",
                            Importance.MEDIUM,
                            "callers allowed to use the lookup API: 'caller:token,caller:token' (bearer tokens)")
                    .define(
                            HEALTH_PORT,
                            Type.INT,
                            -1,
                            ConfigDef.Range.between(-1, 65535),
                            Importance.LOW,
                            "port of GET /healthz and /readyz (Kafka Streams RUNNING) for probes; -1 = off, 0 = any free port")
                    .define(
                            AUDIT_ENABLED,
                            Type.BOOLEAN,
                            false,
                            Importance.HIGH,
                            "chain every event written to events.canonical (HMAC hash chain) and publish signed checkpoints "
                                    + "to audit.checkpoints; needs " + AuditSettings.HMAC_KEYS_FILE + " and "
                                    + AuditSettings.SIGNING_KEYS_FILE));

    private final TrackingPlan plan;
    private final PrivacySettings privacy;
    private final AuditChainer auditChainer;

    private EnricherConfig(Map<String, String> raw) {
        super(DEF, raw);
        List<String> problems = new ArrayList<>();
        this.plan = loadPlan(problems);
        this.privacy = buildPrivacy(problems);
        this.auditChainer = buildAuditChainer(problems);
        if (!problems.isEmpty()) {
            throw new ConfigLoader.InvalidConfigException(problems);
        }
    }

    /**
     * The audit module's settings ({@link AuditSettings#define}), with the key files optional here: they are only
     * required while {@value #AUDIT_ENABLED} is true, which {@link #buildAuditChainer} checks.
     */
    private static ConfigDef withAuditSettings(ConfigDef def) {
        for (ConfigDef.ConfigKey k :
                AuditSettings.define(new ConfigDef()).configKeys().values()) {
            if (k.hasDefault()) {
                def.define(k.name, k.type, k.defaultValue, k.validator, k.importance, k.documentation);
            } else {
                def.define(
                        k.name,
                        k.type,
                        "",
                        k.importance,
                        k.documentation + "; required while " + AUDIT_ENABLED + " is true");
            }
        }
        return def;
    }

    /** Loads file (optional) and environment, as the service does at start-up. */
    public static EnricherConfig load(Path file, Map<String, String> env) {
        return new EnricherConfig(ConfigLoader.raw(file, env, ENV_PREFIX));
    }

    /** From raw settings (tests, tools). */
    public static EnricherConfig of(Map<String, String> raw) {
        return new EnricherConfig(raw);
    }

    public TopicCatalogue topics() {
        return TopicCatalogue.of(getString(TOPIC_PREFIX), 6, (short) 1);
    }

    public String bootstrapServers() {
        return getString(BOOTSTRAP);
    }

    /** The configured tracking plan (file or bundled) with the policy overrides; null after problems. */
    private TrackingPlan loadPlan(List<String> problems) {
        return TrackingPlanSettings.load(values(), problems);
    }

    /** The topology's settings, with the tracking plan read at start-up. */
    public EnricherSettings settings() {
        List<String> extraTypes = getList(EXTRA_ACTION_TYPES);
        List<String> traits = getList(TRAITS);
        return new EnricherSettings(
                topics(),
                getMillis(DEDUP_WINDOW),
                EventLimits.from(values()),
                plan,
                new HashSet<>(extraTypes),
                traits,
                getMillis(PROFILE_HISTORY));
    }

    /** Pseudonymization settings; empty when {@value #PRIVACY_ENABLED} is false. */
    public Optional<PrivacySettings> privacy() {
        return Optional.ofNullable(privacy);
    }

    /** Port of the health endpoints (-1 = off). */
    public int healthPort() {
        return getInt(HEALTH_PORT);
    }

    /** The lookup API's port (-1 = off) and its callers by bearer token. */
    public int lookupPort() {
        return getInt(LOOKUP_PORT);
    }

    public Map<String, String> lookupTokens() {
        String spec = getSecret(LOOKUP_TOKENS);
        Map<String, String> byToken = new java.util.LinkedHashMap<>();
        for (String e : spec.split(",")) {
            int sep = e.indexOf(':');
            if (sep > 0 && sep < e.trim().length() - 1) {
                byToken.put(e.trim().substring(sep + 1), e.trim().substring(0, sep));
            }
        }
        return byToken;
    }

    /** The chainer of events.canonical; empty when {@value #AUDIT_ENABLED} is false. */
    public Optional<AuditChainer> auditChainer() {
        return Optional.ofNullable(auditChainer);
    }

    private AuditChainer buildAuditChainer(List<String> problems) {
        if (!getBoolean(AUDIT_ENABLED)) {
            return null;
        }
        int before = problems.size();
        for (String file : List.of(AuditSettings.HMAC_KEYS_FILE, AuditSettings.SIGNING_KEYS_FILE)) {
            String path = getString(file);
            if (path.isBlank()) {
                problems.add(file + " is required while " + AUDIT_ENABLED + " is true; generate keys with "
                        + "'java io.quintet.audit.KeysMain'");
            } else if (!Files.isReadable(Path.of(path))) {
                problems.add(file + ": " + path + " does not exist or cannot be read");
            }
        }
        if (problems.size() > before) {
            return null;
        }
        try {
            return AuditSettings.chainer(values(), topics().name(TopicCatalogue.EVENTS_CANONICAL));
        } catch (IllegalArgumentException | UncheckedIOException e) {
            problems.add("audit key files (" + AuditSettings.HMAC_KEYS_FILE + ", " + AuditSettings.SIGNING_KEYS_FILE
                    + "): " + e.getMessage());
            return null;
        }
    }

    private PrivacySettings buildPrivacy(List<String> problems) {
        if (!getBoolean(PRIVACY_ENABLED)) {
            return null;
        }
        String keys = getSecret(MASTER_KEYS);
        String file = getString(MASTER_KEYS_FILE);
        String active = getString(MASTER_KEY_ACTIVE);
        Keyring keyring = null;
        try {
            if (!keys.isBlank() && !file.isBlank()) {
                problems.add(MASTER_KEYS + " and " + MASTER_KEYS_FILE + " are both set; use one");
            } else if (!file.isBlank()) {
                keyring = Keyring.fromFile(Path.of(file), active);
            } else if (!keys.isBlank()) {
                keyring = Keyring.parse(keys, active);
            } else {
                problems.add(MASTER_KEYS + " (or " + MASTER_KEYS_FILE + ") is required while " + PRIVACY_ENABLED
                        + " is true; generate a key with 'java io.quintet.enricher.privacy.Keyring'");
            }
        } catch (IllegalArgumentException e) {
            problems.add((file.isBlank() ? MASTER_KEYS : MASTER_KEYS_FILE) + ": " + e.getMessage());
        }
        PrivacySettings p = null;
        if (keyring != null) {
            try {
                p = new PrivacySettings(
                        keyring,
                        Set.copyOf(getList(PERSON_ACTOR_TYPES)),
                        Set.copyOf(getList(PERSON_ENTITY_TYPES)),
                        getList(IDENTIFIER_PATHS),
                        getList(PII_PATHS),
                        getList(PII_UNPLANNED_PROPERTIES),
                        plan == null ? TrackingPlan.bundled() : plan,
                        PrivacySettings.IpMode.valueOf(getString(IP_MODE).toUpperCase(Locale.ROOT)),
                        getInt(MAX_REFERENCES),
                        getMillis(ROTATION_INTERVAL),
                        getMillis(VAULT_REFRESH));
                List<String> traits = getList(TRAITS);
                PiiClassification pii = p.classification();
                for (String t : traits) {
                    if (pii.isPersonalName(t)) {
                        problems.add(TRAITS + ": '" + t + "' is personal data (" + PII_PATHS + ", "
                                + PII_UNPLANNED_PROPERTIES
                                + " or the tracking plan) and must not be stamped into events");
                    }
                }
            } catch (IllegalArgumentException e) {
                problems.add("privacy settings: " + e.getMessage());
            }
        }
        return p;
    }

    /** Kafka Streams properties: exactly_once_v2, the dead-letter handlers and topic, then kafka.client.* overrides. */
    @SuppressWarnings("deprecation") // the global-handler switch is deprecated in 4.3 but still needed until 5.0
    public Properties streamsProperties() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, get(APPLICATION_ID));
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, get(BOOTSTRAP));
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, get(STATE_DIR));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, get(THREADS));
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, get(COMMIT_INTERVAL));
        // shared with the feed-aggregator: max.task.idle.ms -1 (the main sub-topology's inputs, events.raw, the erasure
        // requests and the privacy return hop, need no timestamp order: an event returning from a hop is late by
        // construction), the producer's retry backoff and batch size
        StreamsClientDefaults.applyTo(p);
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics().name(TopicCatalogue.EVENTS_DLQ));
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, StateStoreSettings.class);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.putAll(kafkaClientOverrides());
        return p;
    }

    /** Every setting with its documentation, for the sample file and --help. */
    public static String describe() {
        return DEF.toRst();
    }
}
