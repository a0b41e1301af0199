package io.quintet.support.streams;

import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams settings the enricher and the feed-aggregator share, each with the reason it differs from Kafka
 * Streams' default. A service puts them first and its {@code kafka.client.*} overrides after, so a deployment can still
 * change any of them.
 */
public final class StreamsClientDefaults {
    /** {@code batch.size} of the Streams producer: 128 KiB instead of the producer's 16 KiB. */
    private static final int PRODUCER_BATCH_BYTES = 128 * 1024;

    private StreamsClientDefaults() {}

    public static void applyTo(Properties p) {
        // No sub-topology of these services needs two inputs' records in timestamp order, so a task never waits for,
        // or checks the readiness of, an empty input partition on every record (most of whose cost was a log string
        // formatted per check, KAFKA-19682); kafka.client.max.task.idle.ms overrides it.
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "-1");
        // Under exactly-once the first send to a partition after a commit is often answered CONCURRENT_TRANSACTIONS
        // (the previous transaction's markers are still being written, a few ms); the producer retries after
        // retry.backoff.ms, 100 ms by default, while the next commit waits for that send. 10 ms (doubling up to the
        // default 1 s) takes that stall out of the produce-to-output latency; kafka.client.producer.retry.backoff.ms
        // overrides it.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), "10");
        // Records wait in the producer for the linger (Kafka Streams: 100 ms) or the commit, whichever comes first,
        // unless a partition's batch fills: then the producer sends everything it holds for that broker. With 16 KiB
        // batches a busy partition filled one every ~30 ms at 3,000 events/s (events.canonical), so a transaction went
        // out as several small produce requests, each one more AddPartitionsToTxn and __transaction_state write on the
        // broker. 128 KiB per partition keeps one request per commit at these rates; a producer with every partition
        // of the feed-aggregator's ~21 output topics open holds at most 16 MiB, within buffer.memory (32 MiB).
        // kafka.client.producer.batch.size overrides it.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), Integer.toString(PRODUCER_BATCH_BYTES));
    }
}
