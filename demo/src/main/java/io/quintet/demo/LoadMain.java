package io.quintet.demo;

import io.quintet.model.CanonicalEvent;
import io.quintet.support.cli.Cli;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
    private LoadMain() {}

    public static void main(String[] args) {
        Cli.main(Cli.method(LoadMain.class, "send"), args);
    }

    @Command(name = "LoadMain", description = "sends the seeded demo traffic to a gateway")
    static int send(
            @Option(names = "--gateway", required = true, paramLabel = "URL", description = "the gateway")
                    String gateway,
            @Option(
                            names = "--key",
                            required = true,
                            paramLabel = "WRITE_KEY",
                            description = "a write key bound to the generator's sources")
                    String key,
            @Option(
                            names = "--rate",
                            paramLabel = "N",
                            defaultValue = "100",
                            description = "events per second (default ${DEFAULT-VALUE}, >= 1)")
                    int rate,
            @Option(
                            names = "--duration",
                            paramLabel = "S",
                            defaultValue = "60",
                            description = "seconds (default ${DEFAULT-VALUE})")
                    long seconds,
            @Option(
                            names = "--users",
                            paramLabel = "N",
                            defaultValue = "1000",
                            description = "distinct users (default ${DEFAULT-VALUE})")
                    int users,
            @Option(
                            names = "--seed",
                            paramLabel = "N",
                            defaultValue = "42",
                            description = "seed of the generator (default ${DEFAULT-VALUE})")
                    long seed,
            @Option(
                            names = "--batch",
                            paramLabel = "N",
                            defaultValue = "50",
                            description = "events per request (default ${DEFAULT-VALUE}, >= 1)")
                    int batchSize)
            throws Exception {
        if (rate < 1 || batchSize < 1) {
            System.err.println("--rate and --batch must be >= 1");
            return Cli.USAGE;
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
                batch.add(gen.next().toBuilder()
                        .eventTimestamp(Instant.now())
                        .observedTimestamp(null)
                        .build());
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
        System.out.printf(
                "sent %d events in %.1f s (%.0f/s), accepted %d, HTTP statuses %s%n",
                sent, elapsed, sent / elapsed, accepted, statuses);
        return 0;
    }
}
