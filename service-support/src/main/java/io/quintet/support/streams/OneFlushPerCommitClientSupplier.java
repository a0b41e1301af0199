package io.quintet.support.streams;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;

/**
 * Kafka Streams' clients, as its default supplier makes them, except that a <b>transactional</b> producer sends what
 * a commit has gathered in one go instead of once per task.
 *
 * <p>Under exactly-once, Kafka Streams prepares each task for a commit by flushing its caches and then flushing the
 * thread's one producer ({@code StreamTask.prepareCommit} -> {@code RecordCollectorImpl.flush} ->
 * {@code Producer.flush}, Kafka Streams 4.3), task after task, before it commits the transaction of all of them. Each
 * flush waits for a broker round trip, and each sends a small produce request whose new partitions the broker then
 * adds to the transaction (an {@code AddPartitionsToTxn} verification and a {@code __transaction_state} write each).
 * With many tasks (the feed-aggregator has 30 on 6 partitions) one commit became a dozen produce requests sent one
 * after another while the stream thread waited.
 *
 * <p>A transactional producer's {@code flush} is not needed for correctness: {@code commitTransaction} sends every
 * record not yet sent and waits for all of them (and their callbacks) before it ends the transaction, and a send that
 * failed fails the commit (the transaction aborts and Kafka Streams handles it as it handles any failed commit). So
 * the producer made here skips {@code flush} when it has a {@code transactional.id}; without one (at-least-once,
 * where Kafka Streams commits consumer offsets after the flush) it flushes as usual. What reaches the topics, and when
 * it becomes visible to read_committed consumers (at the commit), is unchanged.
 */
public final class OneFlushPerCommitClientSupplier implements KafkaClientSupplier {

    @Override
    public Admin getAdmin(Map<String, Object> config) {
        return Admin.create(config);
    }

    @Override
    public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
        return config.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG) != null
                ? new CommitFlushedProducer(config)
                : new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** A transactional producer whose records are sent by the linger, full batches and the commit, not by flush. */
    static final class CommitFlushedProducer extends KafkaProducer<byte[], byte[]> {
        CommitFlushedProducer(Map<String, Object> config) {
            super(config, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public void flush() {
            // commitTransaction() and abortTransaction() flush; see the class comment
        }
    }
}
