package io.quintet.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Finds the write key a request presents. Keys are stored as SHA-256 digests (keys are random 256-bit secrets, so a
 * plain digest cannot be brute-forced; no slow hash is needed). The presented key is hashed and compared with every
 * configured digest in constant time ({@link MessageDigest#isEqual}), without stopping at the first match, so the
 * time taken tells nothing about which key or how much of it matched.
 */
public final class WriteKeyAuthenticator {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final List<WriteKey> keys;
    /**
     * A fresh SHA-256 digest, never updated, only cloned: a clone per request is much cheaper than
     * {@link MessageDigest#getInstance} (a provider lookup and a reflective constructor call on every request).
     */
    private final MessageDigest unusedSha256;

    public WriteKeyAuthenticator(List<WriteKey> keys) {
        this.keys = List.copyOf(keys);
        this.unusedSha256 = newSha256();
    }

    /** The key for this secret, or empty when it matches none. */
    public Optional<WriteKey> find(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = freshSha256().digest(presented.getBytes(StandardCharsets.UTF_8));
        WriteKey match = null;
        for (WriteKey k : keys) {
            if (MessageDigest.isEqual(k.sha256(), digest) && match == null) {
                match = k;
            }
        }
        return Optional.ofNullable(match);
    }

    public List<WriteKey> keys() {
        return keys;
    }

    private MessageDigest freshSha256() {
        try {
            return (MessageDigest) unusedSha256.clone();
        } catch (CloneNotSupportedException e) { // not with the JDK's providers; then one lookup per request
            return newSha256();
        }
    }

    /** SHA-256 of the key's UTF-8 bytes. */
    public static byte[] sha256(String key) {
        return newSha256().digest(key.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    /** The digest as it is written in configuration: lower-case hex. */
    public static String sha256Hex(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    /** A new random write key: 32 random bytes, URL-safe base64 without padding, prefixed {@code qk_}. */
    public static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "qk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * The write key in an {@code Authorization} header: {@code Bearer <key>}, or HTTP Basic with the key as user name
     * and any (usually empty) password, as Segment's libraries send it. Empty when there is no usable header.
     */
    public static Optional<String> fromAuthorizationHeader(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String h = header.trim();
        int space = h.indexOf(' ');
        if (space < 0) {
            return Optional.empty();
        }
        String scheme = h.substring(0, space);
        String value = h.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase("Bearer")) {
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            try {
                String decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                String user = colon >= 0 ? decoded.substring(0, colon) : decoded;
                return user.isEmpty() ? Optional.empty() : Optional.of(user);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
