package io.quintet.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.json.CanonicalJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A small HTTP client of the ingest gateway, as a producer would use it (bearer write key, JSON batches). */
public final class GatewayClient {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper = CanonicalJson.newMapper();
    private final URI base;
    private final String writeKey;

    public GatewayClient(String baseUrl, String writeKey) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.writeKey = writeKey;
    }

    /**
     * The gateway's answer to one request: HTTP status, accepted and rejected counts, rejection codes, and the ids
     * of the events the gateway reported accepted (from a batch answer's {@code results}), and its
     * {@code Retry-After} header (null when absent).
     */
    public record Answer(
            int status,
            int accepted,
            int rejected,
            List<String> errorCodes,
            String body,
            List<String> acceptedIds,
            String retryAfter) {}

    public Answer sendEvents(List<CanonicalEvent> events) throws IOException, InterruptedException {
        return post("v1/events", "application/json", HttpRequest.BodyPublishers.ofByteArray(eventsJson(events)));
    }

    /**
     * Sends a batch without waiting for the answer (open-loop load: the caller schedules sends by time). The future
     * completes with the answer, or exceptionally when the request failed.
     */
    public CompletableFuture<Answer> sendEventsAsync(List<CanonicalEvent> events) throws IOException {
        return http.sendAsync(
                        request(
                                "v1/events",
                                "application/json",
                                HttpRequest.BodyPublishers.ofByteArray(eventsJson(events))),
                        HttpResponse.BodyHandlers.ofString())
                .thenApply(this::answer);
    }

    /**
     * The batch as a JSON array, each event written once by the canonical writer (no intermediate tree: the pipeline
     * benchmark's load generator sends thousands of events a second from the machine the pipeline runs on).
     */
    static byte[] eventsJson(List<CanonicalEvent> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(events.size() * 1024 + 2);
        out.write('[');
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(CanonicalJson.toBytes(events.get(i)));
        }
        out.write(']');
        return out.toByteArray();
    }

    /** Sends raw JSON text (used to show how invalid events are answered). */
    public Answer sendRaw(String json) throws IOException, InterruptedException {
        return post("v1/events", "application/json", json);
    }

    /** A Segment identify call: traits go to the profiles topic (super-properties of later events). */
    public Answer identify(String userId, String traitsJson) throws IOException, InterruptedException {
        return post("v1/identify", "application/json", "{\"userId\":\"" + userId + "\",\"traits\":" + traitsJson + "}");
    }

    /** A Segment group call: the user's group and its traits go to the profiles topic (stamped as group_id, group.*). */
    public Answer group(String userId, String groupId, String traitsJson) throws IOException, InterruptedException {
        return post(
                "v1/group",
                "application/json",
                "{\"userId\":\"" + userId + "\",\"groupId\":\"" + groupId + "\",\"traits\":" + traitsJson + "}");
    }

    public Answer erase(String subjectId, String reason) throws IOException, InterruptedException {
        return post("v1/subjects/" + subjectId + "/erasure", "application/json", "{\"reason\":\"" + reason + "\"}");
    }

    private Answer post(String path, String contentType, String body) throws IOException, InterruptedException {
        return post(path, contentType, HttpRequest.BodyPublishers.ofString(body));
    }

    private Answer post(String path, String contentType, HttpRequest.BodyPublisher body)
            throws IOException, InterruptedException {
        return answer(http.send(request(path, contentType, body), HttpResponse.BodyHandlers.ofString()));
    }

    private HttpRequest request(String path, String contentType, HttpRequest.BodyPublisher body) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .header("Authorization", "Bearer " + writeKey)
                .POST(body)
                .build();
    }

    private Answer answer(HttpResponse<String> response) {
        JsonNode json;
        try {
            json = response.body().isBlank() ? mapper.createObjectNode() : mapper.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "the gateway answered HTTP " + response.statusCode() + " with a body that is not JSON", e);
        }
        List<String> codes = new java.util.ArrayList<>();
        List<String> acceptedIds = new java.util.ArrayList<>();
        json.path("results").forEach(r -> {
            if (r.has("error")) {
                codes.add(r.path("error").path("code").asText());
            } else if ("accepted".equals(r.path("status").asText())) {
                acceptedIds.add(r.path("id").asText());
            }
        });
        if (json.has("error")) {
            codes.add(json.path("error").path("code").asText());
        }
        int accepted =
                json.has("accepted") ? json.path("accepted").asInt() : (response.statusCode() / 100 == 2 ? 1 : 0);
        int rejected = json.path("rejected").asInt(codes.size());
        return new Answer(
                response.statusCode(),
                accepted,
                rejected,
                codes,
                response.body(),
                acceptedIds,
                response.headers().firstValue("Retry-After").orElse(null));
    }
}
