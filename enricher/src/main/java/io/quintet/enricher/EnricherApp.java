package io.quintet.enricher;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.quintet.enricher.privacy.PrivacyStep;
import io.quintet.enricher.privacy.Pseudonymization;
import io.quintet.enricher.privacy.VaultLookupServer;
import io.quintet.enricher.privacy.VaultQueries;
import io.quintet.enricher.privacy.VaultTelemetry;
import io.quintet.enricher.telemetry.EnricherTelemetry;
import io.quintet.model.publish.EventPublisher;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.support.cli.Cli;
import io.quintet.support.config.ConfigLoader;
import io.quintet.support.health.HealthServer;
import io.quintet.support.metrics.PrometheusMetrics;
import io.quintet.support.streams.OneFlushPerCommitClientSupplier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the enricher: {@code java io.quintet.enricher.EnricherApp [config.properties]}. Configuration as
 * {@link EnricherConfig} describes; traces through {@link GlobalOpenTelemetry} (set up by the deployer's SDK or
 * agent; a no-op otherwise), metrics through this process's own SDK, served with the Kafka Streams client's metrics
 * at {@code GET /metrics} on the health port. Stops cleanly on SIGTERM.
 */
public final class EnricherApp {
    private static final Logger LOG = LoggerFactory.getLogger(EnricherApp.class);

    private EnricherApp() {}

    static String causes(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 500; t = t.getCause() == t ? null : t.getCause()) {
            sb.append(sb.length() == 0 ? "" : " <- ").append(t.getClass().getName());
        }
        return sb.toString();
    }

    /** The re-identification API, when privacy is on and a port is configured. */
    static VaultLookupServer startLookup(
            EnricherConfig config, KafkaStreams streams, EnricherSettings settings, VaultTelemetry vaultTelemetry) {
        if (config.privacy().isEmpty() || config.lookupPort() < 0) {
            return null;
        }
        if (config.lookupTokens().isEmpty()) {
            LOG.warn(
                    "{} is set but {} names no caller: every lookup will be refused",
                    EnricherConfig.LOOKUP_PORT,
                    EnricherConfig.LOOKUP_TOKENS);
        }
        EventPublisher publisher = EventPublisher.builder(config.bootstrapServers())
                .topic(settings.topics().name(TopicCatalogue.EVENTS_RAW))
                .build();
        try {
            VaultQueries queries =
                    new VaultQueries(streams, config.privacy().get().keyring(), vaultTelemetry);
            VaultLookupServer server = new VaultLookupServer(
                    config.lookupPort(),
                    config.lookupTokens(),
                    queries,
                    queries::pseudonymOf,
                    publisher::publish,
                    Clock.systemUTC());
            LOG.info("vault lookup API on port {}", server.port());
            Runtime.getRuntime().addShutdownHook(new Thread(publisher::close, "lookup-audit-close"));
            return server;
        } catch (IOException e) {
            publisher.close();
            throw new UncheckedIOException("lookup API could not listen on port " + config.lookupPort(), e);
        }
    }

    /**
     * GET /metrics on the health port, in the Prometheus text format: the enricher's own counters (raw records by
     * outcome, dead letters by reason and source, flagged events, vault operations, erasures; OpenTelemetry SDK) and
     * the Kafka Streams client's metrics.
     */
    static String metrics(KafkaStreams streams, PrometheusMetrics own) {
        return own.scrape()
                + new io.quintet.support.metrics.PrometheusText()
                        .gauge(
                                "quintet_enricher_up",
                                "1 while Kafka Streams is RUNNING",
                                streams.state() == KafkaStreams.State.RUNNING ? 1 : 0)
                        .kafka(streams.metrics())
                        .toString();
    }

    /** /healthz: the Streams client is not failed; /readyz: it is RUNNING (not restoring or rebalancing). */
    static HealthServer startHealth(EnricherConfig config, KafkaStreams streams, PrometheusMetrics own) {
        if (config.healthPort() < 0) {
            return null;
        }
        try {
            HealthServer server = HealthServer.start(
                    "0.0.0.0",
                    config.healthPort(),
                    () -> streams.state() == KafkaStreams.State.ERROR
                                    || streams.state() == KafkaStreams.State.PENDING_ERROR
                            ? HealthServer.Status.down(streams.state().name())
                            : HealthServer.Status.up(streams.state().name()),
                    () -> streams.state() == KafkaStreams.State.RUNNING
                            ? HealthServer.Status.up("RUNNING")
                            : HealthServer.Status.down(streams.state().name()),
                    () -> metrics(streams, own));
            LOG.info("health endpoints on port {}", server.port());
            return server;
        } catch (java.io.IOException e) {
            throw new UncheckedIOException("health endpoints could not listen on port " + config.healthPort(), e);
        }
    }

    /**
     * Sets this JVM's FORMAT locale to en_US. Since KAFKA-19682 (Kafka 4.2) a stream task formats a log line with
     * {@code String.format} for every empty input partition on every record, whether or not TRACE logging is on; the
     * enricher's task has eight input partitions (events.raw, profiles, erasure.requests, the five privacy hops),
     * mostly empty. With any FORMAT locale but en_US each {@code java.util.Formatter} builds its
     * {@code DecimalFormatSymbols} (JDK 17: 500 ns per call instead of 150 ns on the benchmark machine), about
     * 14 calls per event. The enricher formats no number for people to read, so the choice changes no output.
     */
    public static void useUsFormatLocale() {
        Locale.setDefault(Locale.Category.FORMAT, Locale.US);
    }

    public static void main(String[] args) {
        useUsFormatLocale();
        Cli.configFileMain(
                "EnricherApp",
                "Runs the enricher (sample configuration: enricher/config/enricher.properties.sample).",
                Cli.settings(EnricherConfig.DEF, EnricherConfig.ENV_PREFIX),
                args,
                EnricherApp::run);
    }

    static void run(Path configFile) throws InterruptedException {
        EnricherConfig config;
        try {
            config = EnricherConfig.load(configFile, System.getenv());
        } catch (ConfigLoader.InvalidConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        // metrics from this process's SDK (served at /metrics on the health port), traces from the global OpenTelemetry
        PrometheusMetrics prometheus = new PrometheusMetrics();
        EnricherTelemetry telemetry = new EnricherTelemetry(prometheus.openTelemetry());
        VaultTelemetry vaultTelemetry = new VaultTelemetry(prometheus.openTelemetry());
        EnricherSettings settings = config.settings();
        PrivacyStep privacy = config.privacy()
                .<PrivacyStep>map(p -> new Pseudonymization(p, settings.topics(), vaultTelemetry))
                .orElseGet(() -> {
                    LOG.warn("privacy.enabled=false: personal data is NOT pseudonymized and reaches events.canonical");
                    return PrivacyStep.disabled();
                });
        if (config.auditChainer().isPresent()) {
            LOG.info(
                    "audit.enabled=true: events.canonical is hash-chained, checkpoints go to {}",
                    settings.topics().name(TopicCatalogue.AUDIT_CHECKPOINTS));
        }
        Topology topology = EnricherTopology.buildTopology(settings, telemetry, privacy, config.auditChainer());
        Properties props = config.streamsProperties();
        props.put(EnricherTelemetry.CONFIG_KEY, telemetry);
        LOG.info("enricher topology:\n{}", topology.describe());

        KafkaStreams streams = new KafkaStreams(topology, props, new OneFlushPerCommitClientSupplier());
        CountDownLatch stopped = new CountDownLatch(1);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error(
                    "stream thread failed ({}); replacing it",
                    causes(e)); // class names only: messages may quote records
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> {
            LOG.info("enricher state {} -> {}", before, now);
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            streams.close(Duration.ofSeconds(30));
                            stopped.countDown();
                        },
                        "enricher-shutdown"));
        streams.start();
        VaultLookupServer lookup = startLookup(config, streams, settings, vaultTelemetry);
        HealthServer health = startHealth(config, streams, prometheus);
        stopped.await();
        if (lookup != null) {
            lookup.close();
        }
        if (health != null) {
            health.close();
        }
    }
}
