package io.quintet.feeds.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quintet.feeds.stream.JsonSerde;
import org.apache.kafka.streams.state.HostInfo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Sends a request on to the instance that owns its key, once (a forwarded request is never forwarded again). */
public final class Forwarder {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper = JsonSerde.mapper();

    public ApiResponse forward(HostInfo owner, ApiRequest request) {
        if (request.forwarded()) {
            throw ApiException.unavailable("this instance does not own the key and the request was already forwarded; retry");
        }
        HttpResponse<byte[]> r = send(owner, request);
        return ApiResponse.relayed(r.statusCode(), r.body());
    }

    /** The JSON answer of another instance to the same request (status 200 expected). */
    public JsonNode fetchJson(HostInfo host, ApiRequest request) {
        HttpResponse<byte[]> r = send(host, request);
        if (r.statusCode() != 200) {
            throw ApiException.unavailable("instance " + host.host() + ":" + host.port() + " answered " + r.statusCode());
        }
        try {
            return mapper.readTree(r.body());
        } catch (IOException e) {
            throw ApiException.unavailable("instance " + host.host() + ":" + host.port() + " answered something that is not JSON");
        }
    }

    private HttpResponse<byte[]> send(HostInfo host, ApiRequest request) {
        String sep = request.rawPathAndQuery().contains("?") ? "&" : "?";
        URI uri = URI.create("http://" + host.host() + ":" + host.port() + request.rawPathAndQuery() + sep
                + ApiRequest.FORWARDED_PARAM + "=1");
        try {
            return client.send(HttpRequest.newBuilder(uri).method(request.method(), HttpRequest.BodyPublishers.noBody())
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw ApiException.unavailable("instance " + host.host() + ":" + host.port() + " did not answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while forwarding");
        }
    }
}
