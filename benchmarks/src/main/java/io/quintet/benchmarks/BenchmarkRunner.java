package io.quintet.benchmarks;

import io.quintet.support.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * Runs benchmarks against a real Kafka broker on this machine and records the figures.
 * <pre>
 *   ./quintet bench                       all benchmarks, in-JVM KRaft broker
 *   ./quintet bench --only publisher --events 500000
 *   ./quintet bench --bootstrap 127.0.0.1:9092   against a broker started by deploy/bin/kafka-local.sh
 *   ./quintet bench --list
 * </pre>
 * Any other {@code --key value} pair is handed to the benchmarks (e.g. {@code --events}, {@code --seed}).
 */
public final class BenchmarkRunner {
    /**
     * Every benchmark, in the order of META-INF/services/io.quintet.benchmarks.Benchmark: the runner names none of
     * them, so they can use the runner's types without a cycle between packages.
     */
    static final List<Benchmark> BENCHMARKS = ServiceLoader.load(Benchmark.class).stream()
            .map(ServiceLoader.Provider::get)
            .toList();

    private BenchmarkRunner() {}

    @Command(
            name = "./quintet bench",
            description = "Runs benchmarks against a real Kafka broker on this machine and records the figures.",
            footer = "Any other --key value pair is handed to the benchmarks (e.g. --events, --seed).")
    static final class Line implements Callable<Integer> {
        @Option(names = "--list", description = "name the benchmarks and stop")
        boolean list;

        @Option(names = "--only", paramLabel = "NAME[,NAME...]", description = "only these benchmarks (default: all)")
        String only;

        @Option(
                names = "--bootstrap",
                paramLabel = "HOST:PORT",
                description = "against this broker (e.g. deploy/bin/kafka-local.sh's) instead of one in this JVM")
        String bootstrap;

        @Option(
                names = "--keep-topics",
                description = "with --bootstrap: keep the topics the benchmarks create (by default each benchmark's"
                        + " bench... topics are deleted when it ends)")
        boolean keepTopics;

        @Unmatched
        List<String> rest = new ArrayList<>();

        @Spec
        CommandSpec spec;

        private final String[] args;

        Line(String[] args) {
            this.args = args;
        }

        @Override
        public Integer call() throws Exception {
            if (list) {
                BENCHMARKS.forEach(b -> System.out.printf("%-16s %s%n", b.name(), b.description()));
                return 0;
            }
            Map<String, String> options = options();
            List<Benchmark> selected = selected();
            return run(args, selected, bootstrap, keepTopics, options);
        }

        /** The options handed to the benchmarks: every other {@code --key value} pair, keys without the dashes. */
        Map<String, String> options() {
            Map<String, String> options = new LinkedHashMap<>();
            for (int i = 0; i < rest.size(); i += 2) {
                if (!rest.get(i).startsWith("--")) {
                    throw new ParameterException(spec.commandLine(), "unexpected argument " + rest.get(i));
                }
                if (i + 1 >= rest.size()) {
                    throw new ParameterException(spec.commandLine(), rest.get(i) + " needs a value");
                }
                options.put(rest.get(i).substring(2), rest.get(i + 1));
            }
            return options;
        }

        /** The benchmarks {@code --only} names (all without it), in the registry's order. */
        List<Benchmark> selected() {
            List<Benchmark> selected = new ArrayList<>();
            for (Benchmark b : BENCHMARKS) {
                if (only == null || List.of(only.split(",")).contains(b.name())) {
                    selected.add(b);
                }
            }
            if (selected.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "no benchmark named " + only + "; try --list");
            }
            return selected;
        }
    }

    public static void main(String[] args) {
        Cli.main(new Line(args), args);
    }

    private static int run(
            String[] args, List<Benchmark> selected, String bootstrap, boolean keepTopics, Map<String, String> options)
            throws Exception {
        boolean externalBroker = bootstrap != null;
        Path root = repoRoot();
        ResultsWriter writer = new ResultsWriter(root);
        String command = "./quintet bench " + String.join(" ", args);
        String machine = Runtime.getRuntime().availableProcessors() + " cores, "
                + (Runtime.getRuntime().maxMemory() >> 20) + " MiB heap, Java " + System.getProperty("java.version");

        KafkaClusterTestKit cluster = null;
        List<String> failures = new ArrayList<>();
        try {
            if (bootstrap == null && selected.stream().anyMatch(Benchmark::usesRunnerBroker)) {
                cluster = startBroker();
                bootstrap = cluster.bootstrapServers();
                machine += ", in-JVM KRaft broker";
            } else if (bootstrap != null) {
                machine += ", broker " + bootstrap;
            } else {
                machine += ", broker process started by the benchmark";
            }
            for (Benchmark b : selected) {
                System.out.println("running " + b.name() + ": " + b.description());
                Set<String> topicsBefore = externalBroker && !keepTopics ? BenchTopics.names(bootstrap) : null;
                BenchmarkResult result;
                try {
                    result = b.run(new BenchmarkContext(bootstrap, options));
                } finally {
                    if (topicsBefore != null) {
                        List<String> deleted = BenchTopics.deleteCreatedSince(bootstrap, topicsBefore);
                        System.out.println(b.name() + ": deleted the " + deleted.size() + " topics it created on "
                                + bootstrap + " (--keep-topics keeps them)");
                    }
                }
                writer.write(result, command, machine);
                if (result.failure() != null) {
                    failures.add(b.name() + ": " + result.failure());
                }
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
        if (!failures.isEmpty()) {
            failures.forEach(f -> System.err.println("FAILED " + f));
            return 1;
        }
        return 0;
    }

    /** Arguments for running one benchmark standalone: {@code --only NAME} followed by the caller's options. */
    public static String[] only(String name, String[] args) {
        String[] out = new String[args.length + 2];
        out[0] = "--only";
        out[1] = name;
        System.arraycopy(args, 0, out, 2, args.length);
        return out;
    }

    private static KafkaClusterTestKit startBroker() throws Exception {
        KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .build();
        kit.format();
        kit.startup();
        kit.waitForReadyBrokers();
        return kit;
    }

    private static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("quintet"))) {
            p = p.getParent();
        }
        return p == null ? Path.of("").toAbsolutePath() : p;
    }
}
