package io.quintet.testkit;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

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
