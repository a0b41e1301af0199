package io.quintet.testkit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

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

    /** Creates topics (replication factor = min(3, brokers)) and waits until they exist. */
    default void createTopics(int partitions, String... names) {
        short rf = (short) Math.min(3, brokerCount());
        try (Admin admin = admin()) {
            List<NewTopic> topics = java.util.Arrays.stream(names)
                    .map(n -> new NewTopic(n, partitions, rf).configs(Map.of())).toList();
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not create topics " + List.of(names), e);
        }
    }

    /** A name unique within the JVM run, for topics, groups and application ids of one test. */
    static String unique(String base) {
        return base + "-" + Long.toHexString(System.nanoTime());
    }
}
