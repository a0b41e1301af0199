package io.quintet.console;

import io.quintet.model.topics.TopicCatalogue;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The running console: the topic tail (events.canonical, events.dlq, alerts, metrics) feeding the in-memory views,
 * and the Vert.x HTTP server with the single-page app and its JSON API ({@link ConsoleApi}).
 */
public final class Console implements AutoCloseable {
    private final Vertx vertx;
    private final HttpServer server;
    private final TopicTail tail;
    private final Admin admin;
    private final AuditVerdict audit;

    private Console(Vertx vertx, HttpServer server, TopicTail tail, Admin admin, AuditVerdict audit) {
        this.vertx = vertx;
        this.server = server;
        this.tail = tail;
        this.admin = admin;
        this.audit = audit;
    }

    public static Console start(ConsoleConfig config) throws Exception {
        TopicCatalogue topics = config.topics();
        LiveEvents live = new LiveEvents(config.liveBuffer());
        DeadLetterLog deadLetters = new DeadLetterLog(config.dlqBuffer());
        AlertLog alerts = new AlertLog(config.alertsBuffer());
        MetricsHistory metrics = new MetricsHistory();
        TopicRates rates = new TopicRates(Clock.systemUTC());
        Map<String, Consumer<ConsumerRecord<byte[], byte[]>>> handlers = Map.of(
                topics.name(TopicCatalogue.EVENTS_CANONICAL), counted(rates, live::add),
                topics.name(TopicCatalogue.EVENTS_DLQ), counted(rates, deadLetters::add),
                topics.name(TopicCatalogue.ALERTS), counted(rates, alerts::add),
                topics.name(TopicCatalogue.METRICS), counted(rates, metrics::add));
        Map<String, Object> adminProps = new HashMap<>(config.kafkaClientOverrides());
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
        adminProps.put(AdminClientConfig.CLIENT_ID_CONFIG, "quintet-console-admin");
        adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        Admin admin = Admin.create(adminProps);
        TopicTail tail = new TopicTail(
                        config.bootstrap(), config.kafkaClientOverrides(), handlers, config.tailInitialPerPartition())
                .start();
        ServiceClient health = new ServiceClient(config.httpClientTimeout(), "");
        ServiceClient feeds = new ServiceClient(config.httpClientTimeout(), config.feedsApiKey());
        PipelineStatus pipeline = new PipelineStatus(
                admin, health, config.healthUrls(), config.consumerGroups(), topics, rates, Clock.systemUTC());
        DeadLetterReplay replay = config.replayEnabled()
                ? new DeadLetterReplay(
                        config.bootstrap(),
                        config.kafkaClientOverrides(),
                        topics.name(TopicCatalogue.EVENTS_DLQ),
                        topics.name(TopicCatalogue.EVENTS_RAW))
                : null;
        ConsoleAuth auth =
                new ConsoleAuth(config.authEnabled(), config.apiKeys(), config.sessionTtl(), Clock.systemUTC());
        Vertx vertx = Vertx.vertx();
        AuditVerdict audit = null;
        try {
            audit = config.auditPublicKeys() == null
                    ? null
                    : new AuditVerdict(
                                    config.auditPublicKeys(),
                                    config.auditHmacKeys(),
                                    config.bootstrap(),
                                    config.kafkaClientOverrides(),
                                    topics,
                                    Duration.ofSeconds(15),
                                    Clock.systemUTC())
                            .start(config.auditVerifyInterval());
            ConsoleApi api = new ConsoleApi(
                    vertx,
                    live,
                    deadLetters,
                    alerts,
                    metrics,
                    pipeline,
                    replay,
                    feeds,
                    config.feedsUrl(),
                    tail,
                    auth,
                    audit);
            HttpServer server = vertx.createHttpServer()
                    .requestHandler(api.router())
                    .listen(config.httpPort(), config.httpHost())
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            return new Console(vertx, server, tail, admin, audit);
        } catch (Exception e) {
            if (audit != null) {
                audit.close();
            }
            tail.close();
            admin.close();
            vertx.close();
            throw e;
        }
    }

    private static Consumer<ConsumerRecord<byte[], byte[]>> counted(
            TopicRates rates, Consumer<ConsumerRecord<byte[], byte[]>> view) {
        return r -> {
            rates.record(r);
            view.accept(r);
        };
    }

    /** The port the server listens on (the configured one, or the one chosen for port 0). */
    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway: the event loops are stopped below
            org.slf4j.LoggerFactory.getLogger(Console.class)
                    .warn("HTTP server did not close cleanly: {}", e.toString());
        } finally {
            if (audit != null) {
                audit.close();
            }
            tail.close();
            admin.close();
            vertx.close();
        }
    }
}
