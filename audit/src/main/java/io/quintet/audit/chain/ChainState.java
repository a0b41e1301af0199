package io.quintet.audit.chain;

import java.util.Objects;

/**
 * The state of one partition's chain after its latest event: what the enricher keeps in its state store (one value
 * per output partition) so that the chain survives restarts and rebalances.
 *
 * @param partition the output partition the chain belongs to
 * @param seq       sequence number of the latest event; 0 before the first (the first event has seq 1)
 * @param head      chain hash of the latest event, H_seq; {@link Hash32#ZERO} (H_0) before the first
 * @param keyId     id of the HMAC key that computed {@code head}; null before the first event
 */
public record ChainState(int partition, long seq, Hash32 head, String keyId) {

    public ChainState {
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0");
        }
        if (seq < 0) {
            throw new IllegalArgumentException("seq must be >= 0");
        }
        Objects.requireNonNull(head, "head");
    }

    /** A chain with no events yet. */
    public static ChainState genesis(int partition) {
        return new ChainState(partition, 0, Hash32.ZERO, null);
    }
}
