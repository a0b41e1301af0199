package io.quintet.feeds.app;

import io.quintet.feeds.app.http.ApiAuth;
import io.quintet.feeds.app.http.ApiKey;
import io.quintet.feeds.app.http.ReaderTokens;
import io.quintet.feeds.app.http.Scope;
import io.quintet.feeds.metrics.MetricsSettings;
import io.quintet.feeds.metrics.alerts.AlertSettings;
import io.quintet.feeds.metrics.alerts.delivery.Backoff;
import io.quintet.feeds.metrics.alerts.delivery.DeliverySettings;
import io.quintet.feeds.stream.Durations;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.support.config.ConfigLoader;
import io.quintet.support.config.ServiceConfig;
import io.quintet.support.streams.StreamsClientDefaults;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Typed configuration of the feed aggregator: ConfigDef defaults, then the properties file, then environment
 * variables {@code QUINTET_FEED_AGGREGATOR_*} (see {@link ConfigLoader}); {@code kafka.client.*} settings pass through to
 * Kafka Streams. Every bad setting is reported at once.
 */
public final class FeedAggregatorConfig extends ServiceConfig {
    public static final String ENV_PREFIX = "QUINTET_FEED_AGGREGATOR_";

    public static final String BOOTSTRAP = "kafka.bootstrap.servers";
    public static final String APPLICATION_ID = "application.id";
    public static final String TOPICS_PREFIX = "topics.prefix";
    public static final String STATE_DIR = "state.dir";
    public static final String PROCESSING_GUARANTEE = "processing.guarantee";
    public static final String STREAM_THREADS = "num.stream.threads";
    public static final String COMMIT_INTERVAL = "commit.interval.ms";
    public static final String HTTP_HOST = "http.host";
    public static final String HTTP_PORT = "http.port";
    public static final String HTTP_ADVERTISED_HOST = "http.advertised.host";
    public static final String HTTP_AUTH_ENABLED = "http.auth.enabled";
    public static final String HTTP_AUTH_KEYS = "http.auth.api.keys";
    public static final String HTTP_AUTH_TOKEN_SECRET = "http.auth.token.secret";
    public static final String HTTP_AUTH_TOKEN_TTL = "http.auth.token.ttl";
    public static final String HTTP_AUTH_PUBLIC_PATHS = "http.auth.public.paths";
    public static final String HTTP_STREAMS_MAX = "http.streams.max";
    public static final String HTTP_STREAMS_HEARTBEAT = "http.streams.heartbeat";
    public static final String VAULT_LOOKUP_URL = "vault.lookup.url";
    public static final String VAULT_LOOKUP_TOKEN = "vault.lookup.token";
    public static final String METRICS_WINDOWS = "metrics.windows";
    public static final String METRICS_GRACE = "metrics.grace";
    public static final String METRICS_MEASURES = "metrics.measures";
    public static final String METRICS_ACCURACY = "metrics.quantile.relative.accuracy";
    public static final String METRICS_HLL_LGK = "metrics.hll.lg.k";
    public static final String METRICS_COMBINE_INTERVAL = "metrics.combine.interval";
    public static final String METRICS_PER_ORGANIZATION = "metrics.per.organization";
    public static final String ALERTS_RULES_FILE = "alerts.rules.file";
    public static final String ALERTS_RELOAD_INTERVAL = "alerts.rules.reload.interval";
    public static final String ALERTS_GRACE = "alerts.grace";
    public static final String ALERTS_IDS = "alerts.contributing.ids";
    public static final String ALERTS_SOURCE = "alerts.source";
    public static final String ALERTS_SWEEP = "alerts.sweep.interval";
    public static final String DELIVERY_GROUP = "alerts.delivery.group.id";
    public static final String DELIVERY_ATTEMPTS = "alerts.delivery.max.attempts";
    public static final String DELIVERY_BACKOFF_INITIAL = "alerts.delivery.backoff.initial";
    public static final String DELIVERY_BACKOFF_MAX = "alerts.delivery.backoff.max";
    public static final String DELIVERY_TIMEOUT = "alerts.delivery.request.timeout";
    public static final String DELIVERY_START = "alerts.delivery.start";
    public static final String FEEDS_CAP = "feeds.cap";
    public static final String FEEDS_CELEBRITY = "feeds.celebrity.followers";
    public static final String FEEDS_WINDOW = "feeds.aggregation.window";
    public static final String FEEDS_GRACE = "feeds.aggregation.grace";
    public static final String FEEDS_SHOWN_ACTORS = "feeds.aggregation.shown.actors";
    public static final String FEEDS_MAX_GROUP_ACTORS = "feeds.aggregation.max.actors";
    public static final String FEEDS_RECIPIENTS = "feeds.recipients";
    public static final String FEEDS_GROUPS = "feeds.groups";
    public static final String ENTITY_HISTORY_ENABLED = "entity.history.enabled";
    public static final String ENTITY_HISTORY_MAX_EVENTS = "entity.history.max.events";
    public static final String ENTITY_HISTORY_RETENTION = "entity.history.retention";

    public static final ConfigDef DEF = new ConfigDef()
            .define(BOOTSTRAP, Type.STRING, "127.0.0.1:9092", Importance.HIGH, "Kafka bootstrap servers")
            .define(
                    APPLICATION_ID,
                    Type.STRING,
                    "quintet-feed-aggregator",
                    Importance.HIGH,
                    "Kafka Streams application id (consumer group, prefix of internal topics)")
            .define(TOPICS_PREFIX, Type.STRING, "", Importance.MEDIUM, "prefix of every Quintet topic name")
            .define(STATE_DIR, Type.STRING, "/tmp/quintet-feed-aggregator", Importance.MEDIUM, "local state directory")
            .define(
                    PROCESSING_GUARANTEE,
                    Type.STRING,
                    StreamsConfig.EXACTLY_ONCE_V2,
                    ConfigDef.ValidString.in(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE),
                    Importance.MEDIUM,
                    "exactly_once_v2 or at_least_once")
            .define(
                    STREAM_THREADS,
                    Type.INT,
                    2,
                    ConfigDef.Range.atLeast(1),
                    Importance.LOW,
                    "stream threads (each with its own transaction: one thread's commit overlaps the other's"
                            + " processing; about one per core the service gets)")
            .define(
                    COMMIT_INTERVAL,
                    Type.LONG,
                    100L,
                    ConfigDef.Range.atLeast(1),
                    Importance.MEDIUM,
                    "transaction commit interval (exactly-once): feeds, metrics and alerts trail their input by up to"
                            + " about this much; each commit is a transaction per stream thread on the service and the"
                            + " broker")
            .define(HTTP_HOST, Type.STRING, "0.0.0.0", Importance.MEDIUM, "address the HTTP API binds to")
            .define(HTTP_PORT, Type.INT, 8083, ConfigDef.Range.between(0, 65535), Importance.MEDIUM, "HTTP API port")
            .define(
                    HTTP_ADVERTISED_HOST,
                    Type.STRING,
                    "localhost",
                    Importance.MEDIUM,
                    "host name other instances reach this one at (application.server = host:http.port)")
            .define(
                    HTTP_AUTH_ENABLED,
                    Type.BOOLEAN,
                    true,
                    Importance.HIGH,
                    "require an API key or a per-user token on every path but http.auth.public.paths; false = anyone who "
                            + "reaches the port reads and marks every feed (a trusted network only)")
            .define(
                    HTTP_AUTH_KEYS,
                    Type.LIST,
                    "",
                    apiKeysValid(),
                    Importance.HIGH,
                    "API keys: 'id:sha256-hex:scope|scope', comma-separated (only the SHA-256 of a key is configured; "
                            + "FeedAggregatorApp new-key ID SCOPES prints a new one); scopes: " + Scope.ids())
            .define(
                    HTTP_AUTH_TOKEN_SECRET,
                    Type.PASSWORD,
                    "",
                    tokenSecretValid(),
                    Importance.HIGH,
                    "HMAC-SHA256 secret of per-user tokens, base64 of at least 32 bytes, the same on every instance "
                            + "(FeedAggregatorApp new-token-secret); empty = no tokens")
            .define(
                    HTTP_AUTH_TOKEN_TTL,
                    Type.STRING,
                    "15m",
                    positiveDuration(),
                    Importance.MEDIUM,
                    "lifetime of a per-user token (a request may ask for less, not more)")
            .define(
                    HTTP_AUTH_PUBLIC_PATHS,
                    Type.LIST,
                    "/health,/prometheus",
                    Importance.MEDIUM,
                    "paths served without credentials (a path and everything under it)")
            .define(
                    HTTP_STREAMS_MAX,
                    Type.INT,
                    32,
                    ConfigDef.Range.between(0, 10_000),
                    Importance.MEDIUM,
                    "Server-Sent Events streams open at once (/v1/stream/...; each has a thread and a Kafka consumer); "
                            + "more are refused with 503")
            .define(
                    HTTP_STREAMS_HEARTBEAT,
                    Type.STRING,
                    "15s",
                    positiveDuration(),
                    Importance.LOW,
                    "a stream without events sends its position (or a comment) this often, keeping proxies from closing it")
            .define(
                    VAULT_LOOKUP_URL,
                    Type.STRING,
                    "",
                    httpUrl(),
                    Importance.MEDIUM,
                    "base URL of the enricher's vault lookup API (privacy.lookup.port), asked for a user's pseudonym when "
                            + "a token is requested by user_id (audited there as privacy.pii.accessed); empty = tokens by pseudonym only")
            .define(
                    VAULT_LOOKUP_TOKEN,
                    Type.PASSWORD,
                    "",
                    Importance.MEDIUM,
                    "this service's bearer token for the vault lookup API (one of the enricher's privacy.lookup.tokens)")
            .define(METRICS_WINDOWS, Type.LIST, "1m,1h", durations(), Importance.MEDIUM, "tumbling metric window sizes")
            .define(
                    METRICS_GRACE,
                    Type.STRING,
                    "30s",
                    duration(),
                    Importance.MEDIUM,
                    "grace period for late events in metric windows")
            .define(
                    METRICS_MEASURES,
                    Type.LIST,
                    "revenue,actual_cost",
                    Importance.MEDIUM,
                    "analytics properties summed per window (the tracking plan's measures)")
            .define(
                    METRICS_ACCURACY,
                    Type.DOUBLE,
                    0.01,
                    ConfigDef.Range.between(0.0001, 0.5),
                    Importance.LOW,
                    "DDSketch relative accuracy of duration quantiles")
            .define(
                    METRICS_HLL_LGK,
                    Type.INT,
                    12,
                    ConfigDef.Range.between(4, 21),
                    Importance.LOW,
                    "log2 of HyperLogLog registers for distinct actors")
            .define(
                    METRICS_COMBINE_INTERVAL,
                    Type.STRING,
                    "500ms",
                    duration(),
                    Importance.LOW,
                    "how often each task sends its partial metric aggregates on to the window stores (wall-clock); "
                            + "longer means fewer repartition records, a later live view of the open window")
            .define(
                    METRICS_PER_ORGANIZATION,
                    Type.BOOLEAN,
                    false,
                    Importance.MEDIUM,
                    "also keep every series per organisation for events with an organization_id (queried with "
                            + "organization_id=ORG); costs one more partial update per series and event with one")
            .define(ALERTS_RULES_FILE, Type.STRING, "", Importance.MEDIUM, "YAML alert rules file; empty = no alerts")
            .define(
                    ALERTS_RELOAD_INTERVAL,
                    Type.STRING,
                    "10s",
                    duration(),
                    Importance.LOW,
                    "how often the rules file is checked for changes")
            .define(
                    ALERTS_GRACE,
                    Type.STRING,
                    "10s",
                    duration(),
                    Importance.MEDIUM,
                    "grace for late events of rules that set none")
            .define(
                    ALERTS_IDS,
                    Type.INT,
                    10,
                    ConfigDef.Range.between(0, 1000),
                    Importance.LOW,
                    "how many contributing event ids an alert carries")
            .define(ALERTS_SOURCE, Type.STRING, "feed-aggregator", Importance.LOW, "CloudEvents source of alert events")
            .define(
                    ALERTS_SWEEP,
                    Type.STRING,
                    "1s",
                    duration(),
                    Importance.LOW,
                    "stream-time interval of the sweep that resolves cleared alerts")
            .define(
                    DELIVERY_GROUP,
                    Type.STRING,
                    "quintet-alert-delivery",
                    Importance.MEDIUM,
                    "consumer group of the webhook delivery consumer of the alerts topic (runs when a rule has deliver_to)")
            .define(
                    DELIVERY_ATTEMPTS,
                    Type.INT,
                    6,
                    ConfigDef.Range.between(1, 50),
                    Importance.MEDIUM,
                    "HTTP attempts per alert and webhook before it is dead-lettered to events.dlq")
            .define(
                    DELIVERY_BACKOFF_INITIAL,
                    Type.STRING,
                    "1s",
                    positiveDuration(),
                    Importance.LOW,
                    "wait after the first failed attempt; doubles per attempt up to the maximum, with jitter (half to all of it)")
            .define(
                    DELIVERY_BACKOFF_MAX,
                    Type.STRING,
                    "1m",
                    positiveDuration(),
                    Importance.LOW,
                    "longest wait between two attempts")
            .define(
                    DELIVERY_TIMEOUT,
                    Type.STRING,
                    "10s",
                    positiveDuration(),
                    Importance.LOW,
                    "timeout of one webhook request")
            .define(
                    DELIVERY_START,
                    Type.STRING,
                    "latest",
                    ConfigDef.ValidString.in("latest", "earliest"),
                    Importance.LOW,
                    "where a delivery group without committed offsets starts: latest (new alerts) or earliest (every alert on the topic)")
            .define(
                    FEEDS_CAP,
                    Type.INT,
                    1000,
                    ConfigDef.Range.atLeast(1),
                    Importance.MEDIUM,
                    "items kept per reader and feed (oldest evicted first)")
            .define(
                    FEEDS_CELEBRITY,
                    Type.LONG,
                    10_000L,
                    ConfigDef.Range.atLeast(0),
                    Importance.MEDIUM,
                    "actors with more followers are merged into timelines at read time instead of fanned out")
            .define(
                    FEEDS_WINDOW,
                    Type.STRING,
                    "1h",
                    duration(),
                    Importance.MEDIUM,
                    "aggregation window of grouped feed items")
            .define(
                    FEEDS_GRACE,
                    Type.STRING,
                    "5m",
                    duration(),
                    Importance.MEDIUM,
                    "how late an activity may join its group")
            .define(
                    FEEDS_SHOWN_ACTORS,
                    Type.INT,
                    3,
                    ConfigDef.Range.between(1, 50),
                    Importance.LOW,
                    "actors listed on an aggregated item")
            .define(
                    FEEDS_MAX_GROUP_ACTORS,
                    Type.INT,
                    1000,
                    ConfigDef.Range.atLeast(1),
                    Importance.LOW,
                    "distinct actors remembered per open group")
            .define(
                    FEEDS_RECIPIENTS,
                    Type.STRING,
                    io.quintet.feeds.FeedSettings.DEFAULT_RECIPIENTS,
                    rules(),
                    Importance.MEDIUM,
                    "who gets an activity in the aggregated/notification feed: pattern=/json/pointer, first match wins")
            .define(
                    FEEDS_GROUPS,
                    Type.STRING,
                    io.quintet.feeds.FeedSettings.DEFAULT_GROUPS,
                    rules(),
                    Importance.MEDIUM,
                    "what activities are grouped by: pattern=/json/pointer, first match wins")
            .define(
                    ENTITY_HISTORY_ENABLED,
                    Type.BOOLEAN,
                    false,
                    Importance.MEDIUM,
                    "keep the recent events of every entity for GET /v1/entities/{type}/{id}/events (every canonical "
                            + "event with an entity is repartitioned by entity and stored once more: about twice the "
                            + "service's CPU per event, so off unless asked for; false = the endpoint is 404)")
            .define(
                    ENTITY_HISTORY_MAX_EVENTS,
                    Type.INT,
                    50,
                    ConfigDef.Range.between(1, 10_000),
                    Importance.MEDIUM,
                    "newest events kept per entity (older ones are in the warm store)")
            .define(
                    ENTITY_HISTORY_RETENTION,
                    Type.STRING,
                    "7d",
                    positiveDuration(),
                    Importance.MEDIUM,
                    "events of an entity older than this (event time) are dropped from the entity history");

    private FeedAggregatorConfig(Map<String, String> raw) {
        super(DEF, raw);
        List<String> problems = new java.util.ArrayList<>();
        boolean issuing = apiKeys().stream().anyMatch(k -> k.scopes().contains(Scope.TOKENS_ISSUE));
        if (issuing && tokenSecret().isEmpty()) {
            problems.add(HTTP_AUTH_KEYS + ": a key has the scope " + Scope.TOKENS_ISSUE.id() + " but "
                    + HTTP_AUTH_TOKEN_SECRET + " is not set");
        }
        if (!string(VAULT_LOOKUP_URL).isBlank() && password(VAULT_LOOKUP_TOKEN).isEmpty()) {
            problems.add(VAULT_LOOKUP_TOKEN + ": required when " + VAULT_LOOKUP_URL + " is set");
        }
        if (!problems.isEmpty()) {
            throw new ConfigLoader.InvalidConfigException(problems);
        }
    }

    private String password(String key) {
        org.apache.kafka.common.config.types.Password v = getPassword(key);
        return v == null ? "" : v.value().trim();
    }

    public boolean httpAuthEnabled() {
        return getBoolean(HTTP_AUTH_ENABLED);
    }

    public List<ApiKey> apiKeys() {
        return ApiKey.parse(list(HTTP_AUTH_KEYS), new java.util.ArrayList<>());
    }

    /** The token secret's bytes; empty when none is set. */
    public Optional<byte[]> tokenSecret() {
        String s = password(HTTP_AUTH_TOKEN_SECRET);
        return s.isEmpty()
                ? Optional.empty()
                : Optional.of(java.util.Base64.getDecoder().decode(s));
    }

    public Duration tokenTtl() {
        return dur(HTTP_AUTH_TOKEN_TTL);
    }

    public List<String> publicPaths() {
        return list(HTTP_AUTH_PUBLIC_PATHS);
    }

    /** The authentication of the HTTP API as configured. */
    public ApiAuth apiAuth(java.time.Clock clock) {
        if (!httpAuthEnabled()) {
            return ApiAuth.disabled();
        }
        return new ApiAuth(
                apiKeys(),
                tokenSecret().map(s -> new ReaderTokens(s, tokenTtl(), clock)).orElse(null),
                publicPaths());
    }

    public int maxStreams() {
        return getInt(HTTP_STREAMS_MAX);
    }

    public Duration streamsHeartbeat() {
        return dur(HTTP_STREAMS_HEARTBEAT);
    }

    /** The enricher's vault lookup API, when configured. */
    public Optional<java.net.URI> vaultLookupUrl() {
        String u = string(VAULT_LOOKUP_URL);
        return u.isBlank() ? Optional.empty() : Optional.of(java.net.URI.create(u.trim()));
    }

    public String vaultLookupToken() {
        return password(VAULT_LOOKUP_TOKEN);
    }

    public static FeedAggregatorConfig load(Path fileOrNull, Map<String, String> env) {
        return new FeedAggregatorConfig(ConfigLoader.raw(fileOrNull, env, ENV_PREFIX));
    }

    public static FeedAggregatorConfig of(Map<String, String> settings) {
        return new FeedAggregatorConfig(settings);
    }

    private String string(String key) {
        return getString(key);
    }

    private Duration dur(String key) {
        return Durations.parse(string(key));
    }

    private List<String> list(String key) {
        return getList(key);
    }

    public TopicCatalogue topics() {
        return TopicCatalogue.of(string(TOPICS_PREFIX), 6, (short) 1);
    }

    public int httpPort() {
        return getInt(HTTP_PORT);
    }

    public String httpHost() {
        return string(HTTP_HOST);
    }

    public String advertisedHost() {
        return string(HTTP_ADVERTISED_HOST);
    }

    public MetricsSettings metrics() {
        return new MetricsSettings(
                        list(METRICS_WINDOWS).stream().map(Durations::parse).toList(),
                        dur(METRICS_GRACE),
                        new LinkedHashSet<>(list(METRICS_MEASURES)),
                        getDouble(METRICS_ACCURACY),
                        getInt(METRICS_HLL_LGK),
                        dur(METRICS_COMBINE_INTERVAL))
                .withPerOrganization(getBoolean(METRICS_PER_ORGANIZATION));
    }

    public AlertSettings alerts() {
        return new AlertSettings(dur(ALERTS_GRACE), getInt(ALERTS_IDS), string(ALERTS_SOURCE), dur(ALERTS_SWEEP));
    }

    public DeliverySettings delivery() {
        return new DeliverySettings(
                string(DELIVERY_GROUP),
                new Backoff(dur(DELIVERY_BACKOFF_INITIAL), dur(DELIVERY_BACKOFF_MAX), getInt(DELIVERY_ATTEMPTS)),
                dur(DELIVERY_TIMEOUT),
                string(DELIVERY_START));
    }

    public io.quintet.feeds.FeedSettings feeds() {
        return new io.quintet.feeds.FeedSettings(
                getInt(FEEDS_CAP),
                getLong(FEEDS_CELEBRITY),
                dur(FEEDS_WINDOW),
                dur(FEEDS_GRACE),
                getInt(FEEDS_SHOWN_ACTORS),
                getInt(FEEDS_MAX_GROUP_ACTORS),
                io.quintet.feeds.FeedSettings.parseRules(string(FEEDS_RECIPIENTS)),
                io.quintet.feeds.FeedSettings.parseRules(string(FEEDS_GROUPS)));
    }

    public io.quintet.feeds.entities.EntityHistorySettings entityHistory() {
        return new io.quintet.feeds.entities.EntityHistorySettings(
                getBoolean(ENTITY_HISTORY_ENABLED), getInt(ENTITY_HISTORY_MAX_EVENTS), dur(ENTITY_HISTORY_RETENTION));
    }

    public String bootstrapServers() {
        return string(BOOTSTRAP);
    }

    public Optional<Path> alertRulesFile() {
        String f = string(ALERTS_RULES_FILE);
        return f == null || f.isBlank() ? Optional.empty() : Optional.of(Path.of(f));
    }

    public Duration alertRulesReloadInterval() {
        return dur(ALERTS_RELOAD_INTERVAL);
    }

    /** Kafka Streams properties; {@code application.server} advertises the HTTP API for interactive-query routing. */
    public Properties streamsProperties(int actualHttpPort) {
        Properties p = new Properties();
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, string(BOOTSTRAP));
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, string(APPLICATION_ID));
        p.put(StreamsConfig.STATE_DIR_CONFIG, string(STATE_DIR));
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, string(PROCESSING_GUARANTEE));
        // shared with the enricher: max.task.idle.ms -1 (the feed writer's inputs are independent commands), the
        // producer's retry backoff and batch size
        StreamsClientDefaults.applyTo(p);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, get(STREAM_THREADS));
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, get(COMMIT_INTERVAL));
        p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertisedHost() + ":" + actualHttpPort);
        p.putAll(kafkaClientOverrides());
        return p;
    }

    private static ConfigDef.Validator duration() {
        return (name, value) -> {
            try {
                Durations.parse((String) value);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        };
    }

    private static ConfigDef.Validator positiveDuration() {
        return (name, value) -> {
            try {
                Duration d = Durations.parse((String) value);
                if (d.isZero() || d.isNegative()) {
                    throw new ConfigException(name, value, "must be positive");
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static ConfigDef.Validator apiKeysValid() {
        return (name, value) -> {
            List<String> problems = new java.util.ArrayList<>();
            ApiKey.parse((List<String>) value, problems);
            if (!problems.isEmpty()) {
                throw new ConfigException(String.join("; ", problems));
            }
        };
    }

    private static ConfigDef.Validator tokenSecretValid() {
        return (name, value) -> {
            String s = value == null
                    ? ""
                    : ((org.apache.kafka.common.config.types.Password) value)
                            .value()
                            .trim();
            if (s.isEmpty()) {
                return;
            }
            byte[] bytes;
            try {
                bytes = java.util.Base64.getDecoder().decode(s);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("must be base64 (the value is not shown)");
            }
            if (bytes.length < ReaderTokens.MIN_SECRET_BYTES) {
                throw new ConfigException("must be at least " + ReaderTokens.MIN_SECRET_BYTES
                        + " bytes (base64 of 32 random bytes; the value is not shown)");
            }
        };
    }

    private static ConfigDef.Validator httpUrl() {
        return (name, value) -> {
            String s = ((String) value).trim();
            if (s.isEmpty()) {
                return;
            }
            try {
                java.net.URI u = new java.net.URI(s);
                if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                    throw new ConfigException(name, value, "must be an http(s) URL with a host");
                }
            } catch (java.net.URISyntaxException e) {
                throw new ConfigException(name, value, "not a URL: " + e.getReason());
            }
        };
    }

    private static ConfigDef.Validator rules() {
        return (name, value) -> {
            try {
                io.quintet.feeds.FeedSettings.parseRules((String) value);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static ConfigDef.Validator durations() {
        return (name, value) -> {
            List<String> items = (List<String>) value;
            if (items.isEmpty()) {
                throw new ConfigException(name, value, "at least one window size is needed");
            }
            for (String item : items) {
                try {
                    Duration d = Durations.parse(item);
                    if (d.isZero() || d.isNegative()) {
                        throw new ConfigException(name, value, "window sizes must be positive");
                    }
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, value, e.getMessage());
                }
            }
        };
    }
}
