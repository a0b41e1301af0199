package io.quintet.feeds.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quintet.feeds.stream.JsonSerde;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks the enricher's vault lookup API ({@code GET /v1/subjects/{subjectId}/pseudonym}, bearer token of this service)
 * for a user's pseudonym. The enricher publishes its {@code privacy.pii.accessed} audit event before it answers; the
 * id of the API key the request came for goes along in {@value #ON_BEHALF_OF} and is recorded in that event. Blocks:
 * call from a worker thread.
 */
public final class VaultSubjectLookup implements SubjectLookup {
    public static final String PATH = "/v1/subjects/";
    public static final String ON_BEHALF_OF = "Quintet-On-Behalf-Of";
    private static final long TIMEOUT_MS = 10_000;

    private final HttpClient client;
    private final URI base;
    private final String token;
    private final ObjectMapper mapper = JsonSerde.mapper();

    public VaultSubjectLookup(Vertx vertx, URI base, String token) {
        this.base = base;
        this.token = token;
        this.client = vertx.createHttpClient(
                new HttpClientOptions().setConnectTimeout(5_000).setSsl("https".equals(base.getScheme())));
    }

    private record Answer(int status, byte[] body) {}

    @Override
    public Optional<String> pseudonymOf(String subjectId, String onBehalfOf) {
        String basePath = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(base.getHost())
                .setPort(base.getPort() > 0 ? base.getPort() : "https".equals(base.getScheme()) ? 443 : 80)
                .setURI(basePath + PATH
                        + URLEncoder.encode(subjectId, StandardCharsets.UTF_8).replace("+", "%20") + "/pseudonym")
                .putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .putHeader(ON_BEHALF_OF, onBehalfOf)
                .setTimeout(TIMEOUT_MS);
        Answer a;
        try {
            a = client.request(options)
                    .compose(r -> r.send())
                    .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), b.getBytes())))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(TIMEOUT_MS + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw ApiException.unavailable("the vault lookup did not answer; retry");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while asking the vault lookup");
        }
        switch (a.status()) {
            case 200 -> {
                try {
                    JsonNode body = mapper.readTree(a.body());
                    String pseudonym = body.path("pseudonym").asText("");
                    if (pseudonym.isEmpty()) {
                        throw new ApiException(502, "the vault lookup answered without a pseudonym");
                    }
                    return Optional.of(pseudonym);
                } catch (IOException e) {
                    throw new ApiException(502, "the vault lookup answered something that is not JSON");
                }
            }
            case 404 -> {
                return Optional.empty();
            }
            case 401, 403 ->
                throw new ApiException(
                        502,
                        "the vault lookup refused this service's credentials "
                                + "(vault.lookup.token must be one of the enricher's privacy.lookup.tokens)");
            default -> throw ApiException.unavailable("the vault lookup answered " + a.status() + "; retry");
        }
    }

    @Override
    public String toString() {
        return "VaultSubjectLookup[" + base + "]";
    }
}
