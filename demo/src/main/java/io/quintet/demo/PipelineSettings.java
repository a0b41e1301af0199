package io.quintet.demo;

import java.nio.file.Path;
import java.time.Duration;

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
public record PipelineSettings(Path repo, Path work, String bootstrap, int gatewayPort, int feedsPort, int rate,
                               Duration duration, int users, long seed, boolean keep, int consolePort) {

    /** Without the web console (the pipeline benchmark and chaos run measure the four services only). */
    public PipelineSettings(Path repo, Path work, String bootstrap, int gatewayPort, int feedsPort, int rate,
                            Duration duration, int users, long seed, boolean keep) {
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

    static PipelineSettings parse(String[] args, Path repo) {
        Path work = repo.resolve(".quintet/run");
        String bootstrap = null;
        int gatewayPort = 8080;
        int feedsPort = 8083;
        int consolePort = 8090;
        int rate = 40;
        Duration duration = Duration.ofSeconds(60);
        int users = 200;
        long seed = 42;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--keep" -> keep = true;
                case "--bootstrap" -> bootstrap = value(args, ++i, a);
                case "--work" -> work = Path.of(value(args, ++i, a)).toAbsolutePath();
                case "--gateway-port" -> gatewayPort = Integer.parseInt(value(args, ++i, a));
                case "--feeds-port" -> feedsPort = Integer.parseInt(value(args, ++i, a));
                case "--console-port" -> consolePort = Integer.parseInt(value(args, ++i, a));
                case "--rate" -> rate = Integer.parseInt(value(args, ++i, a));
                case "--duration" -> duration = Duration.ofSeconds(Long.parseLong(value(args, ++i, a)));
                case "--users" -> users = Integer.parseInt(value(args, ++i, a));
                case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
            }
        }
        if (rate < 1 || users < 2) {
            throw new IllegalArgumentException("--rate must be >= 1 and --users >= 2\n" + USAGE);
        }
        if (consolePort < 0 || consolePort > 65535) {
            throw new IllegalArgumentException("--console-port must be 1..65535, or 0 for no console\n" + USAGE);
        }
        return new PipelineSettings(repo, work, bootstrap, gatewayPort, feedsPort, rate, duration, users, seed, keep, consolePort);
    }

    static final String USAGE = "usage: ./quintet run [--keep] [--rate EVENTS_PER_S] [--duration SECONDS] [--users N] "
            + "[--seed N] [--gateway-port P] [--feeds-port P] [--console-port P] [--bootstrap HOST:PORT] [--work DIR]";

    static final String HELP = USAGE + """


            Builds what changed, starts a local Kafka broker, the topics, the four services and the web console as separate
            processes (logs in .quintet/run/logs), prints the console's URL, plays the demo day through the gateway and
            prints a summary. Ctrl-C stops it all.
              --keep                leave everything running after the summary (prints the gateway URL and a write key)
              --rate N              events per second of generated traffic (default 40)
              --duration S          seconds of generated traffic (default 60)
              --users N             distinct users of the generated traffic (default 200)
              --seed N              seed of the generator (default 42)
              --gateway-port P      gateway HTTP port (default 8080)
              --feeds-port P        feed-aggregator HTTP port (default 8083)
              --console-port P      web console HTTP port (default 8090; 0 = no console)
              --bootstrap H:P       use this running broker instead of starting one
              --work DIR            working folder (default .quintet/run)""";

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args[i];
    }
}
