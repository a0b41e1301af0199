package io.quintet.testkit;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/** A running test cluster, as tests see it. */
public interface RunningKafka {

    String bootstrapServers();

    int brokerCount();

    /** A new admin client; the caller closes it. */
    default Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(p);
    }

    /**
     * A new consumer that reads committed records only (read_committed), from the earliest offset, without a group
     * commit; the caller assigns partitions and closes it.
     */
    default <K, V> KafkaConsumer<K, V> readCommittedConsumer(Deserializer<K> keys, Deserializer<V> values) {
        return new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                keys,
                values);
    }

    /**
     * Creates topics (replication factor = min(3, brokers)) and waits until every partition serves offset requests:
     * topic creation returns before the brokers lead the new partitions, and a producer that starts too early can
     * loop on transient errors.
     */
    default void createTopics(int partitions, String... names) {
        short rf = (short) Math.min(3, brokerCount());
        try (Admin admin = admin()) {
            List<NewTopic> topics = java.util.Arrays.stream(names)
                    .map(n -> new NewTopic(n, partitions, rf).configs(Map.of()))
                    .toList();
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
            for (String n : names) {
                for (int p = 0; p < partitions; p++) {
                    request.put(new TopicPartition(n, p), OffsetSpec.latest());
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try {
                    admin.listOffsets(request).all().get(10, TimeUnit.SECONDS);
                    return;
                } catch (java.util.concurrent.ExecutionException notReady) {
                    if (System.nanoTime() > deadline) {
                        throw notReady;
                    }
                    TimeUnit.MILLISECONDS.sleep(50);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not create topics " + List.of(names), e);
        }
    }

    /** A name unique within the JVM run, for topics, groups and application ids of one test. */
    static String unique(String base) {
        return base + "-" + Long.toHexString(System.nanoTime());
    }
}
