package io.quintet.audit.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.model.json.CanonicalJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The published checkpoint verification keys, as a JSON Web Key Set of Ed25519 keys (RFC 7517, RFC 8037):
 * <pre>{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"ck-2026-01","x":"..base64url..","use":"sig","alg":"EdDSA"}]}</pre>
 * Rotation adds a key and never removes the old ones, so every checkpoint stays verifiable by its
 * {@code signing_key_id}. Verifiers must obtain this file from a trusted place, not from the log it protects.
 */
public final class PublicKeySet {
    private static final ObjectMapper MAPPER = CanonicalJson.newMapper();
    private final Map<String, PublicKey> keys;

    private PublicKeySet(Map<String, PublicKey> keys) {
        this.keys = Map.copyOf(keys);
    }

    public static PublicKeySet empty() {
        return new PublicKeySet(Map.of());
    }

    public PublicKeySet with(String kid, PublicKey key) {
        Map<String, PublicKey> m = new LinkedHashMap<>(keys);
        if (m.containsKey(KeyIds.require(kid))) {
            throw new IllegalArgumentException("key id '" + kid + "' is already published; key ids are never reused");
        }
        m.put(kid, key);
        return new PublicKeySet(m);
    }

    public Set<String> ids() {
        return keys.keySet();
    }

    public static PublicKeySet load(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read public key set " + file, e);
        }
    }

    public static PublicKeySet parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("public key set is not JSON", e);
        }
        if (root == null || !root.path("keys").isArray()) {
            throw new IllegalArgumentException("public key set has no \"keys\" array");
        }
        Map<String, PublicKey> m = new LinkedHashMap<>();
        for (JsonNode k : root.get("keys")) {
            String kid = k.path("kid").asText(null);
            if (!"OKP".equals(k.path("kty").asText())
                    || !"Ed25519".equals(k.path("crv").asText())) {
                throw new IllegalArgumentException("key '" + kid + "' is not an Ed25519 OKP key");
            }
            KeyIds.require(kid);
            byte[] x;
            try {
                x = Base64.getUrlDecoder().decode(k.path("x").asText(""));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("key '" + kid + "': x is not base64url", e);
            }
            if (m.put(kid, Ed25519.publicKey(x)) != null) {
                throw new IllegalArgumentException("key id '" + kid + "' appears twice");
            }
        }
        return new PublicKeySet(m);
    }

    public String toJson() {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode arr = root.putArray("keys");
        keys.forEach((kid, key) -> arr.addObject()
                .put("kty", "OKP")
                .put("crv", "Ed25519")
                .put("kid", kid)
                .put("x", Base64.getUrlEncoder().withoutPadding().encodeToString(Ed25519.rawPublicKey(key)))
                .put("use", "sig")
                .put("alg", "EdDSA"));
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void save(Path file) {
        try {
            Files.writeString(file, toJson() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write public key set " + file, e);
        }
    }

    /** Checks a signature by key id. */
    public Verdict verify(String kid, byte[] message, byte[] signature) {
        PublicKey key = kid == null ? null : keys.get(kid);
        if (key == null) {
            return Verdict.UNKNOWN_KEY;
        }
        return Ed25519.verify(key, message, signature) ? Verdict.VALID : Verdict.BAD_SIGNATURE;
    }

    public enum Verdict {
        VALID,
        UNKNOWN_KEY,
        BAD_SIGNATURE
    }
}
