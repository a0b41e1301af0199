package io.quintet.benchmarks.pipeline;

import java.time.Duration;

/**
 * Options of {@code ./quintet chaos}.
 *
 * @param rate         events per second offered through the gateway for the whole run
 * @param users        distinct users of the load
 * @param seed         seed of the load
 * @param downtime     how long each killed service stays dead, and the broker stopped
 * @param catchUp      how long the consumer groups may take to reach lag 0 after the load stopped
 * @param keep         leave the pipeline running after the verdict (until Ctrl-C)
 */
record ChaosSettings(int rate, int users, long seed, Duration downtime, Duration catchUp, boolean keep) {

    static final String USAGE = "usage: ./quintet chaos [--rate EVENTS_PER_S] [--users N] [--seed N] [--down-seconds S] "
            + "[--catch-up-seconds S] [--keep]";

    static final String HELP = USAGE + """


            Fault injection against the whole pipeline as './quintet run' deploys it (a Kafka broker process and the four
            services as separate JVMs, on free ports, work folder .quintet/chaos), under open-loop load through the
            gateway: SIGKILLs and restarts each service in turn (enricher, feed-aggregator, analytics-sink, gateway),
            then stops and restarts the broker while a probe sends single events and prints the gateway's answers
            (503 with Retry-After while Kafka is down, never a 2xx for an event Kafka did not take). Then stops the
            load, waits for every consumer group to reach lag 0 and counts ids: every accepted event on
            events.canonical or events.dlq exactly once, no duplicate on events.canonical, every canonical event
            exactly once in the Iceberg table. Exit code 1 when a count or an answer is wrong. Not part of the test
            suite; run it under 'flock /tmp/quintet-bench.lock' on a shared machine.
              --rate N              events per second through the gateway (default 100)
              --users N             distinct users of the load (default 1000)
              --seed N              seed of the load (default 7)
              --down-seconds S      how long a killed service stays down and the broker stopped (default 10)
              --catch-up-seconds S  how long the groups may take to reach lag 0 at the end (default 300)
              --keep                leave the pipeline running after the verdict, until Ctrl-C""";

    static ChaosSettings parse(String[] args) {
        int rate = 100;
        int users = 1000;
        long seed = 7;
        int down = 10;
        int catchUp = 300;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--rate" -> rate = Integer.parseInt(value(args, ++i, a));
                case "--users" -> users = Integer.parseInt(value(args, ++i, a));
                case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
                case "--down-seconds" -> down = Integer.parseInt(value(args, ++i, a));
                case "--catch-up-seconds" -> catchUp = Integer.parseInt(value(args, ++i, a));
                case "--keep" -> keep = true;
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
            }
        }
        if (rate < 1 || users < 2 || down < 1 || catchUp < 1) {
            throw new IllegalArgumentException("--rate, --down-seconds and --catch-up-seconds must be >= 1, --users >= 2\n" + USAGE);
        }
        return new ChaosSettings(rate, users, seed, Duration.ofSeconds(down), Duration.ofSeconds(catchUp), keep);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args[i];
    }
}
