package io.quintet.audit.chain;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/** An immutable 32-byte hash (SHA-256 or HMAC-SHA256), written as 64 lower-case hex digits. */
public final class Hash32 {
    public static final int LENGTH = 32;
    /** The chain's genesis value H_0: 32 zero bytes. */
    public static final Hash32 ZERO = new Hash32(new byte[LENGTH]);

    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;

    private Hash32(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Hash32 of(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException(
                    "a hash has " + LENGTH + " bytes, got " + (bytes == null ? "none" : bytes.length));
        }
        return new Hash32(bytes.clone());
    }

    /** Parses 64 hex digits (either case). */
    public static Hash32 fromHex(String hex) {
        if (hex == null || hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("a hash is " + 2 * LENGTH + " hex digits, got "
                    + (hex == null ? "none" : hex.length() + " characters"));
        }
        try {
            return new Hash32(HEX.parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a hash is " + 2 * LENGTH + " hex digits: " + e.getMessage(), e);
        }
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** Feeds the bytes to a digest or MAC without copying. */
    public void writeTo(MessageDigest digest) {
        digest.update(bytes);
    }

    void writeTo(javax.crypto.Mac mac) {
        mac.update(bytes);
    }

    public String hex() {
        return HEX.formatHex(bytes);
    }

    /** {@link #hex()} as ASCII bytes (a record header's value), without the string in between. */
    public byte[] hexBytes() {
        byte[] out = new byte[2 * LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            out[2 * i] = (byte) HEX.toHighHexDigit(bytes[i]);
            out[2 * i + 1] = (byte) HEX.toLowHexDigit(bytes[i]);
        }
        return out;
    }

    /** First 12 hex digits, for messages. */
    public String shortHex() {
        return hex().substring(0, 12);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hash32 h && MessageDigest.isEqual(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
