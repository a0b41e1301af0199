package io.quintet.feeds.app.http;

import io.quintet.support.auth.HashedApiKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A configured API key of the feed API: its public id (in logs and audit), the SHA-256 of the secret (the secret itself
 * is never stored) and its scopes. Configured as {@code id:sha256-hex:scope|scope} (the gateway's write-key style).
 */
public record ApiKey(String id, byte[] sha256, Set<Scope> scopes) {
    private static final SecureRandom RANDOM = new SecureRandom();

    public ApiKey {
        Objects.requireNonNull(id, "id");
        sha256 = sha256.clone();
        scopes = scopes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(scopes));
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    /**
     * Parses the configured entries ({@link HashedApiKey#parse}, the format the web console admits too); every
     * problem is collected in {@code problems} (entry named, never a digest).
     */
    public static List<ApiKey> parse(List<String> entries, List<String> problems) {
        List<ApiKey> keys = new ArrayList<>();
        for (HashedApiKey k : HashedApiKey.parse(entries, id -> Scope.fromId(id).isPresent(), Scope.ids(), problems)) {
            EnumSet<Scope> scopes = EnumSet.noneOf(Scope.class);
            k.scopes().forEach(id -> scopes.add(Scope.fromId(id).orElseThrow()));
            keys.add(new ApiKey(k.id(), k.sha256(), scopes));
        }
        return keys;
    }

    /** SHA-256 of the key's UTF-8 bytes. */
    public static byte[] sha256(String key) {
        return HashedApiKey.sha256(key);
    }

    public static String sha256Hex(String key) {
        return HashedApiKey.sha256Hex(key);
    }

    /** A new random API key: 32 random bytes, URL-safe base64 without padding, prefixed {@code qfk_}. */
    public static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "qfk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "ApiKey[" + id + " " + scopes + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiKey k && k.id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
