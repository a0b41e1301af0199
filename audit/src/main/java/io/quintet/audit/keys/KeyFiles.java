package io.quintet.audit.keys;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The key file format shared by HMAC and signing keys: a properties file
 * <pre>
 *   active=chain-2026-01                 # id of the key used for new hashes / signatures
 *   key.chain-2025-07=BASE64             # older keys stay, so old events verify
 *   key.chain-2026-01=BASE64
 * </pre>
 * (HMAC keys: the raw key bytes, at least 32; signing keys: the PKCS#8 DER of an Ed25519 private key).
 */
public final class KeyFiles {
    private KeyFiles() {}

    public record Loaded(String active, Map<String, byte[]> keys) {}

    public static Loaded read(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read key file " + file, e);
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (String name : new TreeMap<>(Map.copyOf(p))
                .keySet().stream().map(Object::toString).toList()) {
            if (name.startsWith("key.")) {
                String id = KeyIds.require(name.substring(4));
                try {
                    keys.put(id, Base64.getDecoder().decode(p.getProperty(name).trim()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("key file " + file + ": key '" + id + "' is not base64", e);
                }
            } else if (!name.equals("active")) {
                throw new IllegalArgumentException(
                        "key file " + file + ": unknown entry '" + name + "' (expected 'active' and 'key.<id>')");
            }
        }
        String active = p.getProperty("active");
        return new Loaded(active == null ? null : active.trim(), keys);
    }

    public static void write(Path file, String active, Map<String, byte[]> keys) {
        StringBuilder sb =
                new StringBuilder("# Quintet audit key file: keep it secret; 'active' names the key in use\n");
        if (active != null) {
            sb.append("active=").append(active).append('\n');
        }
        keys.forEach((id, bytes) -> sb.append("key.")
                .append(KeyIds.require(id))
                .append('=')
                .append(Base64.getEncoder().encodeToString(bytes))
                .append('\n'));
        try {
            Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write key file " + file, e);
        }
    }
}
