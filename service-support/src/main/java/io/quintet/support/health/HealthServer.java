package io.quintet.support.health;

import io.quintet.support.http.VertxServer;
import io.quintet.support.metrics.PrometheusText;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * A minimal liveness/readiness endpoint for services that serve no other HTTP (the enricher, the sink), so that
 * Kubernetes probes and the local pipeline can ask them how they are: {@code GET /healthz} (alive) and
 * {@code GET /readyz} (ready), each 200 or 503 with a one-line JSON status. On Vert.x Web like every service's
 * HTTP ({@link VertxServer}: one event loop, one worker thread for the probes).
 */
public final class HealthServer implements AutoCloseable {

    /** What a probe reports. */
    public record Status(boolean healthy, String detail) {
        public static Status up(String detail) {
            return new Status(true, detail);
        }

        public static Status down(String detail) {
            return new Status(false, detail);
        }
    }

    private final VertxServer server;

    private HealthServer(VertxServer server) {
        this.server = server;
    }

    /**
     * Starts on {@code host:port} (port 0 picks a free one).
     *
     * @param liveness  is the process working (e.g. Kafka Streams not in ERROR / PENDING_ERROR)
     * @param readiness can it do its job now (e.g. Kafka Streams RUNNING)
     */
    public static HealthServer start(String host, int port, Supplier<Status> liveness, Supplier<Status> readiness)
            throws IOException {
        return start(host, port, liveness, readiness, null);
    }

    /**
     * As {@link #start(String, int, Supplier, Supplier)}, and {@code GET /metrics} answers {@code metrics} (the
     * Prometheus text format, see {@link PrometheusText}) when it is not null.
     */
    public static HealthServer start(
            String host, int port, Supplier<Status> liveness, Supplier<Status> readiness, Supplier<String> metrics)
            throws IOException {
        return new HealthServer(VertxServer.start(host, port, 1, (Router router) -> {
            // the probes and the scrape may take a moment (Kafka client metrics): a worker thread, in order
            router.route("/healthz").blockingHandler(ctx -> answer(ctx, liveness));
            router.route("/readyz").blockingHandler(ctx -> answer(ctx, readiness));
            if (metrics != null) {
                router.route("/metrics").blockingHandler(ctx -> scrape(ctx, metrics));
            }
        }));
    }

    public int port() {
        return server.port();
    }

    private static void answer(RoutingContext ctx, Supplier<Status> probe) {
        if (ctx.request().method() != HttpMethod.GET) {
            ctx.response().setStatusCode(405).end();
            return;
        }
        Status s;
        try {
            s = probe.get();
        } catch (RuntimeException e) {
            s = Status.down("probe failed: " + e.getClass().getSimpleName());
        }
        String body = "{\"status\":\"" + (s.healthy() ? "UP" : "DOWN") + "\",\"detail\":\""
                + s.detail().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}\n";
        ctx.response()
                .setStatusCode(s.healthy() ? 200 : 503)
                .putHeader("Content-Type", "application/json")
                .end(body);
    }

    private static void scrape(RoutingContext ctx, Supplier<String> metrics) {
        if (ctx.request().method() != HttpMethod.GET) {
            ctx.response().setStatusCode(405).end();
            return;
        }
        String body;
        int status = 200;
        try {
            body = metrics.get();
        } catch (RuntimeException e) {
            status = 500;
            body = "# metrics unavailable: " + e.getClass().getSimpleName() + "\n";
        }
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", PrometheusText.CONTENT_TYPE)
                .end(body);
    }

    @Override
    public void close() {
        server.close();
    }
}
