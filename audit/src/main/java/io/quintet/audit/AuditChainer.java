package io.quintet.audit;

import io.quintet.audit.canonical.CanonicalForm;
import io.quintet.audit.chain.ChainLink;
import io.quintet.audit.chain.HashChain;
import io.quintet.audit.checkpoint.CheckpointBuilder;
import io.quintet.audit.checkpoint.SignedCheckpoint;
import io.quintet.audit.merkle.Merkle;
import io.quintet.model.CanonicalEvent;
import java.util.Objects;
import java.util.Optional;

/**
 * The one call the enricher makes per event: links it into its partition's chain and feeds the checkpoint builder.
 * Stateless: the caller loads the partition's {@link AuditState} from its store, calls {@link #append}, stores
 * {@link Appended#state()}, sets the chain extensions ({@link io.quintet.audit.chain.ChainExtensions#writeHeaders})
 * on the output record and publishes any closed checkpoint. Thread-safe.
 */
public final class AuditChainer {
    private final HashChain chain;
    private final CheckpointBuilder checkpoints;

    public AuditChainer(HashChain chain, CheckpointBuilder checkpoints) {
        this.chain = Objects.requireNonNull(chain, "chain");
        this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
    }

    public HashChain chain() {
        return chain;
    }

    public CheckpointBuilder checkpoints() {
        return checkpoints;
    }

    /** The result of chaining one event. */
    public record Appended(AuditState state, ChainLink link, Optional<SignedCheckpoint> checkpoint) {}

    /** A checkpoint closed by time. */
    public record Closed(AuditState state, SignedCheckpoint checkpoint) {}

    /**
     * Chains one event.
     *
     * @param state     the partition's state, or null for a partition that has none yet (then {@code partition} is used)
     * @param partition the output partition (checked against {@code state})
     * @param nowMillis wall-clock time, for time-based checkpoints
     */
    public Appended append(AuditState state, int partition, CanonicalEvent event, long nowMillis) {
        return appendCanonical(state, partition, CanonicalForm.of(event), nowMillis);
    }

    /** Chains one event given as canonical bytes ({@link CanonicalForm}). */
    public Appended appendCanonical(AuditState state, int partition, byte[] canonicalBytes, long nowMillis) {
        AuditState s = state == null ? AuditState.initial(partition) : state;
        if (s.partition() != partition) {
            throw new IllegalArgumentException(
                    "state of partition " + s.partition() + " used for partition " + partition);
        }
        ChainLink link = chain.next(s.chain(), canonicalBytes);
        CheckpointBuilder.Step step = checkpoints.add(s.range(), link, Merkle.leafHash(canonicalBytes), nowMillis);
        return new Appended(new AuditState(link.toState(), step.range()), link, step.checkpoint());
    }

    /** Closes the partition's open checkpoint if it is older than the policy's interval (call from a punctuator). */
    public Optional<Closed> closeIfDue(AuditState state, long nowMillis) {
        return checkpoints
                .closeIfDue(state.range(), state.chain(), nowMillis)
                .map(step -> new Closed(
                        new AuditState(state.chain(), step.range()),
                        step.checkpoint().orElseThrow()));
    }
}
