package io.quintet.model.topics;

import io.quintet.model.cli.Usage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Creates the topics of a {@link TopicCatalogue} that are missing and reports drift in existing ones
 * (partition count, replication factor, topic configs). Idempotent: a second run creates nothing.
 * Drift is reported, never "fixed" silently: changing retention or partitions of a live topic is an operator's call.
 * <pre>
 *   java -cp ... io.quintet.model.topics.TopicsTool --bootstrap 127.0.0.1:9092 [--prefix acme.]
 *        [--partitions 6] [--replication-factor 1] [--check] [--fail-on-drift]
 * </pre>
 */
public final class TopicsTool {
    private static final long TIMEOUT_SECONDS = 30;

    private TopicsTool() {
    }

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
                }
            }
        }
        List<String> existing = specs.stream().map(TopicSpec::name)
                .filter(n -> present.contains(n)).collect(Collectors.toList());
        List<Drift> drift = existing.isEmpty() ? List.of() : drift(admin, specs, existing);
        return new Report(List.copyOf(created), existing, missing, drift);
    }

    private static List<Drift> drift(Admin admin, List<TopicSpec> specs, Collection<String> existing)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, TopicDescription> descriptions = admin.describeTopics(existing).allTopicNames()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<ConfigResource> resources = existing.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<Drift> drift = new ArrayList<>();
        for (TopicSpec s : specs) {
            TopicDescription d = descriptions.get(s.name());
            if (d == null) {
                continue;
            }
            if (d.partitions().size() != s.partitions()) {
                drift.add(new Drift(s.name(), "partitions", String.valueOf(s.partitions()), String.valueOf(d.partitions().size())));
            }
            int rf = d.partitions().get(0).replicas().size();
            if (rf != s.replicationFactor()) {
                drift.add(new Drift(s.name(), "replication.factor", String.valueOf(s.replicationFactor()), String.valueOf(rf)));
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

    static final String USAGE = """
            usage: TopicsTool --bootstrap HOST:PORT [--prefix P] [--partitions N] [--replication-factor N] [--check] [--fail-on-drift]
              creates the topics of the catalogue that are missing (idempotent) and reports drift in existing ones
              --check           create nothing; exit 1 when topics are missing
              --fail-on-drift   exit 1 when an existing topic differs from the catalogue""";

    public static void main(String[] args) throws Exception {
        if (Usage.printIfRequested(args, USAGE)) {
            return;
        }
        String bootstrap = "127.0.0.1:9092";
        String prefix = "";
        int partitions = 6;
        short rf = 1;
        boolean check = false;
        boolean failOnDrift = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--bootstrap" -> bootstrap = value(args, ++i, "--bootstrap");
                case "--prefix" -> prefix = value(args, ++i, "--prefix");
                case "--partitions" -> partitions = Integer.parseInt(value(args, ++i, "--partitions"));
                case "--replication-factor" -> rf = Short.parseShort(value(args, ++i, "--replication-factor"));
                case "--check" -> check = true;
                case "--fail-on-drift" -> failOnDrift = true;
                default -> {
                    System.err.println("unknown option " + args[i] + "\n" + USAGE);
                    System.exit(2);
                }
            }
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            Report r = ensure(admin, TopicCatalogue.of(prefix, partitions, rf), check);
            r.created().forEach(t -> System.out.println("created  " + t));
            r.missing().forEach(t -> System.out.println("missing  " + t));
            r.existing().forEach(t -> System.out.println("exists   " + t));
            r.drift().forEach(d -> System.out.println("DRIFT    " + d));
            System.out.printf("topics: %d created, %d existing, %d missing, %d drift%n",
                    r.created().size(), r.existing().size(), r.missing().size(), r.drift().size());
            if ((failOnDrift && !r.drift().isEmpty()) || (check && !r.missing().isEmpty())) {
                System.exit(1);
            }
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            System.err.println(option + " needs a value");
            System.exit(2);
        }
        return args[i];
    }
}
