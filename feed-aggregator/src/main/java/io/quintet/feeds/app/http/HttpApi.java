package io.quintet.feeds.app.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quintet.feeds.stream.JsonSerde;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The service's HTTP API on the JDK HTTP server: JSON in and out, typed errors mapped to statuses
 * ({@link ApiException}; a store that is not queryable yet is 503), and forwarding of keyed requests to the instance
 * that owns the key.
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm and the client's
        // delayed ACK add ~40 ms to every small response. Read once when the server implementation is first loaded;
        // an explicit -Dsun.net.httpserver.nodelay=false still wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final ObjectMapper mapper = JsonSerde.mapper();

    /** @param routes path prefix (e.g. {@code /metrics}) -> handler */
    public HttpApi(InetSocketAddress bind, Map<String, Function<ApiRequest, ApiResponse>> routes) throws IOException {
        this.server = HttpServer.create(bind, 64);
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "http-api");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        routes.forEach((prefix, handler) -> server.createContext(prefix, ex -> handle(ex, prefix, handler)));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Serves {@code GET path} with {@code body}'s text as {@code contentType} (e.g. Prometheus metrics). */
    public void text(String path, String contentType, java.util.function.Supplier<String> body) {
        server.createContext(path, ex -> {
            try (ex) {
                if (!"GET".equals(ex.getRequestMethod())) {
                    ex.sendResponseHeaders(405, -1);
                    return;
                }
                byte[] bytes;
                int status = 200;
                try {
                    bytes = body.get().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                } catch (RuntimeException e) {
                    LOG.error("GET {} failed", path, e);
                    status = 500;
                    bytes = ("# unavailable: " + e.getClass().getSimpleName() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                }
                ex.getResponseHeaders().set("Content-Type", contentType);
                ex.sendResponseHeaders(status, bytes.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        });
    }

    private void handle(HttpExchange ex, String prefix, Function<ApiRequest, ApiResponse> handler) throws IOException {
        ApiResponse response;
        try {
            response = handler.apply(ApiRequest.of(ex.getRequestMethod(), ex.getRequestURI(), prefix));
        } catch (ApiException e) {
            response = ApiResponse.of(e.status(), Map.of("error", e.getMessage()));
        } catch (InvalidStateStoreException e) {
            response = ApiResponse.of(503, Map.of("error", "state is not queryable yet (rebalancing or restoring); retry"));
        } catch (RuntimeException e) {
            LOG.error("request {} {} failed", ex.getRequestMethod(), ex.getRequestURI().getPath(), e);
            response = ApiResponse.of(500, Map.of("error", "internal error"));
        }
        byte[] body = response.rawJson() != null ? response.rawJson() : mapper.writeValueAsBytes(response.body());
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(response.status(), body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
