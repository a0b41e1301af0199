package io.quintet.audit.verify;

/**
 * One problem a verifier found.
 *
 * @param kind      what is wrong
 * @param partition the partition (-1 when unknown)
 * @param seq       the sequence number concerned, or null
 * @param position  where (record offset, archive line, checkpoint record), or null
 * @param message   what differs, precisely
 */
public record Finding(Kind kind, int partition, Long seq, Position position, String message) {

    public enum Kind {
        /** An event's content or chain fields do not match its chain hash or its checkpoint's Merkle root. */
        ALTERED,
        /** Events are missing: a gap in the sequence numbers. */
        MISSING,
        /** Events are out of order. */
        REORDERED,
        /** The same event (sequence number and hash) appears twice. */
        DUPLICATE,
        /** An event's chainprev is not the previous event's chainhash (or the anchor a checkpoint names). */
        BROKEN_LINK,
        /** The log ends before the last event a checkpoint covers. */
        TRUNCATED,
        /** A record that cannot be read as a chained canonical event. */
        UNDECODABLE,
        /** An event sits in a partition other than the one its chain names. */
        MISPLACED,
        /** A checkpoint whose signature does not verify, or that names a key nobody published. */
        FORGED_CHECKPOINT,
        /** Checkpoints that do not chain: a missing index, a wrong prev_checkpoint, a range that does not follow on. */
        CHECKPOINT_CHAIN_BROKEN,
        /** A checkpoint record that is not a well-formed checkpoint. */
        BAD_CHECKPOINT,
        /** An event hashed with an HMAC key the verifier was not given. */
        UNKNOWN_CHAIN_KEY
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(kind.name()).append(' ');
        sb.append(partition >= 0 ? "partition " + partition : "partition ?");
        if (seq != null) {
            sb.append(" seq ").append(seq);
        }
        if (position != null) {
            sb.append(" at ").append(position);
        }
        return sb.append(": ").append(message).toString();
    }
}
