package io.quintet.support.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A small HTTP endpoint of a service that has no other HTTP (health probes, the enricher's vault lookup, the sink's
 * warm store) on Vert.x Web, the one HTTP stack of every service: a Vert.x instance of its own (one event loop, a few
 * worker threads for the handlers that block), a {@link Router} the caller fills, closed with the endpoint.
 */
public final class VertxServer implements AutoCloseable {
    private static final long WAIT_SECONDS = 30;

    private final Vertx vertx;
    private final HttpServer server;

    private VertxServer(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /**
     * Listens on {@code host:port} (port 0 picks a free one) once {@code routes} has filled the router.
     *
     * @param workers threads for the routes' blocking handlers
     * @throws IOException when it cannot listen (the port is taken, the host is unknown)
     */
    public static VertxServer start(String host, int port, int workers, Consumer<Router> routes) throws IOException {
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(Math.max(1, workers))
                .setInternalBlockingPoolSize(1));
        try {
            Router router = Router.router(vertx);
            routes.accept(router);
            HttpServer server = await(vertx.createHttpServer(
                            new HttpServerOptions().setHost(host).setPort(port).setTcpNoDelay(true))
                    .requestHandler(router)
                    .listen());
            return new VertxServer(vertx, server);
        } catch (IOException | RuntimeException e) {
            closeQuietlyAfter(vertx, e);
            throw e;
        }
    }

    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        try {
            await(vertx.close());
        } catch (IOException e) {
            throw new IllegalStateException("closing the HTTP server failed", e);
        }
    }

    private static void closeQuietlyAfter(Vertx vertx, Exception cause) {
        try {
            await(vertx.close());
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private static <T> T await(Future<T> future) throws IOException {
        try {
            return future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(String.valueOf(cause.getMessage()), cause);
        } catch (TimeoutException e) {
            throw new IOException("no answer from Vert.x within " + WAIT_SECONDS + " s", e);
        }
    }
}
