package io.quintet.sink.serve;

import io.quintet.sink.catalog.RestCatalogHandler;
import io.quintet.sink.config.ServeSettings;
import io.quintet.support.http.VertxServer;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The warm store over HTTP (Vert.x Web, like every service's HTTP): the Iceberg REST catalog under
 * {@value #CATALOG_PATH} (engines use {@code http://host:port/catalog} as catalog URI) and whatever other routes are
 * given (entity history). With a token set, every request must carry {@code Authorization: Bearer <token>}; anything
 * else is answered 401. The handlers read the table, so they run on {@value #WORKERS} worker threads.
 */
public final class WarmStoreServer implements AutoCloseable {
    public static final String CATALOG_PATH = "/catalog";
    static final int WORKERS = 4;

    private final VertxServer server;

    private WarmStoreServer(VertxServer server) {
        this.server = server;
    }

    /**
     * Starts listening.
     *
     * @param catalogHandler the REST catalog routes, mounted at {@value #CATALOG_PATH}
     * @param routes         further handlers by path prefix (each answers {@code prefix} and {@code prefix/...})
     */
    public static WarmStoreServer start(
            ServeSettings settings, RestCatalogHandler catalogHandler, Map<String, Handler<RoutingContext>> routes)
            throws IOException {
        Map<String, Handler<RoutingContext>> all = new LinkedHashMap<>();
        all.put(CATALOG_PATH, catalogHandler);
        all.putAll(routes);
        BearerToken auth = new BearerToken(settings.token());
        return new WarmStoreServer(VertxServer.start(settings.host(), settings.port(), WORKERS, (Router router) -> {
            router.route("/healthz")
                    .handler(ctx -> ctx.response()
                            .setStatusCode(200)
                            .putHeader("Content-Type", "application/json")
                            .end("{\"status\":\"up\"}"));
            all.forEach((path, handler) -> {
                for (String route : new String[] {path, path + "/*"}) {
                    router.route(route).handler(auth).blockingHandler(handler, false);
                }
            });
        }));
    }

    /** The port listened on (useful with port 0). */
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }

    /** Refuses requests without the configured bearer token (compared in constant time); no token = open. */
    static final class BearerToken implements Handler<RoutingContext> {
        private final byte[] expected;

        BearerToken(String token) {
            this.expected = token.isEmpty() ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void handle(RoutingContext ctx) {
            if (expected != null) {
                String given = ctx.request().getHeader("Authorization");
                if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
                    ctx.response()
                            .setStatusCode(401)
                            .putHeader("Content-Type", "application/json")
                            .putHeader("WWW-Authenticate", "Bearer")
                            .end("{\"error\":{\"message\":\"missing or wrong bearer token\",\"type\":"
                                    + "\"NotAuthorizedException\",\"code\":401}}");
                    return;
                }
            }
            ctx.next();
        }
    }
}
