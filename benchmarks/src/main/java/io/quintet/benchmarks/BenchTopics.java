package io.quintet.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;

/**
 * The topics benchmarks leave on a broker the runner did not start. Every benchmark names its topics and its Kafka
 * Streams applications (whose internal topics carry the application id) {@code bench...}, and makes new ones per run.
 * Against an external broker ({@code --bootstrap}) the runner deletes, after each benchmark, the {@code bench...}
 * topics created while it ran, unless {@code --keep-topics}: a broker that had collected about 20,000 partitions of
 * earlier runs took minutes to assign one benchmark application its tasks (listing offsets timed out during the
 * rebalance), and every run on it paid for the extra metadata.
 */
final class BenchTopics {
    /** What every benchmark's topic and application names start with. */
    static final String PREFIX = "bench";

    private BenchTopics() {}

    /** The broker's topic names now (internal ones excluded). */
    static Set<String> names(String bootstrap) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            return names(admin);
        }
    }

    private static Set<String> names(Admin admin) throws Exception {
        return admin.listTopics(new ListTopicsOptions().listInternal(false))
                .names()
                .get(60, TimeUnit.SECONDS);
    }

    /** The benchmark topics among {@code now} that {@code before} did not have, sorted. */
    static List<String> createdSince(Set<String> before, Set<String> now) {
        return now.stream()
                .filter(t -> t.startsWith(PREFIX) && !before.contains(t))
                .sorted()
                .toList();
    }

    /** Deletes the benchmark topics created since {@code before}; returns their names. */
    static List<String> deleteCreatedSince(String bootstrap, Set<String> before) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            List<String> created = createdSince(before, names(admin));
            if (!created.isEmpty()) {
                admin.deleteTopics(created).all().get(120, TimeUnit.SECONDS);
            }
            return created;
        }
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }
}
