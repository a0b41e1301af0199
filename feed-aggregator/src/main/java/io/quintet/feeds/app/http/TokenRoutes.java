package io.quintet.feeds.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.quintet.feeds.stream.Durations;
import io.quintet.feeds.stream.JsonSerde;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/tokens} with a key holding {@code tokens:issue}: a short-lived token bound to one reader, for an app.
 * Body {@code {"reader": "<pseudonym>"}} or {@code {"user_id": "<id>"}} (the pseudonym is then asked of the enricher's
 * vault lookup, which audits the access; nothing here maps ids to pseudonyms), optional {@code "ttl": "10m"} (at most
 * {@code http.auth.token.ttl}). Answers 201 {@code {"token", "token_type", "reader", "expires_at", "expires_in"}}.
 */
public final class TokenRoutes implements Function<ApiRequest, ApiResponse> {
    public static final String PREFIX = "/v1/tokens";
    private static final Logger LOG = LoggerFactory.getLogger(TokenRoutes.class);

    private final ApiAuth auth;
    private final SubjectLookup lookup;

    public TokenRoutes(ApiAuth auth, SubjectLookup lookup) {
        this.auth = auth;
        this.lookup = lookup;
    }

    @Override
    public ApiResponse apply(ApiRequest req) {
        if (!req.segments().isEmpty()) {
            throw ApiException.notFound("use POST " + PREFIX);
        }
        if (!req.method().equals("POST")) {
            throw new ApiException(405, "use POST to ask for a token");
        }
        req.principal().require(Scope.TOKENS_ISSUE);
        ReaderTokens tokens = auth.tokens()
                .orElseThrow(() ->
                        ApiException.unavailable("this service issues no tokens: http.auth.token.secret is not set"));
        JsonNode body;
        try {
            body = JsonSerde.mapper().readTree(req.body());
        } catch (IOException e) {
            throw ApiException.badRequest(
                    "the body must be JSON: {\"reader\": \"<pseudonym>\"} or {\"user_id\": \"<id>\"}");
        }
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest(
                    "the body must be a JSON object: {\"reader\": \"<pseudonym>\"} or {\"user_id\": \"<id>\"}");
        }
        String reader = text(body, "reader");
        String userId = text(body, "user_id");
        if ((reader == null) == (userId == null)) {
            throw ApiException.badRequest("give exactly one of 'reader' (a pseudonym) and 'user_id'");
        }
        Duration ttl = null;
        String ttlText = text(body, "ttl");
        if (ttlText != null) {
            try {
                ttl = Durations.parse(ttlText);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("'ttl': " + e.getMessage());
            }
            if (ttl.isZero() || ttl.isNegative()) {
                throw ApiException.badRequest("'ttl' must be positive");
            }
        }
        if (userId != null) {
            reader = lookup.pseudonymOf(userId, req.principal().name())
                    .orElseThrow(() -> ApiException.notFound(
                            "the vault knows no subject with this user_id (never seen, or erased)"));
        }
        if (reader.indexOf('|') >= 0) {
            throw ApiException.badRequest("'reader' cannot contain '|'");
        }
        ReaderTokens.Issued issued = tokens.issue(
                reader,
                ttl,
                req.principal() instanceof Principal.Key k ? k.key().id() : "open");
        LOG.info(
                "token issued by {} ({}), valid until {}",
                req.principal().name(),
                userId != null ? "by user id" : "by reader",
                issued.expiresAt());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("token", issued.token());
        out.put("token_type", "Bearer");
        out.put("reader", issued.reader());
        out.put("expires_at", issued.expiresAt().toString());
        out.put("expires_in", issued.expiresInSeconds());
        return ApiResponse.of(201, out);
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            throw ApiException.badRequest("'" + field + "' must be a non-empty string");
        }
        return n.asText();
    }
}
