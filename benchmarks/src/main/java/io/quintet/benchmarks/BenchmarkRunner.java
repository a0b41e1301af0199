package io.quintet.benchmarks;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

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
            .map(ServiceLoader.Provider::get).toList();

    private BenchmarkRunner() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                usage("unexpected argument " + args[i]);
            }
            String key = args[i].substring(2);
            if (key.equals("list")) {
                BENCHMARKS.forEach(b -> System.out.printf("%-16s %s%n", b.name(), b.description()));
                return;
            }
            if (i + 1 >= args.length) {
                usage("--" + key + " needs a value");
            }
            options.put(key, args[++i]);
        }
        List<Benchmark> selected = new ArrayList<>();
        String only = options.remove("only");
        for (Benchmark b : BENCHMARKS) {
            if (only == null || List.of(only.split(",")).contains(b.name())) {
                selected.add(b);
            }
        }
        if (selected.isEmpty()) {
            usage("no benchmark named " + only + "; try --list");
        }
        Path root = repoRoot();
        ResultsWriter writer = new ResultsWriter(root);
        String command = "./quintet bench " + String.join(" ", args);
        String machine = Runtime.getRuntime().availableProcessors() + " cores, "
                + (Runtime.getRuntime().maxMemory() >> 20) + " MiB heap, Java " + System.getProperty("java.version");

        String bootstrap = options.remove("bootstrap");
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
                BenchmarkResult result = b.run(new BenchmarkContext(bootstrap, options));
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
            System.exit(1);
        }
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
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
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

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: ./quintet bench [--list] [--only a,b] [--bootstrap host:port] [--<option> value ...]");
        System.exit(2);
    }
}
