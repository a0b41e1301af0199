package io.quintet.enricher.privacy;

import io.quintet.support.cli.Cli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import picocli.CommandLine.Command;

/**
 * The master keys that wrap the per-subject data keys, by key id. Keys come from configuration (a value or a file,
 * typically mounted from a secret store), never from the code. One key is active: new data keys are wrapped with it,
 * and key rotation re-wraps entries wrapped with any other key. Retired keys stay in the ring until rotation has
 * re-wrapped everything (then they can be removed). {@link #toString()} never shows key material.
 */
public final class Keyring {
    private final Map<String, SecretKey> keys;
    private final String activeId;

    public Keyring(Map<String, SecretKey> keys, String activeId) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("the keyring has no master key");
        }
        this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
        this.activeId = Objects.requireNonNull(activeId, "activeId");
        if (!keys.containsKey(activeId)) {
            throw new IllegalArgumentException(
                    "active master key '" + activeId + "' is not in the keyring " + keys.keySet());
        }
    }

    /**
     * Parses {@code id:base64,id:base64} (AES keys of 16, 24 or 32 bytes). With one key and no active id, that key
     * is active. Problems are reported without key material.
     */
    public static Keyring parse(String spec, String activeId) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String entry : spec.split("[,\\n]")) {
            String e = entry.trim();
            if (e.isEmpty() || e.startsWith("#")) {
                continue;
            }
            int sep = e.indexOf(':') >= 0 ? e.indexOf(':') : e.indexOf('=');
            if (sep <= 0) {
                problems.add("a master key entry is not 'id:base64'");
                continue;
            }
            String id = e.substring(0, sep).trim();
            try {
                byte[] raw = Base64.getDecoder().decode(e.substring(sep + 1).trim());
                if (raw.length != 16 && raw.length != 24 && raw.length != 32) {
                    problems.add("master key '" + id + "' is " + raw.length + " bytes; AES needs 16, 24 or 32");
                    continue;
                }
                if (keys.put(id, new SecretKeySpec(raw, "AES")) != null) {
                    problems.add("master key id '" + id + "' appears twice");
                }
            } catch (IllegalArgumentException x) {
                problems.add("master key '" + id + "' is not valid base64");
            }
        }
        String active = activeId == null || activeId.isBlank()
                ? (keys.size() == 1 ? keys.keySet().iterator().next() : null)
                : activeId.trim();
        if (keys.isEmpty()) {
            problems.add("no master key given");
        } else if (active == null) {
            problems.add("several master keys and no active key id");
        } else if (!keys.containsKey(active)) {
            problems.add("active master key '" + active + "' is not among " + keys.keySet());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new Keyring(keys, active);
    }

    /** Reads {@code id=base64} or {@code id:base64} lines from a file. */
    public static Keyring fromFile(Path file, String activeId) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), activeId);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read master key file " + file + ": " + e.getClass().getSimpleName());
        }
    }

    /** A new random 256-bit key, base64, for {@code privacy.master.keys} (a tool, not used by the service). */
    public static String generateKey() {
        byte[] k = new byte[32];
        new java.security.SecureRandom().nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    public String activeId() {
        return activeId;
    }

    public SecretKey active() {
        return keys.get(activeId);
    }

    public SecretKey key(String id) {
        SecretKey k = keys.get(id);
        if (k == null) {
            throw new UnknownMasterKeyException(id);
        }
        return k;
    }

    public boolean hasRetiredKeys() {
        return keys.size() > 1;
    }

    @Override
    public String toString() {
        return "Keyring" + keys.keySet() + " active=" + activeId;
    }

    /** A data key wrapped with a master key that is not in the keyring. */
    public static final class UnknownMasterKeyException extends RuntimeException {
        public UnknownMasterKeyException(String id) {
            super("master key '" + id + "' is not in the keyring");
        }
    }

    /** Prints a new key: {@code java io.quintet.enricher.privacy.Keyring}. */
    public static void main(String[] args) {
        Cli.main(Cli.method(Keyring.class, "printNewKey"), args);
    }

    @Command(
            name = "Keyring",
            description = {
                "prints a new random AES-256 master key (base64) for privacy.master.keys",
                "(a deployment's keys: deploy/bin/secrets.sh)"
            })
    static int printNewKey() {
        System.out.println(generateKey());
        return 0;
    }
}
