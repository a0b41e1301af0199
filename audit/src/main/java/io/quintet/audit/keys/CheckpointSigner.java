package io.quintet.audit.keys;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Objects;

/** The Ed25519 key that signs new checkpoints, with the id checkpoints name it by. */
public final class CheckpointSigner {
    private final String keyId;
    private final PrivateKey key;

    public CheckpointSigner(String keyId, PrivateKey key) {
        this.keyId = KeyIds.require(keyId);
        this.key = Objects.requireNonNull(key, "key");
        if (!Ed25519.ALGORITHM.equalsIgnoreCase(key.getAlgorithm()) && !"EdDSA".equalsIgnoreCase(key.getAlgorithm())) {
            throw new IllegalArgumentException(
                    "checkpoint signing key '" + keyId + "' is " + key.getAlgorithm() + ", not Ed25519");
        }
    }

    /** Loads the active key of a signing key file (see {@link KeyFiles}; values are PKCS#8 DER). */
    public static CheckpointSigner load(Path keyFile) {
        KeyFiles.Loaded loaded = KeyFiles.read(keyFile);
        if (loaded.active() == null || !loaded.keys().containsKey(loaded.active())) {
            throw new IllegalArgumentException("signing key file " + keyFile + " names no active key among "
                    + loaded.keys().keySet());
        }
        return new CheckpointSigner(
                loaded.active(), Ed25519.privateKey(loaded.keys().get(loaded.active())));
    }

    public String keyId() {
        return keyId;
    }

    public byte[] sign(byte[] message) {
        return Ed25519.sign(key, message);
    }
}
