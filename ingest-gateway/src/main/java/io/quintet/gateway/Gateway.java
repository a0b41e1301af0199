package io.quintet.gateway;

import io.opentelemetry.api.OpenTelemetry;
import io.quintet.gateway.auth.RateLimiter;
import io.quintet.gateway.auth.WriteKeyAuthenticator;
import io.quintet.gateway.config.GatewayConfig;
import io.quintet.gateway.http.ClientAddressResolver;
import io.quintet.gateway.http.CloudEventsDecoder;
import io.quintet.gateway.http.GatewayServices;
import io.quintet.gateway.http.HttpApi;
import io.quintet.gateway.http.HttpVerticle;
import io.quintet.gateway.http.Readiness;
import io.quintet.gateway.http.RequestTracker;
import io.quintet.gateway.ingest.CanonicalBodyDecoder;
import io.quintet.gateway.ingest.EdgeValidator;
import io.quintet.gateway.ingest.EventCompleter;
import io.quintet.gateway.ingest.IngestPipeline;
import io.quintet.gateway.ingest.Limits;
import io.quintet.gateway.kafka.KafkaEventSink;
import io.quintet.gateway.kafka.KafkaHealth;
import io.quintet.gateway.rejections.DeadLetterFollower;
import io.quintet.gateway.rejections.RejectionLog;
import io.quintet.gateway.segment.SegmentTranslator;
import io.quintet.gateway.telemetry.GatewayTelemetry;
import io.quintet.model.plan.TrackingPlanRules;
import io.quintet.model.schema.CanonicalSchema;
import io.quintet.model.topics.TopicCatalogue;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: the HTTP server (Vert.x, one server instance per event loop), the Kafka producer and the Kafka
 * health check, wired from a {@link GatewayConfig}. {@link #close()} shuts down gracefully: new requests get 503,
 * requests in flight are answered once Kafka has answered for them, then the producer is flushed and closed.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final GatewayConfig config;
    private final Vertx vertx;
    private final Admin admin;
    private final KafkaEventSink sink;
    private final KafkaHealth health;
    private final RequestTracker tracker;
    private final DeadLetterFollower follower;
    private final int port;
    private volatile boolean closed;

    private Gateway(
            GatewayConfig config,
            Vertx vertx,
            Admin admin,
            KafkaEventSink sink,
            KafkaHealth health,
            RequestTracker tracker,
            DeadLetterFollower follower,
            int port) {
        this.config = config;
        this.vertx = vertx;
        this.admin = admin;
        this.sink = sink;
        this.health = health;
        this.tracker = tracker;
        this.follower = follower;
        this.port = port;
    }

    /**
     * Starts the gateway and returns once it listens. Kafka need not be up: the gateway then answers 503 and
     * {@code /readyz} says why until Kafka is reachable.
     *
     * @param otel    where spans and metrics go (OpenTelemetry API; {@link OpenTelemetry#noop()} for none)
     * @param metrics Prometheus text for {@code GET /metrics}, or null to not serve it
     */
    public static Gateway start(GatewayConfig config, OpenTelemetry otel, Supplier<String> metrics) throws Exception {
        return start(config, otel, metrics, Clock.systemUTC());
    }

    /**
     * Like {@link #start(GatewayConfig, OpenTelemetry, Supplier)}, with the clock that stamps each request's receive
     * time ({@code observed_timestamp}, the timestamp range check, Segment's clock-skew correction).
     */
    public static Gateway start(GatewayConfig config, OpenTelemetry otel, Supplier<String> metrics, Clock requestClock)
            throws Exception {
        Map<String, Object> overrides = config.kafkaClientOverrides();
        Limits limits = config.limits();
        KafkaEventSink sink = new KafkaEventSink(
                KafkaEventSink.newProducer(KafkaEventSink.producerConfig(
                        config.bootstrapServers(),
                        config.deliveryTimeoutMs(),
                        config.lingerMs(),
                        limits.maxEventBytes(),
                        overrides)),
                config.topics(),
                config.deliveryTimeoutMs(),
                limits.event());
        Map<String, Object> adminConfig = new HashMap<>(overrides);
        adminConfig.keySet().removeIf(k -> k.startsWith("producer.") || isProducerOnly(k));
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "quintet-gateway-health");
        Admin admin = Admin.create(adminConfig);
        KafkaHealth health = new KafkaHealth(admin, sink, config.healthInterval(), Clock.systemUTC());
        health.start();

        RejectionLog rejections = config.rejectionsEnabled()
                ? new RejectionLog(config.rejectionsPerSource(), config.rejectionsMaxSources())
                : null;
        Map<String, Object> consumerConfig = new HashMap<>(overrides);
        consumerConfig.keySet().removeIf(k -> !ConsumerConfig.configNames().contains(k));
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        DeadLetterFollower follower = rejections == null
                ? null
                : new DeadLetterFollower(
                                consumerConfig,
                                config.topics().name(TopicCatalogue.EVENTS_DLQ),
                                rejections,
                                config.rejectionsLookback(),
                                Clock.systemUTC())
                        .start();

        RequestTracker tracker = new RequestTracker();
        CanonicalBodyDecoder decoder = new CanonicalBodyDecoder(limits.maxBatchEvents());
        GatewayServices services = new GatewayServices(
                new WriteKeyAuthenticator(config.writeKeys()),
                new RateLimiter(config.ratePerSecond(), config.rateBurst()),
                readiness(health, config.healthInterval()),
                new IngestPipeline(
                        new EventCompleter(),
                        new EdgeValidator(
                                limits,
                                config.schemaValidation() ? CanonicalSchema.load() : null,
                                config.strictPlan().map(TrackingPlanRules::new).orElse(null)),
                        sink),
                decoder,
                new CloudEventsDecoder(decoder),
                new SegmentTranslator(config.segment()),
                limits,
                new ClientAddressResolver(config.trustedProxies()),
                tracker,
                new GatewayTelemetry(otel),
                requestClock,
                config.metricsEnabled() ? metrics : null,
                rejections);
        HttpApi api = new HttpApi(services);

        int instances = config.eventLoops();
        Vertx vertx = Vertx.vertx(
                new VertxOptions().setEventLoopPoolSize(instances).setWorkerPoolSize(Math.max(4, instances * 2)));
        // a negative port makes every instance share one random port (Vert.x), as port 0 means "any free port"
        int listenPort = config.httpPort() == 0 ? -1 : config.httpPort();
        List<HttpVerticle> verticles = new ArrayList<>();
        try {
            vertx.deployVerticle(
                            () -> {
                                HttpVerticle v = new HttpVerticle(api, config.httpHost(), listenPort);
                                synchronized (verticles) {
                                    verticles.add(v);
                                }
                                return v;
                            },
                            new DeploymentOptions().setInstances(instances))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            health.close();
            if (follower != null) {
                follower.close();
            }
            sink.close(Duration.ZERO);
            admin.close(Duration.ZERO);
            throw e;
        }
        int port;
        synchronized (verticles) {
            port = verticles.get(0).actualPort();
        }
        LOG.info(
                "ingest gateway listening on {}:{} ({} event loop(s)); Kafka: {}",
                config.httpHost(),
                port,
                instances,
                health.status().detail());
        return new Gateway(config, vertx, admin, sink, health, tracker, follower, port);
    }

    private static boolean isProducerOnly(String key) {
        return org.apache.kafka.clients.producer.ProducerConfig.configNames().contains(key)
                && !AdminClientConfig.configNames().contains(key);
    }

    private static Readiness readiness(KafkaHealth health, Duration interval) {
        long retryAfter = Math.max(1, interval.multipliedBy(2).toSeconds());
        return new Readiness() {
            @Override
            public boolean kafkaAvailable() {
                return health.available();
            }

            @Override
            public String detail() {
                return health.status().detail();
            }

            @Override
            public long retryAfterSeconds() {
                return retryAfter;
            }
        };
    }

    /** The port the HTTP server listens on. */
    public int port() {
        return port;
    }

    public KafkaHealth.Status kafkaStatus() {
        return health.status();
    }

    /** Requests being processed now (waiting for Kafka included). */
    public int inFlightRequests() {
        return tracker.inFlight();
    }

    /** Checks Kafka now instead of waiting for the next scheduled check. */
    public KafkaHealth.Status checkKafkaNow() {
        return health.checkNow();
    }

    /** Graceful shutdown: refuse new requests, answer those in flight, flush and close the producer. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        tracker.drain();
        try {
            if (!tracker.awaitIdle(config.shutdownTimeout())) {
                LOG.warn(
                        "{} request(s) still in flight after {}; closing anyway",
                        tracker.inFlight(),
                        config.shutdownTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("HTTP server did not close cleanly: {}", e.toString());
        }
        health.close();
        if (follower != null) {
            follower.close();
        }
        sink.close(Duration.ofSeconds(10));
        admin.close(Duration.ofSeconds(5));
        LOG.info("ingest gateway stopped");
    }
}
