package io.quintet.demo;

import io.quintet.model.cli.Usage;
import io.quintet.model.CanonicalEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The load generator on its own: plays {@link LoadGenerator}'s realistic day against any running gateway, at a rate,
 * for a duration, with a number of users and a seed; prints what the gateway answered.
 * <pre>
 *   java -cp demo/target/classes:$(cat demo/target/classpath.txt) io.quintet.demo.LoadMain \
 *        --gateway http://127.0.0.1:8080 --key WRITE_KEY [--rate 100] [--duration 60] [--users 1000] [--seed 42] [--batch 50]
 * </pre>
 * The write key must be bound to the generator's sources (web-app, auth-service, workflow-engine, ai-gateway,
 * billing-service, notification-service, community-app, account-service), e.g. with {@code *}.
 */
public final class LoadMain {
    private LoadMain() {
    }

    static final String USAGE = "usage: LoadMain --gateway URL --key WRITE_KEY [--rate N] [--duration S] [--users N] [--seed N] [--batch N]\n"
            + "  sends the seeded demo traffic to a gateway (defaults: --rate 100 --duration 60 --users 1000 --seed 42 --batch 50)";

    public static void main(String[] args) throws Exception {
        if (Usage.printIfRequested(args, USAGE)) {
            return;
        }
        String gateway = null;
        String key = null;
        int rate = 100;
        long seconds = 60;
        int users = 1000;
        long seed = 42;
        int batchSize = 50;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--gateway" -> gateway = args[i + 1];
                case "--key" -> key = args[i + 1];
                case "--rate" -> rate = Integer.parseInt(args[i + 1]);
                case "--duration" -> seconds = Long.parseLong(args[i + 1]);
                case "--users" -> users = Integer.parseInt(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--batch" -> batchSize = Integer.parseInt(args[i + 1]);
                default -> usage("unknown option " + args[i]);
            }
        }
        if (args.length % 2 != 0 || gateway == null || key == null || rate < 1 || batchSize < 1) {
            usage("--gateway and --key are required; --rate and --batch must be >= 1");
        }
        GatewayClient client = new GatewayClient(gateway, key);
        LoadGenerator gen = new LoadGenerator(seed, users, Instant.now(), Duration.ofNanos(1_000_000_000L / rate));
        long sent = 0;
        long accepted = 0;
        TreeMap<Integer, Integer> statuses = new TreeMap<>();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            List<CanonicalEvent> batch = new ArrayList<>(batchSize);
            for (int i = 0; i < batchSize; i++) {
                batch.add(gen.next().toBuilder().eventTimestamp(Instant.now()).observedTimestamp(null).build());
            }
            GatewayClient.Answer a = client.sendEvents(batch);
            sent += batch.size();
            accepted += a.accepted();
            statuses.merge(a.status(), 1, Integer::sum);
            // pace: the n-th event is due at start + n / rate
            long due = start + sent * 1_000_000_000L / rate;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf("sent %d events in %.1f s (%.0f/s), accepted %d, HTTP statuses %s%n",
                sent, elapsed, sent / elapsed, accepted, statuses);
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println(USAGE);
        System.exit(2);
    }
}
