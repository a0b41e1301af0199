package io.quintet.sink.serve;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.quintet.sink.ServeSettings;
import io.quintet.sink.catalog.RestCatalogHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The warm store over HTTP (JDK HTTP server): the Iceberg REST catalog under {@value #CATALOG_PATH} (engines use
 * {@code http://host:port/catalog} as catalog URI) and whatever other routes are given (entity history). With a token
 * set, every request must carry {@code Authorization: Bearer <token>}; anything else is answered 401.
 */
public final class WarmStoreServer implements AutoCloseable {
    public static final String CATALOG_PATH = "/catalog";

    private final HttpServer server;
    private final ExecutorService pool;

    private WarmStoreServer(HttpServer server, ExecutorService pool) {
        this.server = server;
        this.pool = pool;
    }

    /**
     * Starts listening.
     *
     * @param catalogHandler the REST catalog routes, mounted at {@value #CATALOG_PATH}
     * @param routes         further handlers by path prefix
     */
    public static WarmStoreServer start(
            ServeSettings settings, RestCatalogHandler catalogHandler, Map<String, HttpHandler> routes)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 64);
        Filter auth = new BearerToken(settings.token());
        Map<String, HttpHandler> all = new LinkedHashMap<>();
        all.put(CATALOG_PATH, catalogHandler);
        all.putAll(routes);
        all.forEach((path, handler) ->
                server.createContext(path, handler).getFilters().add(auth));
        server.createContext("/healthz", ex -> {
            try (ex) {
                byte[] body = "{\"status\":\"up\"}".getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "warm-store-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.start();
        return new WarmStoreServer(server, pool);
    }

    /** The port listened on (useful with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(1);
        pool.shutdown();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Refuses requests without the configured bearer token (compared in constant time); no token = open. */
    static final class BearerToken extends Filter {
        private final byte[] expected;

        BearerToken(String token) {
            this.expected = token.isEmpty() ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void doFilter(HttpExchange ex, Chain chain) throws IOException {
            if (expected != null) {
                String given = ex.getRequestHeaders().getFirst("Authorization");
                if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
                    try (ex) {
                        byte[] body = ("{\"error\":{\"message\":\"missing or wrong bearer token\",\"type\":"
                                        + "\"NotAuthorizedException\",\"code\":401}}")
                                .getBytes(StandardCharsets.UTF_8);
                        ex.getResponseHeaders().set("Content-Type", "application/json");
                        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                        ex.sendResponseHeaders(401, body.length);
                        try (OutputStream out = ex.getResponseBody()) {
                            out.write(body);
                        }
                    }
                    return;
                }
            }
            chain.doFilter(ex);
        }

        @Override
        public String description() {
            return "bearer token";
        }
    }
}
