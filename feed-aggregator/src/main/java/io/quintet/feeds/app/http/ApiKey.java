package io.quintet.feeds.app.http;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
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
     * Parses the configured entries; every problem is collected in {@code problems} (entry named, never a digest).
     */
    public static List<ApiKey> parse(List<String> entries, List<String> problems) {
        List<ApiKey> keys = new ArrayList<>();
        Set<String> ids = new java.util.HashSet<>();
        for (String entry : entries) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            String[] parts = e.split(":", 3); // scopes contain colons themselves (feeds:read-any)
            if (parts.length != 3 || parts[0].isBlank()) {
                problems.add("'" + (parts.length > 0 ? parts[0] : "") + "': expected id:sha256-hex:scope|scope");
                continue;
            }
            String id = parts[0].trim();
            if (!ids.add(id)) {
                problems.add("'" + id + "': key id configured twice");
            }
            byte[] digest;
            try {
                digest = HexFormat.of().parseHex(parts[1].trim());
            } catch (IllegalArgumentException ex) {
                digest = new byte[0];
            }
            if (digest.length != 32) {
                problems.add("'" + id + "': the second field must be the key's SHA-256 in hex (64 characters)");
                continue;
            }
            EnumSet<Scope> scopes = EnumSet.noneOf(Scope.class);
            for (String s : parts[2].split("\\|")) {
                if (s.isBlank()) {
                    continue;
                }
                Scope.fromId(s.trim())
                        .ifPresentOrElse(
                                scopes::add,
                                () -> problems.add(
                                        "'" + id + "': unknown scope '" + s.trim() + "' (known: " + Scope.ids() + ")"));
            }
            if (scopes.isEmpty()) {
                problems.add("'" + id + "': at least one scope is needed (" + Scope.ids() + ")");
                continue;
            }
            keys.add(new ApiKey(id, digest, scopes));
        }
        return keys;
    }

    /** SHA-256 of the key's UTF-8 bytes. */
    public static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    public static String sha256Hex(String key) {
        return HexFormat.of().formatHex(sha256(key));
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
