package io.quintet.support.topics;

import io.quintet.model.topics.TopicCatalogue;
import io.quintet.model.topics.TopicSpec;
import io.quintet.support.cli.Cli;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Creates the topics of a {@link TopicCatalogue} that are missing and reports drift in existing ones
 * (partition count, replication factor, topic configs). Idempotent: a second run creates nothing.
 * Drift is reported, never "fixed" silently: changing retention or partitions of a live topic is an operator's call.
 * <pre>
 *   java -cp ... io.quintet.support.topics.TopicsTool --bootstrap 127.0.0.1:9092 [--prefix acme.]
 *        [--partitions 6] [--replication-factor 1] [--check] [--fail-on-drift]
 * </pre>
 */
public final class TopicsTool {
    private static final long TIMEOUT_SECONDS = 30;

    private TopicsTool() {}

    /** One difference between the catalogue and the cluster. */
    public record Drift(String topic, String setting, String expected, String actual) {
        @Override
        public String toString() {
            return topic + ": " + setting + " expected " + expected + " but is " + actual;
        }
    }

    /** What a run found and did. */
    public record Report(List<String> created, List<String> existing, List<String> missing, List<Drift> drift) {
        public boolean clean() {
            return drift.isEmpty() && missing.isEmpty();
        }
    }

    /** Creates missing topics (unless {@code checkOnly}) and compares existing ones with the catalogue. */
    public static Report ensure(Admin admin, TopicCatalogue catalogue, boolean checkOnly)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<TopicSpec> specs = catalogue.specs();
        Set<String> present = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<String> created = new ArrayList<>();
        Set<String> raced = new HashSet<>(); // exist, though not listed a moment ago
        List<String> missing = new ArrayList<>();
        List<NewTopic> toCreate = new ArrayList<>();
        for (TopicSpec s : specs) {
            if (!present.contains(s.name())) {
                if (checkOnly) {
                    missing.add(s.name());
                } else {
                    toCreate.add(new NewTopic(s.name(), s.partitions(), s.replicationFactor()).configs(s.configs()));
                }
            }
        }
        if (!toCreate.isEmpty()) {
            var results = admin.createTopics(toCreate).values();
            for (var e : results.entrySet()) {
                try {
                    e.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    created.add(e.getKey());
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw ex; // created concurrently by another run: fine; anything else is not
                    }
                    // another run created it meanwhile, or the admin client retried a request that timed out
                    // after the controller had created it: it exists, so it is reported and checked as existing
                    raced.add(e.getKey());
                }
            }
        }
        List<String> existing = specs.stream()
                .map(TopicSpec::name)
                .filter(n -> present.contains(n) || raced.contains(n))
                .collect(Collectors.toList());
        List<Drift> drift = existing.isEmpty() ? List.of() : drift(admin, specs, existing);
        return new Report(List.copyOf(created), existing, missing, drift);
    }

    private static List<Drift> drift(Admin admin, List<TopicSpec> specs, Collection<String> existing)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, TopicDescription> descriptions =
                admin.describeTopics(existing).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<ConfigResource> resources = existing.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n))
                .toList();
        Map<ConfigResource, Config> configs =
                admin.describeConfigs(resources).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<Drift> drift = new ArrayList<>();
        for (TopicSpec s : specs) {
            TopicDescription d = descriptions.get(s.name());
            if (d == null) {
                continue;
            }
            if (d.partitions().size() != s.partitions()) {
                drift.add(new Drift(
                        s.name(),
                        "partitions",
                        String.valueOf(s.partitions()),
                        String.valueOf(d.partitions().size())));
            }
            int rf = d.partitions().get(0).replicas().size();
            if (rf != s.replicationFactor()) {
                drift.add(new Drift(
                        s.name(), "replication.factor", String.valueOf(s.replicationFactor()), String.valueOf(rf)));
            }
            Config actual = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, s.name()));
            for (var e : s.configs().entrySet()) {
                ConfigEntry entry = actual == null ? null : actual.get(e.getKey());
                String value = entry == null ? null : entry.value();
                if (!e.getValue().equals(value)) {
                    drift.add(new Drift(s.name(), e.getKey(), e.getValue(), String.valueOf(value)));
                }
            }
        }
        return drift;
    }

    public static void main(String[] args) {
        Cli.main(Cli.method(TopicsTool.class, "run"), args);
    }

    @Command(
            name = "TopicsTool",
            description =
                    "creates the topics of the catalogue that are missing (idempotent) and reports drift in existing ones")
    static int run(
            @Option(
                            names = "--bootstrap",
                            paramLabel = "HOST:PORT",
                            defaultValue = "127.0.0.1:9092",
                            description = "Kafka (default ${DEFAULT-VALUE})")
                    String bootstrap,
            @Option(
                            names = "--prefix",
                            paramLabel = "P",
                            defaultValue = "",
                            description = "topic prefix (default none)")
                    String prefix,
            @Option(
                            names = "--partitions",
                            paramLabel = "N",
                            defaultValue = "6",
                            description = "partitions of a new topic (default ${DEFAULT-VALUE})")
                    int partitions,
            @Option(
                            names = "--replication-factor",
                            paramLabel = "N",
                            defaultValue = "1",
                            description = "replication factor of a new topic (default ${DEFAULT-VALUE})")
                    short rf,
            @Option(names = "--check", description = "create nothing; exit 1 when topics are missing") boolean check,
            @Option(names = "--fail-on-drift", description = "exit 1 when an existing topic differs from the catalogue")
                    boolean failOnDrift)
            throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            Report r = ensure(admin, TopicCatalogue.of(prefix, partitions, rf), check);
            r.created().forEach(t -> System.out.println("created  " + t));
            r.missing().forEach(t -> System.out.println("missing  " + t));
            r.existing().forEach(t -> System.out.println("exists   " + t));
            r.drift().forEach(d -> System.out.println("DRIFT    " + d));
            System.out.printf(
                    "topics: %d created, %d existing, %d missing, %d drift%n",
                    r.created().size(),
                    r.existing().size(),
                    r.missing().size(),
                    r.drift().size());
            return (failOnDrift && !r.drift().isEmpty())
                            || (check && !r.missing().isEmpty())
                    ? 1
                    : 0;
        }
    }
}
