package io.quintet.feeds.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quintet.feeds.stream.JsonSerde;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Sends a request on to the instance that owns its key, once (a forwarded request is never forwarded again), with the
 * caller's {@code Authorization} header: the owner checks the credentials again. Blocks the calling thread: call it
 * from a worker (the {@link HttpApi} runs handlers on its worker pool), never from an event loop.
 */
public final class Forwarder {
    private static final long TIMEOUT_MS = 10_000;
    private final HttpClient client;
    private final ObjectMapper mapper = JsonSerde.mapper();

    public Forwarder(Vertx vertx) {
        this.client = vertx.createHttpClient(
                new HttpClientOptions().setConnectTimeout(5_000).setKeepAlive(true));
    }

    public ApiResponse forward(HostInfo owner, ApiRequest request) {
        if (request.forwarded()) {
            throw ApiException.unavailable(
                    "this instance does not own the key and the request was already forwarded; retry");
        }
        Answer r = send(owner, request);
        return ApiResponse.relayed(r.status(), r.body());
    }

    /** The JSON answer of another instance to the same request (status 200 expected). */
    public JsonNode fetchJson(HostInfo host, ApiRequest request) {
        Answer r = send(host, request);
        if (r.status() != 200) {
            throw ApiException.unavailable("instance " + host.host() + ":" + host.port() + " answered " + r.status());
        }
        try {
            return mapper.readTree(r.body());
        } catch (IOException e) {
            throw ApiException.unavailable(
                    "instance " + host.host() + ":" + host.port() + " answered something that is not JSON");
        }
    }

    private record Answer(int status, byte[] body) {}

    private Answer send(HostInfo host, ApiRequest request) {
        String sep = request.rawPathAndQuery().contains("?") ? "&" : "?";
        RequestOptions options = new RequestOptions()
                .setHost(host.host())
                .setPort(host.port())
                .setMethod(HttpMethod.valueOf(request.method()))
                .setURI(request.rawPathAndQuery() + sep + ApiRequest.FORWARDED_PARAM + "=1")
                .setTimeout(TIMEOUT_MS);
        if (request.authorization() != null) {
            options.putHeader(HttpHeaders.AUTHORIZATION, request.authorization());
        }
        if (request.body().length > 0) {
            options.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        }
        Future<Answer> answer = client.request(options)
                .compose(r -> r.send(Buffer.buffer(request.body())))
                .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), b.getBytes())));
        try {
            return answer.toCompletionStage().toCompletableFuture().get(TIMEOUT_MS + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw ApiException.unavailable("instance " + host.host() + ":" + host.port() + " did not answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while forwarding");
        }
    }
}
