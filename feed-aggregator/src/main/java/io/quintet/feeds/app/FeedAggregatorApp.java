package io.quintet.feeds.app;

import io.quintet.feeds.FeedQueries;
import io.quintet.feeds.FeedRoutes;
import io.quintet.feeds.KafkaFeedCommandSink;
import io.quintet.feeds.app.http.ApiAuth;
import io.quintet.feeds.app.http.ApiKey;
import io.quintet.feeds.app.http.Forwarder;
import io.quintet.feeds.app.http.HttpApi;
import io.quintet.feeds.app.http.ReaderTokens;
import io.quintet.feeds.app.http.Scope;
import io.quintet.feeds.app.http.StreamsKeyRouting;
import io.quintet.feeds.app.http.SubjectLookup;
import io.quintet.feeds.app.http.TokenRoutes;
import io.quintet.feeds.app.http.VaultSubjectLookup;
import io.quintet.feeds.app.live.ActiveAlerts;
import io.quintet.feeds.app.live.LiveStreams;
import io.quintet.feeds.entities.EntityHistoryQueries;
import io.quintet.feeds.entities.EntityHistoryRoutes;
import io.quintet.feeds.metrics.MetricsQueries;
import io.quintet.feeds.metrics.MetricsRoutes;
import io.quintet.feeds.metrics.alerts.AlertRuleSet;
import io.quintet.feeds.metrics.alerts.AlertRules;
import io.quintet.feeds.metrics.alerts.AlertRulesFile;
import io.quintet.feeds.metrics.alerts.AlertTelemetry;
import io.quintet.feeds.metrics.alerts.RulesReloader;
import io.quintet.feeds.metrics.alerts.delivery.AlertDeliveryService;
import io.quintet.feeds.metrics.alerts.delivery.DeliveryRoutes;
import io.quintet.feeds.metrics.alerts.delivery.DeliverySettings;
import io.quintet.feeds.metrics.alerts.delivery.WebhookSender;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.support.cli.Cli;
import io.quintet.support.config.ConfigLoader;
import io.quintet.support.metrics.PrometheusMetrics;
import io.quintet.support.streams.OneFlushPerCommitClientSupplier;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * The feed-aggregator service: runs the topology and serves the HTTP API.
 * <pre>
 *   java -cp ... io.quintet.feeds.app.FeedAggregatorApp [config.properties]
 * </pre>
 * Configuration: see {@link FeedAggregatorConfig} and {@code feed-aggregator/config/feed-aggregator.properties.sample}.
 */
public final class FeedAggregatorApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FeedAggregatorApp.class);

    /** Where Prometheus scrapes the service ({@code /metrics} is the windowed metrics API). */
    public static final String PROMETHEUS_PATH = "/prometheus";

    private final Vertx vertx;
    private final LiveStreams live;
    private final ActiveAlerts activeAlerts;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final KafkaStreams streams;
    private final HttpApi http;
    private final RulesReloader reloader;
    private final KafkaFeedCommandSink commands;
    private final PrometheusMetrics prometheus;
    private final AlertDeliveryService delivery;

    private FeedAggregatorApp(
            Vertx vertx,
            KafkaStreams streams,
            HttpApi http,
            RulesReloader reloader,
            KafkaFeedCommandSink commands,
            PrometheusMetrics prometheus,
            AlertDeliveryService delivery,
            LiveStreams live,
            ActiveAlerts activeAlerts) {
        this.live = live;
        this.activeAlerts = activeAlerts;
        this.vertx = vertx;
        this.prometheus = prometheus;
        this.streams = streams;
        this.http = http;
        this.reloader = reloader;
        this.commands = commands;
        this.delivery = delivery;
    }

    /** Builds and starts the service (HTTP first, so its port is known to advertise). */
    public static FeedAggregatorApp start(FeedAggregatorConfig config) throws IOException {
        AlertRules rules = new AlertRules(config.alertRulesFile()
                .map(f -> AlertRulesFile.load(
                        f, config.alerts().defaultGrace(), config.metrics().windows()))
                .orElse(AlertRuleSet.empty()));
        // read before anything starts: a destination with problems (e.g. its secret_env unset) stops the start
        DeliveryRoutes deliveryRoutes = config.alertRulesFile()
                .map(f -> DeliveryRoutes.load(f, System::getenv))
                .orElse(DeliveryRoutes.none());
        DeliverySettings deliverySettings = config.delivery();
        PrometheusMetrics prometheus = new PrometheusMetrics();
        String commandsTopic = config.topics().name(FeedAggregatorTopology.FEEDS_COMMANDS);
        int canonicalPartitions = checkTopics(config, commandsTopic);
        var topology = FeedAggregatorTopology.buildTopology(
                config.topics(),
                config.metrics().withUpstreamPartitions(canonicalPartitions),
                rules,
                config.alerts(),
                config.feeds(),
                config.entityHistory(),
                new AlertTelemetry(prometheus.openTelemetry()));
        KafkaFeedCommandSink commands =
                new KafkaFeedCommandSink(config.bootstrapServers(), config.kafkaClientOverrides(), commandsTopic);
        LOG.info("topology:\n{}", topology.describe());

        StreamsHolder holder = new StreamsHolder();
        Map<String, Function<io.quintet.feeds.app.http.ApiRequest, io.quintet.feeds.app.http.ApiResponse>> routes =
                new LinkedHashMap<>();
        Vertx vertx = Vertx.vertx();
        Forwarder forwarder = new Forwarder(vertx);
        ApiAuth auth = config.apiAuth(java.time.Clock.systemUTC());
        if (auth.enabled() && config.apiKeys().isEmpty()) {
            LOG.warn(
                    "{} is on and {} names no key: only the public paths {} (and tokens another instance issued) are served",
                    FeedAggregatorConfig.HTTP_AUTH_ENABLED,
                    FeedAggregatorConfig.HTTP_AUTH_KEYS,
                    config.publicPaths());
        } else if (!auth.enabled()) {
            LOG.warn(
                    "{}=false: anyone who reaches {}:{} reads and marks every feed",
                    FeedAggregatorConfig.HTTP_AUTH_ENABLED,
                    config.httpHost(),
                    config.httpPort());
        }
        SubjectLookup subjects = config.vaultLookupUrl()
                .<SubjectLookup>map(u -> new VaultSubjectLookup(vertx, u, config.vaultLookupToken()))
                .orElse(SubjectLookup.none());
        MetricsQueries metricsQueries = new MetricsQueries(
                config.metrics(),
                name -> holder.streams.store(
                        StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.windowStore())));
        routes.put(
                MetricsRoutes.PREFIX, req -> new MetricsRoutes(metricsQueries, holder.routing(), forwarder).apply(req));
        FeedQueries feedQueries = new FeedQueries(name ->
                holder.streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore())));
        routes.put(
                FeedRoutes.PREFIX,
                req -> new FeedRoutes(
                                feedQueries, holder.routing(), forwarder, commands, java.time.Clock.systemUTC(), auth)
                        .apply(req));
        routes.put(TokenRoutes.PREFIX, new TokenRoutes(auth, subjects));
        EntityHistoryQueries entityQueries = new EntityHistoryQueries(name ->
                holder.streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore())));
        routes.put(
                EntityHistoryRoutes.PREFIX,
                req -> new EntityHistoryRoutes(entityQueries, holder.routing(), forwarder, config.entityHistory())
                        .apply(req));
        Map<String, Object> clientProps = new LinkedHashMap<>(config.kafkaClientOverrides());
        clientProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        ActiveAlerts activeAlerts =
                new ActiveAlerts(clientProps, config.topics().name(TopicCatalogue.ALERTS)).start();
        routes.put(ActiveAlerts.PREFIX, activeAlerts);
        LiveStreams live = new LiveStreams(
                clientProps,
                config.topics().name(TopicCatalogue.EVENTS_CANONICAL),
                config.topics().name(TopicCatalogue.ALERTS),
                config.maxStreams(),
                config.streamsHeartbeat());
        routes.put("/health", req -> {
            KafkaStreams s = holder.streams;
            return s == null
                    ? io.quintet.feeds.app.http.ApiResponse.of(503, Map.of("state", "STARTING"))
                    : io.quintet.feeds.app.http.ApiResponse.of(
                            s.state().isRunningOrRebalancing() ? 200 : 503,
                            Map.of("state", s.state().name()));
        });
        HttpApi http = new HttpApi(vertx, new InetSocketAddress(config.httpHost(), config.httpPort()), routes, auth);
        http.stream(LiveStreams.EVENTS_PATH, Scope.EVENTS_READ, live::events);
        http.stream(LiveStreams.ALERTS_PATH, Scope.ALERTS_READ, live::alerts);

        KafkaStreams streams = new KafkaStreams(
                topology, config.streamsProperties(http.port()), new OneFlushPerCommitClientSupplier());
        holder.streams = streams;
        // Prometheus: the service's own counters (alerts fired and resolved by rule; OpenTelemetry SDK; webhook
        // deliveries) and the Kafka Streams client's metrics (consumer lag, process and commit rates and latencies...);
        // /metrics is the windowed metrics read model, so the scrape path is /prometheus
        AlertDeliveryService delivery = startDelivery(config, deliveryRoutes, deliverySettings);
        http.text(PROMETHEUS_PATH, io.quintet.support.metrics.PrometheusText.CONTENT_TYPE, () -> {
            var text = new io.quintet.support.metrics.PrometheusText()
                    .gauge(
                            "quintet_feed_aggregator_up",
                            "1 while Kafka Streams is running or rebalancing",
                            streams.state().isRunningOrRebalancing() ? 1 : 0);
            if (delivery != null) {
                AlertDeliveryService.Stats d = delivery.stats();
                text.counter("quintet_alert_deliveries_total", "alerts accepted (2xx) by a webhook", d.delivered())
                        .counter(
                                "quintet_alert_delivery_attempts_total",
                                "webhook requests made, retries included",
                                d.attempts())
                        .counter(
                                "quintet_alert_delivery_dead_letters_total",
                                "alerts dead-lettered to events.dlq for a webhook (rejected or retries exhausted)",
                                d.deadLettered());
            }
            return prometheus.scrape() + text.kafka(streams.metrics()).toString();
        });
        holder.routing = new StreamsKeyRouting(streams, new HostInfo(config.advertisedHost(), http.port()));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; replacing it", e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .REPLACE_THREAD;
        });
        RulesReloader reloader = null;
        if (config.alertRulesFile().isPresent()) {
            reloader = new RulesReloader(
                    config.alertRulesFile().get(),
                    rules,
                    config.alerts().defaultGrace(),
                    config.metrics().windows(),
                    config.alertRulesReloadInterval());
        }
        streams.start();
        LOG.info("feed-aggregator started; HTTP API on port {}", http.port());
        return new FeedAggregatorApp(
                vertx, streams, http, reloader, commands, prometheus, delivery, live, activeAlerts);
    }

    /**
     * The webhook delivery consumer of the alerts topic, when the rules file routes any rule to a destination (null
     * otherwise). Destinations are read once at start: a change to them needs a restart.
     */
    private static AlertDeliveryService startDelivery(
            FeedAggregatorConfig config, DeliveryRoutes routes, DeliverySettings settings) {
        if (routes.isEmpty()) {
            return null;
        }
        Map<String, Object> clientProps = new LinkedHashMap<>(config.kafkaClientOverrides());
        clientProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        WebhookSender sender = new WebhookSender(
                java.net.http.HttpClient.newBuilder()
                        .connectTimeout(settings.requestTimeout())
                        .build(),
                settings.backoff(),
                settings.requestTimeout(),
                java.time.Clock.systemUTC(),
                new java.util.SplittableRandom());
        LOG.info("alert delivery to webhooks started (group {})", settings.groupId());
        return new AlertDeliveryService(
                        clientProps,
                        config.topics().name(TopicCatalogue.ALERTS),
                        config.topics().name(TopicCatalogue.EVENTS_DLQ),
                        routes,
                        settings,
                        sender,
                        java.time.Clock.systemUTC())
                .start();
    }

    /**
     * Fails fast, naming them, when topics of the catalogue this service reads or writes are missing (a missing sink
     * topic would otherwise fail every transaction); creates feeds.commands, this service's own input that is not in
     * the shared catalogue, when it is missing. Returns events.canonical's partition count.
     */
    private static int checkTopics(FeedAggregatorConfig config, String topic) {
        Map<String, Object> props = new LinkedHashMap<>(config.kafkaClientOverrides());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            var present = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<String> missing = java.util.stream.Stream.of(
                            TopicCatalogue.EVENTS_CANONICAL,
                            TopicCatalogue.EVENTS_DLQ,
                            TopicCatalogue.METRICS,
                            TopicCatalogue.ALERTS,
                            TopicCatalogue.FEEDS_UPDATES)
                    .map(config.topics()::name)
                    .filter(t -> !present.contains(t))
                    .toList();
            if (!missing.isEmpty()) {
                throw new IllegalStateException("missing topics " + missing
                        + "; create the topic catalogue first (TopicsTool, or ./quintet run)");
            }
            String canonical = config.topics().name(TopicCatalogue.EVENTS_CANONICAL);
            // one request for both partition counts
            Map<String, Integer> counts =
                    partitions(admin, present.contains(topic) ? List.of(canonical, topic) : List.of(canonical));
            int partitions = counts.get(canonical);
            if (!present.contains(topic)) {
                // as many partitions as events.canonical: feeds-by-recipient gets the largest count of its
                // sub-topology's inputs (feeds-by-actor has events.canonical's), and the commands the fan-out applies
                // in its own task must land where feeds-by-recipient would have sent them
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())))
                        .all()
                        .get(30, TimeUnit.SECONDS);
                LOG.info("created topic {} with {} partitions", topic, partitions);
            } else {
                int commands = counts.get(topic);
                if (commands != partitions) {
                    // the canonical read, the fan-out and the feed writer share tasks: partition i of every input
                    // must hold the same pseudonyms, or an actor's activity would be written where no query looks
                    throw new IllegalStateException(topic + " has " + commands + " partitions and " + canonical
                            + " has " + partitions + "; the feeds need the same count (recreate " + topic
                            + " with " + partitions + " partitions: it only carries seen/read marks)");
                }
            }
            return partitions;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return checkTopics(config, topic); // created meanwhile by another instance
            }
            throw new IllegalStateException("could not create topic " + topic, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out creating topic " + topic, e);
        }
    }

    private static Map<String, Integer> partitions(Admin admin, List<String> topics)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        admin.describeTopics(topics)
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .forEach((name, description) ->
                        counts.put(name, description.partitions().size()));
        return counts;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public int httpPort() {
        return http.port();
    }

    /** Stops everything; closing again does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (reloader != null) {
            reloader.close();
        }
        if (delivery != null) {
            delivery.close();
        }
        live.close();
        http.close();
        activeAlerts.close();
        vertx.close()
                .toCompletionStage()
                .toCompletableFuture()
                .orTimeout(30, TimeUnit.SECONDS)
                .exceptionally(e -> {
                    LOG.warn("Vert.x did not close cleanly: {}", e.toString());
                    return null;
                })
                .join();
        streams.close(java.time.Duration.ofSeconds(30));
        commands.close();
        prometheus.close();
    }

    /** Filled in once the streams instance exists; the HTTP API is started before it to learn its port. */
    private static final class StreamsHolder {
        volatile KafkaStreams streams;
        volatile StreamsKeyRouting routing;

        StreamsKeyRouting routing() {
            StreamsKeyRouting r = routing;
            if (r == null) {
                throw io.quintet.feeds.app.http.ApiException.unavailable("the service is starting; retry");
            }
            return r;
        }
    }

    /** The command line: an optional properties file, or one of the key subcommands. */
    @Command(
            name = "FeedAggregatorApp",
            description =
                    "Runs the feed-aggregator (sample configuration: feed-aggregator/config/feed-aggregator.properties.sample).",
            subcommands = {NewKey.class, NewTokenSecret.class})
    static final class Main implements Callable<Integer> {
        @Parameters(
                arity = "0..1",
                paramLabel = "config.properties",
                description = "the properties file; environment variables override it")
        Path file;

        @Override
        public Integer call() throws Exception {
            run(file);
            return 0;
        }
    }

    @Command(
            name = "new-key",
            description = "print a new API key (to give to its holder) and its http.auth.api.keys entry")
    static final class NewKey implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ID", description = "the key's id")
        String id;

        @Parameters(index = "1", paramLabel = "SCOPE[|SCOPE...]", description = "its scopes")
        String scopes;

        @Override
        public Integer call() {
            String key = ApiKey.newKey();
            java.util.List<String> problems = new java.util.ArrayList<>();
            String entry = id + ":" + ApiKey.sha256Hex(key) + ":" + scopes;
            ApiKey.parse(java.util.List.of(entry), problems);
            if (!problems.isEmpty()) {
                System.err.println(String.join("\n", problems) + "   (scopes: " + Scope.ids() + ")");
                return 2;
            }
            System.out.println("key (give it to its holder; it is not stored): " + key);
            System.out.println(FeedAggregatorConfig.HTTP_AUTH_KEYS + " entry: " + entry);
            return 0;
        }
    }

    @Command(name = "new-token-secret", description = "print a new http.auth.token.secret")
    static final class NewTokenSecret implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.println(FeedAggregatorConfig.HTTP_AUTH_TOKEN_SECRET + "=" + ReaderTokens.newSecret());
            return 0;
        }
    }

    public static void main(String[] args) {
        Cli.mainWithFooter(new Main(), Cli.settings(FeedAggregatorConfig.DEF, FeedAggregatorConfig.ENV_PREFIX), args);
    }

    static void run(Path configFile) throws Exception {
        FeedAggregatorConfig config;
        try {
            config = FeedAggregatorConfig.load(configFile, System.getenv());
        } catch (ConfigLoader.InvalidConfigException | AlertRulesFile.InvalidRulesException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        FeedAggregatorApp app;
        try {
            app = start(config);
        } catch (AlertRulesFile.InvalidRulesException | IllegalArgumentException e) {
            System.err.println(e.getMessage()); // a rules/destinations file or a delivery setting with problems
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            app.close();
                            stopped.countDown();
                        },
                        "shutdown"));
        stopped.await();
    }
}
