package io.quintet.support.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A minimal liveness/readiness endpoint for services that serve no other HTTP (the enricher, the sink), so that
 * Kubernetes probes and the local pipeline can ask them how they are: {@code GET /healthz} (alive) and
 * {@code GET /readyz} (ready), each 200 or 503 with a one-line JSON status. Built on the JDK's HTTP server:
 * no dependency, one thread.
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

    private final HttpServer server;

    private HealthServer(HttpServer server) {
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
     * Prometheus text format, see {@link io.quintet.support.metrics.PrometheusText}) when it is not null.
     */
    public static HealthServer start(
            String host, int port, Supplier<Status> liveness, Supplier<Status> readiness, Supplier<String> metrics)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.createContext("/healthz", ex -> answer(ex, liveness));
        server.createContext("/readyz", ex -> answer(ex, readiness));
        if (metrics != null) {
            server.createContext("/metrics", ex -> scrape(ex, metrics));
        }
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "health-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return new HealthServer(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange ex, Supplier<Status> probe) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            Status s;
            try {
                s = probe.get();
            } catch (RuntimeException e) {
                s = Status.down("probe failed: " + e.getClass().getSimpleName());
            }
            byte[] body = ("{\"status\":\"" + (s.healthy() ? "UP" : "DOWN") + "\",\"detail\":\""
                            + s.detail().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}\n")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(s.healthy() ? 200 : 503, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void scrape(HttpExchange ex, Supplier<String> metrics) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body;
            int status = 200;
            try {
                body = metrics.get().getBytes(StandardCharsets.UTF_8);
            } catch (RuntimeException e) {
                status = 500;
                body = ("# metrics unavailable: " + e.getClass().getSimpleName() + "\n")
                        .getBytes(StandardCharsets.UTF_8);
            }
            ex.getResponseHeaders().set("Content-Type", io.quintet.support.metrics.PrometheusText.CONTENT_TYPE);
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
