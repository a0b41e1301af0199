package io.quintet.feeds.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.feeds.stream.JsonSerde;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived per-user tokens, bound to one reader: {@code qft1.<payload>.<signature>}, payload = URL-safe base64 of
 * {@code {"r": reader, "exp": unix seconds, "iss": issuing key id}}, signature = HMAC-SHA256 over {@code qft1.<payload>}
 * with {@code http.auth.token.secret} (the same on every instance: a forwarded request is checked again by the owner).
 * Nothing is stored: a token is valid until it expires (keep the lifetime short).
 */
public final class ReaderTokens {
    public static final String PREFIX = "qft1.";
    public static final int MIN_SECRET_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final byte[] secret;
    private final Duration maxTtl;
    private final Clock clock;
    private final ObjectMapper mapper = JsonSerde.mapper();

    /** @param maxTtl the lifetime of a token issued without one, and the longest allowed */
    public ReaderTokens(byte[] secret, Duration maxTtl, Clock clock) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the token secret must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        this.secret = secret.clone();
        this.maxTtl = maxTtl;
        this.clock = clock;
    }

    /** A token for {@code reader}, valid for {@code ttl} (at most the configured lifetime). */
    public Issued issue(String reader, Duration ttl, String issuer) {
        Duration life = ttl == null || ttl.compareTo(maxTtl) > 0 ? maxTtl : ttl;
        Instant now = clock.instant();
        Instant expires = now.plus(life).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        ObjectNode payload = mapper.createObjectNode()
                .put("r", reader)
                .put("exp", expires.getEpochSecond())
                .put("iss", issuer);
        String signed = PREFIX + B64.encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8));
        return new Issued(
                signed + "." + B64.encodeToString(mac(signed)),
                reader,
                expires,
                Duration.between(now, expires).toSeconds());
    }

    public record Issued(String token, String reader, Instant expiresAt, long expiresInSeconds) {
        @Override
        public String toString() {
            return "Issued[" + reader + " until " + expiresAt + "]";
        }
    }

    public Duration maxTtl() {
        return maxTtl;
    }

    public static boolean looksLikeToken(String credential) {
        return credential.startsWith(PREFIX);
    }

    /** The reader a valid token is bound to; 401 {@code invalid_token} or {@code token_expired} otherwise. */
    public Principal.ReaderToken verify(String token) {
        int dot = token.lastIndexOf('.');
        if (!looksLikeToken(token) || dot <= PREFIX.length()) {
            throw ApiException.unauthorized("invalid_token", "the token is malformed");
        }
        String signed = token.substring(0, dot);
        byte[] given;
        try {
            given = B64D.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw ApiException.unauthorized("invalid_token", "the token is malformed");
        }
        if (!MessageDigest.isEqual(mac(signed), given)) {
            throw ApiException.unauthorized("invalid_token", "the token's signature does not verify");
        }
        JsonNode payload;
        try {
            payload = mapper.readTree(B64D.decode(signed.substring(PREFIX.length())));
        } catch (IOException | IllegalArgumentException e) {
            throw ApiException.unauthorized("invalid_token", "the token is malformed");
        }
        String reader = payload.path("r").asText("");
        long exp = payload.path("exp").asLong(0);
        if (reader.isEmpty() || exp == 0) {
            throw ApiException.unauthorized("invalid_token", "the token is malformed");
        }
        Instant expires = Instant.ofEpochSecond(exp);
        if (!clock.instant().isBefore(expires)) {
            throw ApiException.unauthorized("token_expired", "the token expired at " + expires + "; ask for a new one");
        }
        return new Principal.ReaderToken(reader, expires, payload.path("iss").asText("unknown"));
    }

    private byte[] mac(String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(signed.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java runtime", e);
        }
    }

    /** A new random token secret (32 bytes), base64, for {@code http.auth.token.secret}. */
    public static String newSecret() {
        byte[] bytes = new byte[MIN_SECRET_BYTES];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "ReaderTokens[max ttl " + maxTtl + "]";
    }
}
