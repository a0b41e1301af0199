package io.quintet.audit.checkpoint;

import io.quintet.audit.chain.ChainLink;
import io.quintet.audit.chain.ChainState;
import io.quintet.audit.chain.Hash32;
import io.quintet.audit.keys.CheckpointSigner;
import io.quintet.audit.merkle.MerkleFrontier;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds a partition's checkpoints from its chain links, without Kafka Streams: feed every link with {@link #add},
 * and call {@link #closeIfDue} from a timer (a wall-clock punctuator) so a quiet partition is still sealed after
 * the policy's interval. The state ({@link OpenRange}) is a value the caller stores; time is passed in, so runs
 * are reproducible.
 */
public final class CheckpointBuilder {
    private final String log;
    private final CheckpointSigner signer;
    private final CheckpointPolicy policy;

    public CheckpointBuilder(String log, CheckpointSigner signer, CheckpointPolicy policy) {
        this.log = Objects.requireNonNull(log, "log");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public String log() {
        return log;
    }

    public CheckpointPolicy policy() {
        return policy;
    }

    /** The outcome of one step: the new range state, and the checkpoint closed by it if any. */
    public record Step(OpenRange range, Optional<SignedCheckpoint> checkpoint) {}

    /**
     * Adds the leaf of the event just linked; closes the range when it holds {@code everyEvents} events or has
     * been open for the policy's interval.
     *
     * @param leafHash {@code Merkle.leafHash(canonical bytes)} of the event
     * @throws IllegalStateException when the link does not continue the range (a fork or gap in the caller's state)
     */
    public Step add(OpenRange range, ChainLink link, Hash32 leafHash, long nowMillis) {
        long expected = range.firstSeq() + range.frontier().size();
        if (link.seq() != expected || range.logFrontier().size() != link.seq() - 1) {
            throw new IllegalStateException("partition " + link.partition() + ": chain link seq " + link.seq()
                    + " does not continue the open checkpoint range (expected " + expected + ")");
        }
        long openedAt = range.isEmpty() ? nowMillis : range.openedAtMillis();
        OpenRange next = new OpenRange(
                range.nextIndex(),
                range.prevCheckpoint(),
                range.prevHead(),
                range.firstSeq(),
                openedAt,
                range.frontier().append(leafHash),
                range.logFrontier().append(leafHash));
        if (next.frontier().size() >= policy.everyEvents() || due(next, nowMillis)) {
            return close(next, link.toState(), nowMillis);
        }
        return new Step(next, Optional.empty());
    }

    /** Closes the open range when it is non-empty and older than the policy's interval. */
    public Optional<Step> closeIfDue(OpenRange range, ChainState chain, long nowMillis) {
        if (range.isEmpty() || !due(range, nowMillis)) {
            return Optional.empty();
        }
        return Optional.of(close(range, chain, nowMillis));
    }

    private boolean due(OpenRange range, long nowMillis) {
        return !range.isEmpty()
                && nowMillis - range.openedAtMillis() >= policy.every().toMillis();
    }

    /**
     * Closes a non-empty range now.
     *
     * @param chain the chain state after the range's last event
     */
    public Step close(OpenRange range, ChainState chain, long nowMillis) {
        if (range.isEmpty()) {
            throw new IllegalStateException("an empty range has no checkpoint");
        }
        long lastSeq = range.firstSeq() + range.frontier().size() - 1;
        if (chain.seq() != lastSeq) {
            throw new IllegalStateException("partition " + chain.partition() + ": chain is at seq " + chain.seq()
                    + " but the open range ends at " + lastSeq);
        }
        Checkpoint c = new Checkpoint(
                log,
                chain.partition(),
                range.nextIndex(),
                range.firstSeq(),
                lastSeq,
                range.prevHead(),
                chain.head(),
                range.frontier().root(),
                range.logFrontier().root(),
                range.prevCheckpoint(),
                chain.keyId(),
                Instant.ofEpochMilli(nowMillis),
                signer.keyId());
        byte[] input = CheckpointJson.signingInput(c);
        SignedCheckpoint signed = new SignedCheckpoint(c, input, signer.sign(input));
        OpenRange next = new OpenRange(
                range.nextIndex() + 1,
                signed.hash(),
                chain.head(),
                lastSeq + 1,
                -1,
                MerkleFrontier.empty(),
                range.logFrontier());
        return new Step(next, Optional.of(signed));
    }
}
