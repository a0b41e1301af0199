package io.quintet.feeds.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quintet.feeds.stream.JsonSerde;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's HTTP API on Vert.x Web (the gateway's HTTP stack): JSON in and out, one handler per path prefix
 * ({@code Function<ApiRequest, ApiResponse>}), typed errors mapped to statuses ({@link ApiException}; a store that is
 * not queryable yet is 503). Handlers run on a worker pool, never on the event loop: interactive queries and
 * forwarding to the instance that owns a key block.
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    /** Request bodies (a token request, a mark) are small. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    static final int WORKERS = 8;

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final Router router;
    private final HttpServer server;
    private final WorkerExecutor workers;
    private final ApiAuth auth;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final ObjectMapper mapper = JsonSerde.mapper();

    /** Without authentication, on a Vert.x instance of its own, closed with the API. */
    public HttpApi(InetSocketAddress bind, Map<String, Function<ApiRequest, ApiResponse>> routes) {
        this(Vertx.vertx(), true, bind, routes, ApiAuth.disabled());
    }

    /** Without authentication, on the caller's Vert.x instance (left open on {@link #close()}). */
    public HttpApi(Vertx vertx, InetSocketAddress bind, Map<String, Function<ApiRequest, ApiResponse>> routes) {
        this(vertx, false, bind, routes, ApiAuth.disabled());
    }

    /** Every request authenticated by {@code auth} (except its public paths), on the caller's Vert.x instance. */
    public HttpApi(
            Vertx vertx, InetSocketAddress bind, Map<String, Function<ApiRequest, ApiResponse>> routes, ApiAuth auth) {
        this(vertx, false, bind, routes, auth);
    }

    private HttpApi(
            Vertx vertx,
            boolean ownsVertx,
            InetSocketAddress bind,
            Map<String, Function<ApiRequest, ApiResponse>> routes,
            ApiAuth auth) {
        this.auth = auth;
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.workers = vertx.createSharedWorkerExecutor("http-api-" + UUID.randomUUID(), WORKERS);
        this.router = Router.router(vertx);
        router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        routes.forEach((prefix, handler) -> {
            router.route(prefix).handler(ctx -> handle(ctx, prefix, handler));
            router.route(prefix + "/*").handler(ctx -> handle(ctx, prefix, handler));
        });
        router.errorHandler(
                404,
                ctx -> json(
                        ctx.response(),
                        404,
                        bytes(Map.of(
                                "error", "no such resource: " + ctx.request().path()))));
        router.errorHandler(
                413,
                ctx -> json(
                        ctx.response(),
                        413,
                        bytes(Map.of("error", "request body larger than " + MAX_BODY_BYTES + " bytes"))));
        router.errorHandler(500, ctx -> {
            LOG.error(
                    "request {} {} failed",
                    ctx.request().method(),
                    ctx.request().path(),
                    ctx.failure());
            json(ctx.response(), 500, bytes(Map.of("error", "internal error")));
        });
        this.server = await(
                vertx.createHttpServer(new HttpServerOptions()
                                .setHost(bind.getHostString())
                                .setPort(bind.getPort())
                                .setTcpNoDelay(true))
                        .requestHandler(router)
                        .listen(),
                "listen on " + bind);
    }

    public int port() {
        return server.actualPort();
    }

    public Vertx vertx() {
        return vertx;
    }

    /**
     * Serves {@code GET path} with {@code body}'s text as {@code contentType} (e.g. Prometheus metrics); authenticated
     * unless the path is public (any valid credential will do).
     */
    public void text(String path, String contentType, Supplier<String> body) {
        router.route(path).handler(ctx -> {
            if (ctx.request().method() != HttpMethod.GET) {
                ctx.response().setStatusCode(405).end();
                return;
            }
            try {
                auth.authenticate(ctx.request().getHeader("Authorization"), path);
            } catch (ApiException e) {
                error(ctx.request().getHeader("Authorization"), ctx.response(), e);
                return;
            }
            workers.<String>executeBlocking(body::get, false).onComplete(ar -> {
                HttpServerResponse response = ctx.response();
                if (response.closed()) {
                    return;
                }
                if (ar.succeeded()) {
                    response.setStatusCode(200)
                            .putHeader("Content-Type", contentType)
                            .end(ar.result());
                } else {
                    LOG.error("GET {} failed", path, ar.cause());
                    response.setStatusCode(500)
                            .putHeader("Content-Type", contentType)
                            .end("# unavailable: " + ar.cause().getClass().getSimpleName() + "\n");
                }
            });
        });
    }

    /** A long-lived response (Server-Sent Events) opened on the event loop; it must not block. */
    public interface StreamHandler {
        /** Throws {@link ApiException} to refuse (before anything is written); otherwise owns {@code http}'s response. */
        void open(ApiRequest request, io.vertx.core.http.HttpServerRequest http);
    }

    /**
     * Serves {@code GET path} as a stream: the request is authenticated (401) and must hold {@code scope} (403) before
     * {@code handler} opens it.
     */
    public void stream(String path, Scope scope, StreamHandler handler) {
        router.route(path).handler(ctx -> {
            var request = ctx.request();
            String authorization = request.getHeader("Authorization");
            try {
                ApiRequest req = ApiRequest.of(
                        request.method().name(),
                        request.path(),
                        request.query(),
                        path,
                        null,
                        authorization,
                        auth.authenticate(authorization, path));
                req.principal().require(scope);
                handler.open(req, request);
            } catch (ApiException e) {
                error(authorization, ctx.response(), e);
            } catch (RuntimeException e) {
                LOG.error("stream {} could not be opened", path, e);
                json(ctx.response(), 500, bytes(Map.of("error", "internal error")));
            }
        });
    }

    private void handle(RoutingContext ctx, String prefix, Function<ApiRequest, ApiResponse> handler) {
        var request = ctx.request();
        byte[] body = ctx.body() == null || ctx.body().buffer() == null
                ? null
                : ctx.body().buffer().getBytes();
        String authorization = request.getHeader("Authorization");
        String path = request.path();
        String query = request.query();
        String method = request.method().name();
        workers.executeBlocking(
                        () -> answer(
                                handler,
                                () -> ApiRequest.of(
                                        method,
                                        path,
                                        query,
                                        prefix,
                                        body,
                                        authorization,
                                        auth.authenticate(authorization, path))),
                        false)
                .onComplete(ar -> {
                    if (ar.failed()) { // answer() maps every exception: an Error, or the task refused (the pool is
                        // closing)
                        if (ar.cause() instanceof java.util.concurrent.RejectedExecutionException) {
                            json(ctx.response(), 503, bytes(Map.of("error", "the service is stopping; retry")));
                        } else {
                            LOG.error("request {} {} failed", request.method(), path, ar.cause());
                            json(ctx.response(), 500, bytes(Map.of("error", "internal error")));
                        }
                        return;
                    }
                    ApiResponse response = ar.result();
                    if (response.status() == 401) {
                        ctx.response().putHeader("WWW-Authenticate", challenge(authorization));
                    }
                    try {
                        json(
                                ctx.response(),
                                response.status(),
                                response.rawJson() != null
                                        ? response.rawJson()
                                        : mapper.writeValueAsBytes(response.body()));
                    } catch (JsonProcessingException e) {
                        LOG.error("answer to {} {} could not be written as JSON", request.method(), request.path(), e);
                        json(ctx.response(), 500, bytes(Map.of("error", "internal error")));
                    }
                });
    }

    private static ApiResponse answer(Function<ApiRequest, ApiResponse> handler, Supplier<ApiRequest> request) {
        ApiRequest req = null;
        try {
            req = request.get();
            return handler.apply(req);
        } catch (ApiException e) {
            return ApiResponse.of(e.status(), errorBody(e));
        } catch (InvalidStateStoreException e) {
            return ApiResponse.of(503, Map.of("error", "state is not queryable yet (rebalancing or restoring); retry"));
        } catch (RuntimeException e) {
            LOG.error("request {} failed", req, e);
            return ApiResponse.of(500, Map.of("error", "internal error"));
        }
    }

    static Map<String, Object> errorBody(ApiException e) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("error", e.getMessage());
        if (e.code() != null) {
            body.put("code", e.code());
        }
        return body;
    }

    /** RFC 6750: the scheme and realm; {@code error="invalid_token"} when credentials were sent but not accepted. */
    static String challenge(String authorization) {
        return "Bearer realm=\"" + ApiAuth.REALM + "\"" + (authorization == null ? "" : ", error=\"invalid_token\"");
    }

    /** Answers an {@link ApiException} straight from the event loop (before any handler ran). */
    void error(String authorization, HttpServerResponse response, ApiException e) {
        if (e.status() == 401) {
            response.putHeader("WWW-Authenticate", challenge(authorization));
        }
        json(response, e.status(), bytes(errorBody(e)));
    }

    ApiAuth auth() {
        return auth;
    }

    private static void json(HttpServerResponse response, int status, byte[] body) {
        if (response.closed() || response.ended()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(body));
    }

    private byte[] bytes(Object body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            return "{\"error\":\"internal error\"}".getBytes(StandardCharsets.UTF_8);
        }
    }

    static <T> T await(io.vertx.core.Future<T> future, String what) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "HTTP API could not " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("HTTP API could not " + what + " within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the HTTP API tried to " + what, e);
        }
    }

    /** Stops listening and waits for the workers; closing again does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            await(server.close(), "close");
            await(workers.close(), "close its workers");
        } finally {
            if (ownsVertx) {
                await(vertx.close(), "close Vert.x");
            }
        }
    }
}
