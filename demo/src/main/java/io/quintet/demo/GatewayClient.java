package io.quintet.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.json.CanonicalJson;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** A small HTTP client of the ingest gateway, as a producer would use it (bearer write key, JSON batches). */
public final class GatewayClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper = CanonicalJson.newMapper();
    private final URI base;
    private final String writeKey;

    public GatewayClient(String baseUrl, String writeKey) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.writeKey = writeKey;
    }

    /** The gateway's answer to one request: HTTP status, accepted and rejected counts, rejection codes. */
    public record Answer(int status, int accepted, int rejected, List<String> errorCodes, String body) {
    }

    public Answer sendEvents(List<CanonicalEvent> events) throws IOException, InterruptedException {
        ArrayNode array = mapper.createArrayNode();
        events.forEach(e -> array.add(CanonicalJson.toTree(e)));
        return post("v1/events", "application/json", mapper.writeValueAsString(array));
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
        return post("v1/group", "application/json", "{\"userId\":\"" + userId + "\",\"groupId\":\"" + groupId
                + "\",\"traits\":" + traitsJson + "}");
    }

    public Answer erase(String subjectId, String reason) throws IOException, InterruptedException {
        return post("v1/subjects/" + subjectId + "/erasure", "application/json", "{\"reason\":\"" + reason + "\"}");
    }

    private Answer post(String path, String contentType, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .header("Authorization", "Bearer " + writeKey)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body().isBlank() ? mapper.createObjectNode() : mapper.readTree(response.body());
        List<String> codes = new java.util.ArrayList<>();
        json.path("results").forEach(r -> {
            if (r.has("error")) {
                codes.add(r.path("error").path("code").asText());
            }
        });
        if (json.has("error")) {
            codes.add(json.path("error").path("code").asText());
        }
        int accepted = json.has("accepted") ? json.path("accepted").asInt()
                : (response.statusCode() / 100 == 2 ? 1 : 0);
        int rejected = json.path("rejected").asInt(codes.size());
        return new Answer(response.statusCode(), accepted, rejected, codes, response.body());
    }
}
