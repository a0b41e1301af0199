package io.quintet.gateway.http;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/** One HTTP server instance on one event loop; several instances share the port (Vert.x balances connections). */
public final class HttpVerticle extends AbstractVerticle {
    private final HttpApi api;
    private final String host;
    private final int port;
    private volatile HttpServer server;

    public HttpVerticle(HttpApi api, String host, int port) {
        this.api = api;
        this.host = host;
        this.port = port;
    }

    @Override
    public void start(Promise<Void> started) {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                .setCompressionSupported(false)
                .setDecompressionSupported(true)
                .setIdleTimeout(120)
                .setHandle100ContinueAutomatically(true);
        vertx.createHttpServer(options)
                .requestHandler(api.router(vertx))
                .listen()
                .onSuccess(s -> {
                    server = s;
                    started.complete();
                })
                .onFailure(started::fail);
    }

    public int actualPort() {
        return server == null ? -1 : server.actualPort();
    }
}
