package io.quintet.demo;

import io.quintet.audit.KeysMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The properties files the local pipeline starts each service with, written under {@code <work>/config}. Only what
 * differs from each service's defaults is set: the broker, local state and warehouse folders, ports, the demo write
 * key, the feed API's key and token secret, the vault lookup between enricher and feed-aggregator, and short intervals so that a demo shows results within a minute.
 */
public final class ServiceConfigs {
    private final Path dir;
    private final Path gateway;
    private final Path enricher;
    private final Path feeds;
    private final Path sink;
    private final Path console;
    private final Path warehouse;
    private final Path auditKeys;
    private final Map<String, String> metricsUrls;
    private final String feedsKey;

    /** The scopes of the demo's feed API key: everything, the web console's included (it admits the same entry). */
    static final String FEEDS_KEY_SCOPES = "feeds:read-any|feeds:write-any|metrics:read|alerts:read|events:read"
            + "|tokens:issue|console:read|console:replay";

    private final Map<String, String> healthUrls;

    ServiceConfigs(PipelineSettings s, String bootstrap, String writeKeySha256) {
        this.dir = s.work().resolve("config");
        // the enricher's and the sink's health servers (/healthz, /readyz, /metrics) on free ports of this machine
        int enricherHealth = freePort();
        int sinkHealth = freePort();
        // the enricher's vault lookup API, asked by the feed-aggregator for a user's pseudonym when an app's token is
        // requested by user id (audited as privacy.pii.accessed)
        int vaultLookup = freePort();
        String lookupToken = PipelineProcesses.newWriteKey().substring(3);
        this.feedsKey = "qfk_" + PipelineProcesses.newWriteKey().substring(3);
        byte[] tokenSecret = new byte[32];
        new java.security.SecureRandom().nextBytes(tokenSecret);
        this.metricsUrls = Map.of(
                "gateway", s.gatewayUrl() + "/metrics",
                "enricher", "http://127.0.0.1:" + enricherHealth + "/metrics",
                "feed-aggregator", s.feedsUrl() + "/prometheus",
                "analytics-sink", "http://127.0.0.1:" + sinkHealth + "/metrics");
        // what the web console's pipeline page checks
        this.healthUrls = new java.util.TreeMap<>(Map.of(
                "gateway", s.gatewayUrl() + "/readyz",
                "enricher", "http://127.0.0.1:" + enricherHealth + "/readyz",
                "feed-aggregator", s.feedsUrl() + "/health",
                "analytics-sink", "http://127.0.0.1:" + sinkHealth + "/readyz"));
        Path state = s.work().resolve("state");
        this.warehouse = s.work().resolve("warehouse");
        this.gateway = dir.resolve("ingest-gateway.properties");
        this.enricher = dir.resolve("enricher.properties");
        this.feeds = dir.resolve("feed-aggregator.properties");
        this.sink = dir.resolve("analytics-sink.properties");
        this.console = dir.resolve("console.properties");
        this.auditKeys = AuditCheck.keys(dir);
        write(
                gateway,
                Map.of(
                        "kafka.bootstrap.servers",
                        bootstrap,
                        "http.host",
                        "127.0.0.1",
                        "http.port",
                        String.valueOf(s.gatewayPort()),
                        "auth.write.keys",
                        "demo:" + writeKeySha256 + ":demo-app|*",
                        "auth.erasure.keys",
                        "demo"));
        write(
                enricher,
                Map.ofEntries(
                        Map.entry("kafka.bootstrap.servers", bootstrap),
                        Map.entry("application.id", PipelineProcesses.ENRICHER_APP),
                        Map.entry("state.dir", state.resolve("enricher").toString()),
                        Map.entry("commit.interval.ms", "100"),
                        Map.entry("health.port", String.valueOf(enricherHealth)),
                        Map.entry("privacy.lookup.port", String.valueOf(vaultLookup)),
                        Map.entry("privacy.lookup.tokens", "feed-aggregator:" + lookupToken),
                        Map.entry("privacy.master.keys", "demo:" + masterKey()),
                        Map.entry("privacy.master.key.active", "demo"),
                        // the tamper-evident log: events.canonical hash-chained, checkpoints signed every 1000 events
                        // or 5 s
                        Map.entry("audit.enabled", "true"),
                        Map.entry(
                                "audit.hmac.keys.file",
                                auditKeys.resolve(KeysMain.HMAC_FILE).toString()),
                        Map.entry(
                                "audit.signing.keys.file",
                                auditKeys.resolve(KeysMain.SIGNING_FILE).toString()),
                        Map.entry("audit.checkpoint.every.ms", "5000")));
        write(
                feeds,
                Map.ofEntries(
                        Map.entry("kafka.bootstrap.servers", bootstrap),
                        Map.entry("application.id", PipelineProcesses.FEEDS_APP),
                        Map.entry("state.dir", state.resolve("feed-aggregator").toString()),
                        Map.entry("http.host", "127.0.0.1"),
                        Map.entry("http.port", String.valueOf(s.feedsPort())),
                        Map.entry("http.advertised.host", "127.0.0.1"),
                        Map.entry("http.auth.api.keys", feedsKeyEntry()),
                        Map.entry(
                                "http.auth.token.secret",
                                java.util.Base64.getEncoder().encodeToString(tokenSecret)),
                        Map.entry("vault.lookup.url", "http://127.0.0.1:" + vaultLookup),
                        Map.entry("vault.lookup.token", lookupToken),
                        Map.entry(
                                "alerts.rules.file",
                                s.repo()
                                        .resolve("feed-aggregator/config/alert-rules.yaml")
                                        .toString())));
        write(
                sink,
                Map.of(
                        "kafka.bootstrap.servers",
                        bootstrap,
                        "sink.group.id",
                        PipelineProcesses.SINK_GROUP,
                        "catalog.warehouse",
                        warehouse.toString(),
                        "health.port",
                        String.valueOf(sinkHealth),
                        "batch.max.age.ms",
                        "5000",
                        "batch.max.event.time.span.ms",
                        "60000"));
        write(
                console,
                Map.ofEntries(
                        Map.entry("kafka.bootstrap.servers", bootstrap),
                        Map.entry("http.host", "127.0.0.1"),
                        Map.entry("http.port", String.valueOf(s.consolePort())),
                        Map.entry("feeds.url", s.feedsUrl()),
                        Map.entry("feeds.api.key", feedsKey),
                        // the feed API's key entry: the same key logs in to the console
                        Map.entry("auth.api.keys", feedsKeyEntry()),
                        // the audit verifier's verdict on the pipeline page, with the run's published and HMAC keys
                        Map.entry(
                                "audit.public.keys.file",
                                auditKeys.resolve(KeysMain.PUBLIC_FILE).toString()),
                        Map.entry(
                                "audit.hmac.keys.file",
                                auditKeys.resolve(KeysMain.HMAC_FILE).toString()),
                        Map.entry("audit.verify.interval.seconds", "30"),
                        Map.entry(
                                "services.health.urls",
                                healthUrls.entrySet().stream()
                                        .map(e -> e.getKey() + "=" + e.getValue())
                                        .collect(Collectors.joining(","))),
                        Map.entry(
                                "consumer.groups",
                                String.join(
                                        ",",
                                        PipelineProcesses.ENRICHER_APP,
                                        PipelineProcesses.FEEDS_APP,
                                        PipelineProcesses.SINK_GROUP))));
    }

    /**
     * The PII vault's master key of this work folder: made once and kept (the vault's changelog outlives a run on the
     * same broker, and only this key can read it). A real deployment takes it from a secret store.
     */
    private String masterKey() {
        Path file = dir.resolve("master.key");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dir);
                byte[] key = new byte[32];
                new java.security.SecureRandom().nextBytes(key);
                Files.writeString(file, java.util.Base64.getEncoder().encodeToString(key));
                try {
                    Files.setPosixFilePermissions(
                            file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // best effort on non-POSIX file systems
                }
            }
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The demo's feed API key (every scope); its SHA-256 is in the feed-aggregator's configuration. */
    /** The feed API key's entry (id:sha256:scopes), configured in the feed-aggregator and in the console. */
    private String feedsKeyEntry() {
        return "demo:" + PipelineProcesses.sha256(feedsKey) + ":" + FEEDS_KEY_SCOPES;
    }

    public String feedsKey() {
        return feedsKey;
    }

    public Path gateway() {
        return gateway;
    }

    public Path enricher() {
        return enricher;
    }

    public Path feeds() {
        return feeds;
    }

    public Path sink() {
        return sink;
    }

    /** The web console's properties file (written whatever {@link PipelineSettings#withConsole()} says). */
    public Path console() {
        return console;
    }

    /** Each service's health endpoint, by service name: what the console's pipeline page checks. */
    public Map<String, String> healthUrls() {
        return healthUrls;
    }

    public Path warehouse() {
        return warehouse;
    }

    /** Each service's Prometheus endpoint, by service name ({@link PipelineProcesses#SERVICES}). */
    public Map<String, String> metricsUrls() {
        return metricsUrls;
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for a health server", e);
        }
    }

    /** The audit keys of the work folder: hmac.keys, signing.keys, public-keys.json. */
    public Path auditKeys() {
        return auditKeys;
    }

    private void write(Path file, Map<String, String> settings) {
        try {
            Files.createDirectories(dir);
            String text =
                    "# written by the local pipeline (io.quintet.demo.LocalPipeline); see the module's config/*.sample\n"
                            + new LinkedHashMap<>(settings)
                                    .entrySet().stream()
                                            .map(e -> e.getKey() + "=" + e.getValue())
                                            .collect(Collectors.joining("\n"))
                            + "\n";
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
