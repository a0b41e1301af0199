package io.quintet.audit.keys;

import java.util.regex.Pattern;

/** Key ids name HMAC and signing keys in events and checkpoints, so keys can be rotated. */
public final class KeyIds {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private KeyIds() {}

    public static String require(String keyId) {
        if (keyId == null || !VALID.matcher(keyId).matches()) {
            throw new IllegalArgumentException(
                    "key id '" + keyId + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        return keyId;
    }
}
