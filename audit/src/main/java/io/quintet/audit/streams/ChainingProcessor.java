package io.quintet.audit.streams;

import io.quintet.audit.AuditChainer;
import io.quintet.audit.AuditState;
import io.quintet.audit.AuditStateSerde;
import io.quintet.audit.canonical.CanonicalForm;
import io.quintet.audit.checkpoint.CheckpointJson;
import io.quintet.model.CanonicalEvent;
import io.quintet.support.streams.CommitTimeStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chains every event of a task's partition: the chain of partition p is kept in the store under key p (one
 * {@link AuditState} value, changelogged), so under exactly_once_v2 the chain state, the chained events and the
 * checkpoints commit together and a restart or rebalance continues without a gap or fork. A wall-clock punctuator
 * seals quiet partitions' checkpoints on time.
 * <p>
 * Output: {@link ChainOutput.Event} (write with {@link ChainedEventSerde} and {@link ChainPartitioner}: partition
 * p of the output is chain p), {@link ChainOutput.Checkpoint} (key {@code <log>/<partition>}), and
 * {@link ChainOutput.Unchainable} for the dead-letter topic. See {@link AuditTopology} for the wiring.
 */
public final class ChainingProcessor implements Processor<String, CanonicalEvent, String, ChainOutput> {
    private static final Logger LOG = LoggerFactory.getLogger(ChainingProcessor.class);

    private final String storeName;
    private final AuditChainer chainer;
    private ProcessorContext<String, ChainOutput> context;
    private KeyValueStore<Integer, AuditState> store;
    /** The states this task holds, as objects: read from the store once when the task starts, then kept in step. */
    private final Map<Integer, AuditState> live = new HashMap<>();

    public ChainingProcessor(String storeName, AuditChainer chainer) {
        this.storeName = storeName;
        this.chainer = chainer;
    }

    /**
     * The store the processor needs: partition -> {@link AuditState}, persistent and changelogged. A
     * {@link CommitTimeStore}: the state changes with every event, and is serialized and written once per partition
     * when the task commits (in the transaction that commits the chained events), not once per event.
     */
    public static StoreBuilder<CommitTimeStore<Integer, AuditState>> storeBuilder(String storeName) {
        return CommitTimeStore.builder(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(storeName), Serdes.Integer(), new AuditStateSerde())
                .withCachingEnabled());
    }

    public static ProcessorSupplier<String, CanonicalEvent, String, ChainOutput> supplier(
            String storeName, AuditChainer chainer) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, CanonicalEvent, String, ChainOutput> get() {
                return new ChainingProcessor(storeName, chainer);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(storeBuilder(storeName));
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, ChainOutput> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        live.clear();
        try (KeyValueIterator<Integer, AuditState> it = store.all()) { // restored after a restart or a rebalance
            it.forEachRemaining(kv -> live.put(kv.key, kv.value));
        }
        long interval = Math.max(
                100, Math.min(10_000, chainer.checkpoints().policy().every().toMillis() / 4));
        context.schedule(Duration.ofMillis(interval), PunctuationType.WALL_CLOCK_TIME, this::sealDue);
    }

    @Override
    public void process(Record<String, CanonicalEvent> record) {
        RecordMetadata meta = context.recordMetadata()
                .orElseThrow(() -> new IllegalStateException("chaining needs the record's source partition"));
        int partition = meta.partition();
        if (record.value() == null) {
            return;
        }
        AuditChainer.Appended appended;
        CanonicalForm.Written written;
        try {
            written = CanonicalForm.write(record.value()); // its data is written as the record's data as it is
            appended = chainer.appendCanonical(
                    live.get(partition), partition, written.canonical(), context.currentSystemTimeMs());
        } catch (IllegalArgumentException e) {
            LOG.warn(
                    "event at {}-{} offset {} has no canonical byte form ({}); routed as unchainable",
                    meta.topic(),
                    meta.partition(),
                    meta.offset(),
                    e.getMessage());
            context.forward(record.withValue(new ChainOutput.Unchainable(record.value(), e.getMessage())));
            return;
        }
        store.put(partition, appended.state());
        live.put(partition, appended.state());
        context.forward(record.withValue(new ChainOutput.Event(record.value(), appended.link(), written.data())));
        appended.checkpoint()
                .ifPresent(c -> context.forward(new Record<String, ChainOutput>(
                        CheckpointJson.recordKey(c.checkpoint()), new ChainOutput.Checkpoint(c), record.timestamp())));
    }

    private void sealDue(long now) {
        for (Map.Entry<Integer, AuditState> e : List.copyOf(live.entrySet())) {
            chainer.closeIfDue(e.getValue(), now).ifPresent(closed -> {
                store.put(e.getKey(), closed.state());
                live.put(e.getKey(), closed.state());
                context.forward(new Record<String, ChainOutput>(
                        CheckpointJson.recordKey(closed.checkpoint().checkpoint()),
                        new ChainOutput.Checkpoint(closed.checkpoint()),
                        now));
            });
        }
    }
}
