package io.quintet.audit.chain;

/**
 * The chain fields of one event, carried as CloudEvents extensions (see {@link ChainExtensions}).
 *
 * @param partition the chain's partition (extension {@code chainpart})
 * @param seq       1-based position in the partition's chain (extension {@code chainseq})
 * @param prev      H_{seq-1}, the previous event's chain hash (extension {@code chainprev}); {@link Hash32#ZERO} for seq 1
 * @param hash      H_seq = HMAC-SHA256(key, H_{seq-1} || canonical bytes) (extension {@code chainhash})
 * @param keyId     id of the HMAC key (extension {@code chainkeyid})
 */
public record ChainLink(int partition, long seq, Hash32 prev, Hash32 hash, String keyId) {

    /** The chain state right after this event. */
    public ChainState toState() {
        return new ChainState(partition, seq, hash, keyId);
    }
}
