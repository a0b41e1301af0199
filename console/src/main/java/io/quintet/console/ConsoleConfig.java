package io.quintet.console;

import io.quintet.model.topics.TopicCatalogue;
import io.quintet.support.auth.HashedApiKey;
import io.quintet.support.config.ConfigLoader;
import io.quintet.support.config.ConfigLoader.InvalidConfigException;
import io.quintet.support.config.ServiceConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The console's typed configuration: {@link #DEF} declares every setting with its default; values come from the
 * defaults, then a properties file, then {@code QUINTET_CONSOLE_*} environment variables ({@link ConfigLoader}).
 * Every problem is reported at once at start-up.
 */
public final class ConsoleConfig extends ServiceConfig {
    public static final String ENV_PREFIX = "QUINTET_CONSOLE_";

    public static final String HTTP_HOST = "http.host";
    public static final String HTTP_PORT = "http.port";
    public static final String KAFKA_BOOTSTRAP = "kafka.bootstrap.servers";
    public static final String TOPICS_PREFIX = "topics.prefix";
    public static final String LIVE_BUFFER = "live.buffer.events";
    public static final String DLQ_BUFFER = "dlq.buffer.entries";
    public static final String ALERTS_BUFFER = "alerts.buffer.entries";
    public static final String TAIL_INITIAL = "tail.initial.records.per.partition";
    public static final String FEEDS_URL = "feeds.url";
    public static final String FEEDS_API_KEY = "feeds.api.key";
    public static final String HEALTH_ENDPOINTS = "services.health.urls";
    public static final String CONSUMER_GROUPS = "consumer.groups";
    public static final String HTTP_CLIENT_TIMEOUT_MS = "http.client.timeout.ms";
    public static final String REPLAY_ENABLED = "replay.enabled";
    public static final String AUTH_ENABLED = "auth.enabled";
    public static final String AUTH_API_KEYS = "auth.api.keys";
    public static final String AUTH_SESSION_TTL_MINUTES = "auth.session.ttl.minutes";
    public static final String AUDIT_PUBLIC_KEYS = "audit.public.keys.file";
    public static final String AUDIT_HMAC_KEYS = "audit.hmac.keys.file";
    public static final String AUDIT_VERIFY_INTERVAL_S = "audit.verify.interval.seconds";

    public static final ConfigDef DEF = new ConfigDef()
            .define(
                    HTTP_HOST,
                    Type.STRING,
                    "127.0.0.1",
                    Importance.HIGH,
                    "address the console's HTTP server binds to (loopback by default; every page and API but /healthz "
                            + "needs an API key of auth.api.keys, but the console speaks plain HTTP: put TLS in front "
                            + "of it when it is reached over a network)")
            .define(
                    HTTP_PORT,
                    Type.INT,
                    8090,
                    Range.between(0, 65535),
                    Importance.HIGH,
                    "HTTP port of the console (0 = any free port)")
            .define(KAFKA_BOOTSTRAP, Type.STRING, "localhost:9092", Importance.HIGH, "Kafka bootstrap servers")
            .define(TOPICS_PREFIX, Type.STRING, "", Importance.MEDIUM, "prefix of every topic name")
            .define(
                    LIVE_BUFFER,
                    Type.INT,
                    2_000,
                    Range.between(10, 100_000),
                    Importance.MEDIUM,
                    "newest events.canonical records kept for the live view (ring buffer)")
            .define(
                    DLQ_BUFFER,
                    Type.INT,
                    1_000,
                    Range.between(10, 100_000),
                    Importance.MEDIUM,
                    "newest events.dlq entries kept for the dead-letter view (counts cover every record read)")
            .define(
                    ALERTS_BUFFER,
                    Type.INT,
                    500,
                    Range.between(10, 100_000),
                    Importance.MEDIUM,
                    "newest alert events kept for the alerts view")
            .define(
                    TAIL_INITIAL,
                    Type.INT,
                    500,
                    Range.between(0, 1_000_000),
                    Importance.LOW,
                    "at start, how many of the newest records of each partition of events.canonical, events.dlq and "
                            + "alerts are read (history shown before the first new record)")
            .define(
                    FEEDS_URL,
                    Type.STRING,
                    "http://127.0.0.1:8083",
                    Importance.HIGH,
                    "base URL of the feed-aggregator's HTTP API (metrics, feeds); empty = those pages say it is not configured")
            .define(
                    FEEDS_API_KEY,
                    Type.PASSWORD,
                    "",
                    Importance.MEDIUM,
                    "API key sent to the feed-aggregator as 'Authorization: Bearer KEY' (empty = none sent)")
            .define(
                    HEALTH_ENDPOINTS,
                    Type.LIST,
                    "gateway=http://127.0.0.1:8080/readyz,feed-aggregator=http://127.0.0.1:8083/health",
                    Importance.MEDIUM,
                    "the services the pipeline page checks: name=URL of its health endpoint, comma-separated "
                            + "(2xx = up)")
            .define(
                    CONSUMER_GROUPS,
                    Type.LIST,
                    "quintet-enricher,quintet-feed-aggregator,quintet-analytics-sink",
                    Importance.MEDIUM,
                    "consumer groups whose lag the pipeline page shows (Kafka Admin API)")
            .define(
                    HTTP_CLIENT_TIMEOUT_MS,
                    Type.INT,
                    2_000,
                    Range.between(100, 60_000),
                    Importance.LOW,
                    "timeout of each request the console makes to another service")
            .define(
                    REPLAY_ENABLED,
                    Type.BOOLEAN,
                    true,
                    Importance.MEDIUM,
                    "whether the dead-letter page may re-publish selected dead letters to events.raw "
                            + "(POST /api/dead-letters/replay, for a key with the scope console:replay)")
            .define(
                    AUTH_ENABLED,
                    Type.BOOLEAN,
                    true,
                    Importance.HIGH,
                    "require an API key (login or 'Authorization: Bearer KEY') on every page and API but /healthz; "
                            + "false = anyone who reaches the port reads everything and may replay")
            .define(
                    AUTH_API_KEYS,
                    Type.LIST,
                    "",
                    Importance.HIGH,
                    "API keys, in the feed API's format (the same entries as the feed-aggregator's "
                            + "http.auth.api.keys): 'id:sha256-hex:scope|scope', comma-separated; scopes: "
                            + ConsoleAuth.SCOPES_HELP)
            .define(
                    AUTH_SESSION_TTL_MINUTES,
                    Type.INT,
                    480,
                    Range.between(1, 7 * 24 * 60),
                    Importance.LOW,
                    "lifetime of a login session (minutes)")
            .define(
                    AUDIT_PUBLIC_KEYS,
                    Type.STRING,
                    "",
                    Importance.MEDIUM,
                    "the audit chain's published checkpoint keys (JWKS); empty = the pipeline page shows no audit "
                            + "verdict")
            .define(
                    AUDIT_HMAC_KEYS,
                    Type.STRING,
                    "",
                    Importance.LOW,
                    "the audit chain's HMAC key file (secret); empty = chain hashes are not recomputed, events are "
                            + "checked against the signed checkpoints")
            .define(
                    AUDIT_VERIFY_INTERVAL_S,
                    Type.INT,
                    300,
                    Range.between(0, 86_400),
                    Importance.LOW,
                    "how often the audit verifier runs over events.canonical + audit.checkpoints (seconds; 0 = only "
                            + "when asked on the pipeline page)");

    private final Map<String, URI> healthUrls;
    private final URI feedsUrl;
    private final List<HashedApiKey> apiKeys;

    private ConsoleConfig(Map<String, String> raw) {
        super(DEF, raw);
        List<String> problems = new ArrayList<>();
        Map<String, URI> health = new LinkedHashMap<>();
        List<String> entries = getList(HEALTH_ENDPOINTS);
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                problems.add(HEALTH_ENDPOINTS + ": entry '" + entry + "' is not name=URL");
                continue;
            }
            URI uri = httpUri(
                    entry.substring(eq + 1).trim(), HEALTH_ENDPOINTS + " entry " + entry.substring(0, eq), problems);
            if (uri != null) {
                health.put(entry.substring(0, eq).trim(), uri);
            }
        }
        List<String> keyEntries = getList(AUTH_API_KEYS);
        List<String> keyProblems = new ArrayList<>();
        List<HashedApiKey> keys =
                HashedApiKey.parse(keyEntries, ConsoleAuth::knownScope, ConsoleAuth.SCOPES_HELP, keyProblems);
        keyProblems.forEach(p -> problems.add(AUTH_API_KEYS + ": " + p));
        if (getBoolean(AUTH_ENABLED)
                && keyProblems.isEmpty()
                && keys.stream().noneMatch(k -> k.scopes().contains(ConsoleAuth.READ))) {
            problems.add(AUTH_API_KEYS + ": no key has the scope " + ConsoleAuth.READ
                    + " (nobody could log in); configure one, or set " + AUTH_ENABLED + "=false");
        }
        for (String file : List.of(AUDIT_PUBLIC_KEYS, AUDIT_HMAC_KEYS)) {
            String f = getString(file).trim();
            if (!f.isEmpty() && !java.nio.file.Files.isRegularFile(Path.of(f))) {
                problems.add(file + ": '" + f + "' is not a readable file");
            }
        }
        if (getString(AUDIT_PUBLIC_KEYS).isBlank()
                && !getString(AUDIT_HMAC_KEYS).isBlank()) {
            problems.add(AUDIT_HMAC_KEYS + ": needs " + AUDIT_PUBLIC_KEYS + " (the verifier checks the signed "
                    + "checkpoints)");
        }
        String feeds = getString(FEEDS_URL).trim();
        URI f = feeds.isEmpty() ? null : httpUri(feeds.replaceAll("/+$", ""), FEEDS_URL, problems);
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        this.healthUrls = Map.copyOf(health);
        this.feedsUrl = f;
        this.apiKeys = List.copyOf(keys);
    }

    private static URI httpUri(String text, String setting, List<String> problems) {
        try {
            URI uri = new URI(text);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                problems.add(setting + ": '" + text + "' is not an http(s) URL with a host");
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            problems.add(setting + ": '" + text + "' is not a URL (" + e.getReason() + ")");
            return null;
        }
    }

    public static ConsoleConfig load(Path file, Map<String, String> env) {
        return new ConsoleConfig(ConfigLoader.raw(file, env, ENV_PREFIX));
    }

    public static ConsoleConfig of(Map<String, String> settings) {
        return new ConsoleConfig(settings);
    }

    public String httpHost() {
        return getString(HTTP_HOST);
    }

    public int httpPort() {
        return getInt(HTTP_PORT);
    }

    public String bootstrap() {
        return getString(KAFKA_BOOTSTRAP);
    }

    public TopicCatalogue topics() {
        return TopicCatalogue.of(getString(TOPICS_PREFIX), 6, (short) 1);
    }

    public int liveBuffer() {
        return getInt(LIVE_BUFFER);
    }

    public int dlqBuffer() {
        return getInt(DLQ_BUFFER);
    }

    public int alertsBuffer() {
        return getInt(ALERTS_BUFFER);
    }

    public int tailInitialPerPartition() {
        return getInt(TAIL_INITIAL);
    }
    /** The feed-aggregator's base URL without a trailing slash, or null when not configured. */
    public URI feedsUrl() {
        return feedsUrl;
    }

    public String feedsApiKey() {
        return getSecret(FEEDS_API_KEY);
    }

    public Map<String, URI> healthUrls() {
        return healthUrls;
    }

    public List<String> consumerGroups() {
        return getList(CONSUMER_GROUPS);
    }

    public Duration httpClientTimeout() {
        return Duration.ofMillis(getInt(HTTP_CLIENT_TIMEOUT_MS));
    }

    public boolean replayEnabled() {
        return getBoolean(REPLAY_ENABLED);
    }

    public boolean authEnabled() {
        return getBoolean(AUTH_ENABLED);
    }

    /** The keys of {@code auth.api.keys} (every scope they name; the console acts on its own, console:*). */
    public List<HashedApiKey> apiKeys() {
        return apiKeys;
    }

    public Duration sessionTtl() {
        return Duration.ofMinutes(getInt(AUTH_SESSION_TTL_MINUTES));
    }

    /** The audit chain's published keys (JWKS), or null: no verdict on the pipeline page. */
    public Path auditPublicKeys() {
        String f = getString(AUDIT_PUBLIC_KEYS).trim();
        return f.isEmpty() ? null : Path.of(f);
    }

    /** The audit chain's HMAC keys, or null: chain hashes are not recomputed. */
    public Path auditHmacKeys() {
        String f = getString(AUDIT_HMAC_KEYS).trim();
        return f.isEmpty() ? null : Path.of(f);
    }

    /** How often the verifier runs on its own; zero = only when asked. */
    public Duration auditVerifyInterval() {
        return Duration.ofSeconds(getInt(AUDIT_VERIFY_INTERVAL_S));
    }
}
