package io.quintet.audit.keys;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 chain keys by id. The active key hashes new events; older keys stay so events hashed before a
 * rotation still verify (every event names its key in {@code chainkeyid}). Immutable and thread-safe.
 */
public final class HmacKeyring {
    public static final String ALGORITHM = "HmacSHA256";
    public static final int MIN_KEY_BYTES = 32;

    private final String activeId;
    private final Map<String, SecretKeySpec> keys;

    private HmacKeyring(String activeId, Map<String, SecretKeySpec> keys) {
        this.activeId = activeId;
        this.keys = Map.copyOf(keys);
    }

    /**
     * @param activeId id of the key for new events; null for a verify-only keyring
     * @param keys     raw key bytes by id (at least {@value #MIN_KEY_BYTES} bytes each)
     */
    public static HmacKeyring of(String activeId, Map<String, byte[]> keys) {
        Map<String, SecretKeySpec> specs = new LinkedHashMap<>();
        keys.forEach((id, bytes) -> {
            KeyIds.require(id);
            if (bytes.length < MIN_KEY_BYTES) {
                throw new IllegalArgumentException("HMAC key '" + id + "' has " + bytes.length + " bytes; at least "
                        + MIN_KEY_BYTES + " are required");
            }
            specs.put(id, new SecretKeySpec(bytes, ALGORITHM));
        });
        if (activeId != null && !specs.containsKey(activeId)) {
            throw new IllegalArgumentException(
                    "active HMAC key '" + activeId + "' is not among the keys " + specs.keySet());
        }
        return new HmacKeyring(activeId, specs);
    }

    public static HmacKeyring load(Path file) {
        KeyFiles.Loaded loaded = KeyFiles.read(file);
        return of(loaded.active(), loaded.keys());
    }

    /** A fresh random 32-byte key. */
    public static byte[] generateKey() {
        byte[] k = new byte[MIN_KEY_BYTES];
        new SecureRandom().nextBytes(k);
        return k;
    }

    public String activeId() {
        if (activeId == null) {
            throw new IllegalStateException("this keyring has no active key (verify-only)");
        }
        return activeId;
    }

    public Set<String> ids() {
        return keys.keySet();
    }

    public boolean has(String keyId) {
        return keyId != null && keys.containsKey(keyId);
    }

    /** A new Mac initialised with the key, or empty when the id is unknown. */
    public Optional<Mac> newMac(String keyId) {
        SecretKeySpec spec = keyId == null ? null : keys.get(keyId);
        if (spec == null) {
            return Optional.empty();
        }
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(spec);
            return Optional.of(mac);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
