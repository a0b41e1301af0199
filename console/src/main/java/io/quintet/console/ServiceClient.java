package io.quintet.console;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Blocking HTTP GETs to the other services (health endpoints, the feed-aggregator's API), each bounded by the
 * configured timeout; a failure to connect is an answer with status 0 and the error, not an exception.
 */
public final class ServiceClient {
    /** An answer: HTTP status (0 = no answer), body, and the error when there was no answer. */
    public record Answer(int status, String body, String error) {}

    private final HttpClient client;
    private final Duration timeout;
    private final String bearer;

    /** @param bearer sent as {@code Authorization: Bearer ...} when not empty */
    public ServiceClient(Duration timeout, String bearer) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.timeout = timeout;
        this.bearer = bearer == null ? "" : bearer;
    }

    public Answer get(URI uri) throws InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        if (!bearer.isEmpty()) {
            b.header("Authorization", "Bearer " + bearer);
        }
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), null);
        } catch (IOException e) {
            return new Answer(
                    0, null, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }
}
