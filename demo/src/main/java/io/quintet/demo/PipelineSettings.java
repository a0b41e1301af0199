package io.quintet.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Settings of one local pipeline run (command-line options of {@link LocalPipeline}).
 *
 * @param repo          the repository root (services start from their modules' target folders)
 * @param work          run folder: configs, state, warehouse; logs go to {@code work/logs}
 * @param bootstrap     an existing broker, or null to start one with deploy/bin/kafka-local.sh
 * @param gatewayPort   HTTP port of the gateway
 * @param feedsPort     HTTP port of the feed-aggregator
 * @param rate          background events per second sent through the gateway
 * @param duration      how long the background load runs
 * @param users         distinct users of the background load
 * @param seed          seed of the background load
 * @param keep          keep the services running after the summary, until Ctrl-C
 * @param consolePort   HTTP port of the web console, or 0 to start no console (benchmarks, chaos)
 */
public record PipelineSettings(
        Path repo,
        Path work,
        String bootstrap,
        int gatewayPort,
        int feedsPort,
        int rate,
        Duration duration,
        int users,
        long seed,
        boolean keep,
        int consolePort) {

    /** Without the web console (the pipeline benchmark and chaos run measure the four services only). */
    public PipelineSettings(
            Path repo,
            Path work,
            String bootstrap,
            int gatewayPort,
            int feedsPort,
            int rate,
            Duration duration,
            int users,
            long seed,
            boolean keep) {
        this(repo, work, bootstrap, gatewayPort, feedsPort, rate, duration, users, seed, keep, 0);
    }

    public boolean withConsole() {
        return consolePort > 0;
    }

    public String consoleUrl() {
        return "http://127.0.0.1:" + consolePort;
    }

    public Path logs() {
        return work.resolve("logs");
    }

    public String gatewayUrl() {
        return "http://127.0.0.1:" + gatewayPort;
    }

    public String feedsUrl() {
        return "http://127.0.0.1:" + feedsPort;
    }

    /** The body of {@code ./quintet run} once its command line is read. */
    interface Body {
        int run(PipelineSettings settings) throws Exception;
    }

    /** The command line of {@code ./quintet run}. */
    @Command(
            name = "./quintet run",
            description = {
                "Builds what changed, starts a local Kafka broker, the topics, the four services and the web console as separate",
                "processes (logs in .quintet/run/logs), prints the console's URL, plays the demo day through the gateway and",
                "prints a summary. Ctrl-C stops it all."
            })
    static final class Line implements Callable<Integer> {
        @Option(
                names = "--keep",
                description = "leave everything running after the summary (prints the gateway URL and a write key)")
        boolean keep;

        @Option(
                names = "--rate",
                paramLabel = "EVENTS_PER_S",
                defaultValue = "40",
                description = "events per second of generated traffic (default ${DEFAULT-VALUE})")
        int rate;

        @Option(
                names = "--duration",
                paramLabel = "SECONDS",
                defaultValue = "60",
                description = "seconds of generated traffic (default ${DEFAULT-VALUE})")
        long durationSeconds;

        @Option(
                names = "--users",
                paramLabel = "N",
                defaultValue = "200",
                description = "distinct users of the generated traffic (default ${DEFAULT-VALUE})")
        int users;

        @Option(
                names = "--seed",
                paramLabel = "N",
                defaultValue = "42",
                description = "seed of the generator (default ${DEFAULT-VALUE})")
        long seed;

        @Option(
                names = "--gateway-port",
                paramLabel = "P",
                defaultValue = "8080",
                description = "gateway HTTP port (default ${DEFAULT-VALUE})")
        int gatewayPort;

        @Option(
                names = "--feeds-port",
                paramLabel = "P",
                defaultValue = "8083",
                description = "feed-aggregator HTTP port (default ${DEFAULT-VALUE})")
        int feedsPort;

        @Option(
                names = "--console-port",
                paramLabel = "P",
                defaultValue = "8090",
                description = "web console HTTP port (default ${DEFAULT-VALUE}; 0 = no console)")
        int consolePort;

        @Option(
                names = "--bootstrap",
                paramLabel = "HOST:PORT",
                description = "use this running broker instead of starting one")
        String bootstrap;

        @Option(names = "--work", paramLabel = "DIR", description = "working folder (default .quintet/run)")
        Path work;

        @Spec
        CommandSpec spec;

        private final Supplier<Path> repo;
        private final Body body;

        Line(Supplier<Path> repo, Body body) {
            this.repo = repo;
            this.body = body;
        }

        PipelineSettings settings(Path repoRoot) {
            if (rate < 1 || users < 2) {
                throw new IllegalArgumentException("--rate must be >= 1 and --users >= 2");
            }
            if (consolePort < 0 || consolePort > 65535) {
                throw new IllegalArgumentException("--console-port must be 1..65535, or 0 for no console");
            }
            return new PipelineSettings(
                    repoRoot,
                    work == null ? repoRoot.resolve(".quintet/run") : work.toAbsolutePath(),
                    bootstrap,
                    gatewayPort,
                    feedsPort,
                    rate,
                    Duration.ofSeconds(durationSeconds),
                    users,
                    seed,
                    keep,
                    consolePort);
        }

        @Override
        public Integer call() throws Exception {
            PipelineSettings settings;
            try {
                settings = settings(repo.get());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            return body.run(settings);
        }
    }
}
