package io.quintet.enricher.privacy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM envelope encryption for the vault: a random data key per subject encrypts that subject's entries;
 * the data key is stored only wrapped (AES-GCM) under a master key from the {@link Keyring}. Every ciphertext is
 * {@code iv (12 bytes) || ciphertext || tag (16 bytes)} with associated data that binds it to its place (the key id
 * for a wrapped key, the store key for an entry), so entries cannot be swapped. Not thread-safe (one per processor).
 */
public final class VaultCrypto {
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String WRAP_AAD = "quintet.vault.data-key:";

    private final Keyring keyring;
    private final SecureRandom random = new SecureRandom();
    private final Cipher cipher;
    private final VaultTelemetry telemetry;

    public VaultCrypto(Keyring keyring) {
        this(keyring, VaultTelemetry.noop());
    }

    /** Counts every encryption, decryption and key (un)wrapping in {@code telemetry}. */
    public VaultCrypto(Keyring keyring, VaultTelemetry telemetry) {
        this.keyring = keyring;
        this.telemetry = telemetry;
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available in this JVM", e);
        }
    }

    public Keyring keyring() {
        return keyring;
    }

    public byte[] newDataKey() {
        byte[] k = new byte[32];
        random.nextBytes(k);
        return k;
    }

    /** A random pseudonym: {@code ps_} and 128 random bits, base64url. Not derived from anything. */
    public String newPseudonym() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return "ps_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Wraps a data key with the active master key. */
    public Wrapped wrap(byte[] dataKey) {
        String kid = keyring.activeId();
        telemetry.wrapped();
        return new Wrapped(kid, seal(keyring.active(), dataKey, (WRAP_AAD + kid).getBytes(StandardCharsets.UTF_8)));
    }

    public byte[] unwrap(String kid, byte[] wrapped) {
        telemetry.unwrapped();
        return open(keyring.key(kid), wrapped, (WRAP_AAD + kid).getBytes(StandardCharsets.UTF_8));
    }

    public byte[] encrypt(byte[] dataKey, byte[] plaintext, String bindTo) {
        telemetry.encrypted();
        return seal(new SecretKeySpec(dataKey, "AES"), plaintext, bindTo.getBytes(StandardCharsets.UTF_8));
    }

    public byte[] decrypt(byte[] dataKey, byte[] sealed, String boundTo) {
        telemetry.decrypted();
        return open(new SecretKeySpec(dataKey, "AES"), sealed, boundTo.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] seal(SecretKey key, byte[] plaintext, byte[] aad) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad);
            byte[] ct = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(IV_BYTES + ct.length).put(iv).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new VaultCryptoException("encryption failed", e);
        }
    }

    private byte[] open(SecretKey key, byte[] sealed, byte[] aad) {
        if (sealed == null || sealed.length < IV_BYTES + TAG_BITS / 8) {
            throw new VaultCryptoException("ciphertext is too short", null);
        }
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, Arrays.copyOf(sealed, IV_BYTES)));
            cipher.updateAAD(aad);
            return cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            throw new VaultCryptoException("decryption failed (wrong key or tampered entry)", e);
        }
    }

    /** A data key wrapped with master key {@code kid}. */
    public record Wrapped(String kid, byte[] bytes) {}

    /** Encryption or decryption failed; never carries key material or plaintext. */
    public static final class VaultCryptoException extends RuntimeException {
        public VaultCryptoException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
