package io.quintet.support.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An API key as the feed API and the web console configure it: {@code id:sha256-hex:scope|scope} (the gateway's
 * write-key style). Only the SHA-256 of the secret is configured; keys are random 256-bit secrets, so one SHA-256
 * suffices. The parsing, the constant-time lookup and the {@code Authorization: Bearer} parsing are shared here so
 * that one key entry means the same to every service that admits it; each service decides which scopes it knows.
 *
 * @param id     the key's public id (in logs and audit)
 * @param sha256 the SHA-256 of the key's UTF-8 bytes
 * @param scopes the scope ids, in the configured order
 */
public record HashedApiKey(String id, byte[] sha256, Set<String> scopes) {

    public HashedApiKey {
        Objects.requireNonNull(id, "id");
        sha256 = sha256.clone();
        scopes = Set.copyOf(scopes);
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    /**
     * Parses the configured entries (blank ones are skipped); every problem is added to {@code problems}, naming the
     * entry by its id, never by its digest.
     *
     * @param knownScope  whether this service knows a scope id
     * @param knownScopes the known scopes, for the message about an unknown one
     */
    public static List<HashedApiKey> parse(
            List<String> entries, Predicate<String> knownScope, String knownScopes, List<String> problems) {
        List<HashedApiKey> keys = new ArrayList<>();
        Set<String> ids = new HashSet<>();
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
            Set<String> scopes = new LinkedHashSet<>();
            for (String s : parts[2].split("\\|")) {
                if (s.isBlank()) {
                    continue;
                }
                if (knownScope.test(s.trim())) {
                    scopes.add(s.trim());
                } else {
                    problems.add("'" + id + "': unknown scope '" + s.trim() + "' (known: " + knownScopes + ")");
                }
            }
            if (scopes.isEmpty()) {
                problems.add("'" + id + "': at least one scope is needed (" + knownScopes + ")");
                continue;
            }
            keys.add(new HashedApiKey(id, digest, scopes));
        }
        return keys;
    }

    /**
     * The configured key whose digest is the presented key's SHA-256. Every key is compared in constant time, with no
     * early exit: the time taken does not say which key matched.
     */
    public static <K> Optional<K> match(
            List<K> keys, java.util.function.Function<K, byte[]> digestOf, String presented) {
        byte[] digest = sha256(presented);
        K match = null;
        for (K k : keys) {
            if (MessageDigest.isEqual(digestOf.apply(k), digest) && match == null) {
                match = k;
            }
        }
        return Optional.ofNullable(match);
    }

    /** The credential of an {@code Authorization: Bearer <credential>} header, if it is one. */
    public static Optional<String> bearer(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String h = header.trim();
        int space = h.indexOf(' ');
        if (space < 0 || !h.substring(0, space).equalsIgnoreCase("Bearer")) {
            return Optional.empty();
        }
        String value = h.substring(space + 1).trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** SHA-256 of the key's UTF-8 bytes. */
    public static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    /** The SHA-256 of the key in hex: the second field of its entry. */
    public static String sha256Hex(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    @Override
    public String toString() {
        return "HashedApiKey[" + id + " " + scopes + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HashedApiKey k && k.id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
