package io.quintet.audit.checkpoint;

import io.quintet.audit.chain.Hash32;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A checkpoint with its Ed25519 signature.
 *
 * @param checkpoint  the statement
 * @param signedBytes the exact bytes the signature covers: RFC 8785 form of the checkpoint JSON without
 *                    {@code signature} (as received, when parsed)
 * @param signature   64-byte Ed25519 signature
 */
public record SignedCheckpoint(Checkpoint checkpoint, byte[] signedBytes, byte[] signature) {

    public SignedCheckpoint {
        signedBytes = signedBytes.clone();
        signature = signature.clone();
    }

    @Override
    public byte[] signedBytes() {
        return signedBytes.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The checkpoint's hash, which the next checkpoint names in {@code prev_checkpoint}: SHA-256(signed bytes). */
    public Hash32 hash() {
        try {
            return Hash32.of(MessageDigest.getInstance("SHA-256").digest(signedBytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** The JSON record value for the {@code audit.checkpoints} topic and checkpoint files. */
    public String toJson() {
        return CheckpointJson.toJson(this);
    }
}
