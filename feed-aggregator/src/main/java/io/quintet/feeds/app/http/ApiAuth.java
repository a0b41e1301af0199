package io.quintet.feeds.app.http;

import io.quintet.support.auth.HashedApiKey;
import java.util.List;
import java.util.Optional;

/**
 * Authenticates requests of the feed API: {@code Authorization: Bearer <API key>} (hashed keys with scopes, compared in
 * constant time as the gateway compares write keys) or {@code Bearer <per-user token>} ({@link ReaderTokens}). Public
 * paths (by default {@code /health} and {@code /prometheus}) need nothing. {@link #disabled()} lets everything through
 * ({@code http.auth.enabled=false}).
 */
public final class ApiAuth {
    public static final String REALM = "quintet-feed-aggregator";

    private final boolean enabled;
    private final List<ApiKey> keys;
    private final ReaderTokens tokens;
    private final List<String> publicPaths;

    /** @param tokens null when no token secret is configured (tokens are then refused) */
    public ApiAuth(List<ApiKey> keys, ReaderTokens tokens, List<String> publicPaths) {
        this(true, keys, tokens, publicPaths);
    }

    private ApiAuth(boolean enabled, List<ApiKey> keys, ReaderTokens tokens, List<String> publicPaths) {
        this.enabled = enabled;
        this.keys = List.copyOf(keys);
        this.tokens = tokens;
        this.publicPaths = List.copyOf(publicPaths);
    }

    public static ApiAuth disabled() {
        return new ApiAuth(false, List.of(), null, List.of());
    }

    public boolean enabled() {
        return enabled;
    }

    public Optional<ReaderTokens> tokens() {
        return Optional.ofNullable(tokens);
    }

    public boolean isPublic(String path) {
        for (String p : publicPaths) {
            if (path.equals(p) || path.startsWith(p.endsWith("/") ? p : p + "/")) {
                return true;
            }
        }
        return false;
    }

    /** Who sent a request to {@code path} with this {@code Authorization} header; 401 when that cannot be proved. */
    public Principal authenticate(String authorization, String path) {
        if (!enabled || isPublic(path)) {
            return new Principal.Open();
        }
        String credential = bearer(authorization)
                .orElseThrow(() -> ApiException.unauthorized(
                        "unauthenticated",
                        "an API key or a token is required: 'Authorization: Bearer <key or token>'"));
        if (ReaderTokens.looksLikeToken(credential)) {
            if (tokens == null) {
                throw ApiException.unauthorized(
                        "invalid_token", "this service accepts no tokens (http.auth.token.secret is not set)");
            }
            return tokens.verify(credential);
        }
        // every key compared in constant time, no early exit: the time taken does not say which key matched
        ApiKey match = HashedApiKey.match(keys, ApiKey::sha256, credential)
                .orElseThrow(() -> ApiException.unauthorized("invalid_key", "unknown API key"));
        return new Principal.Key(match);
    }

    /**
     * The {@code Authorization} header for reading {@code reader}'s feed on another instance on behalf of a request
     * (a timeline merges followed celebrities' flat feeds, owned elsewhere): a one-minute token for that reader when
     * tokens are configured, else the request's own header (a key with {@code feeds:read-any}); null when auth is off.
     */
    public String onBehalfOf(String reader, ApiRequest request) {
        if (!enabled) {
            return null;
        }
        if (tokens != null) {
            return "Bearer "
                    + tokens.issue(reader, java.time.Duration.ofMinutes(1), "instance")
                            .token();
        }
        return request.authorization();
    }

    static Optional<String> bearer(String header) {
        return HashedApiKey.bearer(header);
    }
}
