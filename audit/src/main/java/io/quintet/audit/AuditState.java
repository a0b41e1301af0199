package io.quintet.audit;

import io.quintet.audit.chain.ChainState;
import io.quintet.audit.checkpoint.OpenRange;
import java.util.Objects;

/**
 * Everything the chaining step keeps per output partition, as one state-store value ({@link AuditStateSerde}):
 * the chain's head and the checkpoint being built. Updating both in one value, in the same transaction as the
 * output records, is what keeps the chain free of gaps and forks under exactly-once processing.
 */
public record AuditState(ChainState chain, OpenRange range) {

    public AuditState {
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(range, "range");
    }

    public static AuditState initial(int partition) {
        return new AuditState(ChainState.genesis(partition), OpenRange.initial());
    }

    public int partition() {
        return chain.partition();
    }
}
