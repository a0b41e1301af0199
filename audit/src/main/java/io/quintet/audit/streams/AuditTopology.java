package io.quintet.audit.streams;

import io.quintet.audit.AuditChainer;
import io.quintet.model.CanonicalEvent;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The chaining step as DSL: chains a stream of canonical events, writes the chained events to the events topic
 * (partition p = chain p) and the checkpoints to the checkpoints topic, and returns the events that could not be
 * chained (for the dead-letter topic).
 * <pre>
 *   KStream&lt;String, CanonicalEvent&gt; unchainable =
 *       AuditTopology.chain(pseudonymized, chainer, "events.canonical", "audit.checkpoints", "audit-chain");
 * </pre>
 * Chain p is the input partition p of the task: the events topic needs at least as many partitions as the
 * stream's source topic. Repartition by the output key first if partition p of the output must also be the
 * key's default partition.
 */
public final class AuditTopology {
    private AuditTopology() {}

    public static KStream<String, CanonicalEvent> chain(
            KStream<String, CanonicalEvent> events,
            AuditChainer chainer,
            String eventsTopic,
            String checkpointsTopic,
            String name) {
        String store = name + "-state";
        KStream<String, ChainOutput> chained =
                events.process(ChainingProcessor.supplier(store, chainer), Named.as(name), store);
        Map<String, KStream<String, ChainOutput>> branches = chained.split(Named.as(name + "-"))
                .branch((k, v) -> v instanceof ChainOutput.Event, Branched.as("events"))
                .branch((k, v) -> v instanceof ChainOutput.Checkpoint, Branched.as("checkpoints"))
                .defaultBranch(Branched.as("unchainable"));
        branches.get(name + "-events")
                .mapValues(v -> (ChainOutput.Event) v, Named.as(name + "-event-values"))
                .to(
                        eventsTopic,
                        Produced.with(Serdes.String(), new ChainedEventSerde())
                                .withStreamPartitioner(new ChainPartitioner<>())
                                .withName(name + "-events-sink"));
        branches.get(name + "-checkpoints")
                .mapValues(v -> ((ChainOutput.Checkpoint) v).json(), Named.as(name + "-checkpoint-json"))
                .to(
                        checkpointsTopic,
                        Produced.with(Serdes.String(), Serdes.String()).withName(name + "-checkpoints-sink"));
        return branches.get(name + "-unchainable")
                .mapValues(v -> ((ChainOutput.Unchainable) v).event(), Named.as(name + "-unchainable-events"));
    }
}
