package io.quintet.benchmarks.pipeline;

import io.quintet.support.cli.Cli;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Options of {@code ./quintet chaos}.
 *
 * @param rate         events per second offered through the gateway for the whole run
 * @param users        distinct users of the load
 * @param seed         seed of the load
 * @param downtime     how long each killed service stays dead, and the broker stopped
 * @param catchUp      how long the consumer groups may take to reach lag 0 after the load stopped
 * @param keep         leave the pipeline running after the verdict (until Ctrl-C); a pipeline of its own only
 * @param attach       null without {@code --attach}, "" for {@code --attach} alone, else its WORKDIR ({@link ChaosTarget})
 * @param own          {@code --own}: a pipeline of its own even when a kept run is found
 */
record ChaosSettings(
        int rate, int users, long seed, Duration downtime, Duration catchUp, boolean keep, String attach, boolean own) {

    /** The command line of {@code ./quintet chaos}. */
    @Command(
            name = "./quintet chaos",
            description = {
                "Fault injection against the whole pipeline: a running './quintet run --keep' (attached to through its",
                ".quintet/run/pipeline-state.json, left running afterwards), or else a pipeline of its own as './quintet run'",
                "deploys it (a Kafka broker process and the four services as separate JVMs, on free ports, work folder",
                ".quintet/chaos). Under open-loop load through the gateway it SIGKILLs and restarts each service in turn",
                "(enricher, feed-aggregator, analytics-sink, gateway) with the command line it was started with,",
                "then stops and restarts the broker while a probe sends single events and prints the gateway's answers",
                "(503 with Retry-After while Kafka is down, never a 2xx for an event Kafka did not take). Then stops the",
                "load, waits for every consumer group to reach lag 0 and counts ids: every accepted event on",
                "events.canonical or events.dlq exactly once, no duplicate on events.canonical, every canonical event",
                "exactly once in the Iceberg table. Exit code 1 when a count or an answer is wrong. Not part of the test",
                "suite; run it under 'flock /tmp/quintet-bench.lock' on a shared machine."
            })
    static final class Line implements Callable<Integer> {
        @Option(
                names = "--rate",
                paramLabel = "EVENTS_PER_S",
                defaultValue = "100",
                description = "events per second through the gateway (default ${DEFAULT-VALUE})")
        int rate;

        @Option(
                names = "--users",
                paramLabel = "N",
                defaultValue = "1000",
                description = "distinct users of the load (default ${DEFAULT-VALUE})")
        int users;

        @Option(
                names = "--seed",
                paramLabel = "N",
                defaultValue = "7",
                description = "seed of the load (default ${DEFAULT-VALUE})")
        long seed;

        @Option(
                names = "--down-seconds",
                paramLabel = "S",
                defaultValue = "10",
                description = "how long a killed service stays down and the broker stopped (default ${DEFAULT-VALUE})")
        int down;

        @Option(
                names = "--catch-up-seconds",
                paramLabel = "S",
                defaultValue = "300",
                description = "how long the groups may take to reach lag 0 at the end (default ${DEFAULT-VALUE})")
        int catchUp;

        @Option(
                names = "--keep",
                description = "a pipeline of its own: leave it running after the verdict, until Ctrl-C")
        boolean keep;

        @Option(
                names = "--attach",
                arity = "0..1",
                paramLabel = "WORKDIR",
                description = "attach to the kept run ('./quintet run --keep') of WORKDIR (default .quintet/run); an"
                        + " error when none runs there. Without --attach or --own: attach when a kept run is found in"
                        + " .quintet/run, otherwise start a pipeline of its own")
        String attach;

        @Option(names = "--own", description = "start a pipeline of its own even when a kept run is found")
        boolean own;

        @Spec
        CommandSpec spec;

        private final Body body;

        Line(Body body) {
            this.body = body;
        }

        ChaosSettings settings() {
            if (rate < 1 || users < 2 || down < 1 || catchUp < 1) {
                throw new IllegalArgumentException(
                        "--rate, --down-seconds and --catch-up-seconds must be >= 1, --users >= 2");
            }
            if (own && attach != null) {
                throw new IllegalArgumentException("--attach and --own exclude each other");
            }
            return new ChaosSettings(
                    rate, users, seed, Duration.ofSeconds(down), Duration.ofSeconds(catchUp), keep, attach, own);
        }

        @Override
        public Integer call() throws Exception {
            ChaosSettings settings;
            try {
                settings = settings();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            return body.run(settings);
        }
    }

    /** What {@code ./quintet chaos} does with its settings; its exit status. */
    interface Body {
        int run(ChaosSettings settings) throws Exception;
    }

    /** The settings of a command line; IllegalArgumentException when it is wrong. */
    static ChaosSettings parse(String[] args) {
        Line line = new Line(s -> 0);
        try {
            Cli.commandLine(line, null).parseArgs(args);
        } catch (ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return line.settings();
    }
}
