package io.quintet.benchmarks.feeds;

import io.quintet.benchmarks.Benchmark;
import io.quintet.benchmarks.BenchmarkContext;
import io.quintet.benchmarks.BenchmarkResult;
import io.quintet.benchmarks.BenchmarkRunner;
import io.quintet.demo.LoadGenerator;
import io.quintet.feeds.app.FeedAggregatorApp;
import io.quintet.feeds.app.FeedAggregatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The feed read models on a real broker (the whole service, exactly_once_v2):
 * <ol>
 *   <li>feed updates/s: {@code --events} realistic events are published first; the clock runs from RUNNING until the
 *       service has committed the whole input; the figure is the records it wrote to feeds.updates (flat items,
 *       timeline fan-out, aggregated items) per second;</li>
 *   <li>query latency: {@code --queries} HTTP GETs of random readers' flat feeds and notification feeds (page of 20)
 *       against the running instance, one at a time.</li>
 * </ol>
 */
public final class FeedsBenchmark implements Benchmark {

    @Override
    public String name() {
        return "feeds";
    }

    @Override
    public String description() {
        return "feed-aggregator feeds: feed updates/s written (EOS) and HTTP feed query latency p99";
    }

    @Override
    public BenchmarkResult run(BenchmarkContext ctx) throws Exception {
        int events = ctx.intOption("events", 50_000);
        int queries = ctx.intOption("queries", 2_000);
        int users = ctx.intOption("users", 2_000);
        long seed = ctx.longOption("seed", 42);
        String prefix = "benchfeeds" + Long.toHexString(System.nanoTime()) + ".";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ctx.bootstrapServers()))) {
            admin.createTopics(List.of("events.canonical", "events.dlq", "metrics", "alerts", "feeds.updates").stream()
                            .map(t -> new NewTopic(prefix + t, 6, (short) 1).configs(Map.of("retention.ms", "-1")))
                            .toList())
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
        String appId = prefix + "app";
        String apiKey = io.quintet.feeds.app.http.ApiKey.newKey();
        FeedAggregatorConfig config = FeedAggregatorConfig.of(BenchSupport.serviceSettings(
                ctx,
                prefix,
                Map.of(
                        FeedAggregatorConfig.HTTP_ADVERTISED_HOST,
                        "127.0.0.1",
                        FeedAggregatorConfig.HTTP_AUTH_KEYS,
                        "bench:" + io.quintet.feeds.app.http.ApiKey.sha256Hex(apiKey) + ":feeds:read-any")));

        int warmup = ctx.intOption("warmup-events", 20_000);
        LoadGenerator gen = new LoadGenerator(
                seed, users, Instant.now().minus(Duration.ofMillis(50L * (warmup + events))), Duration.ofMillis(50));
        BenchSupport.publish(ctx.bootstrapServers(), prefix + "events.canonical", gen, warmup);

        BenchmarkResult result =
                new BenchmarkResult(name()).put("events", events).put("warmup_events", warmup);
        try (FeedAggregatorApp app = FeedAggregatorApp.start(config);
                Admin admin =
                        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ctx.bootstrapServers()))) {
            BenchSupport.await(
                    () -> app.streams().state() == KafkaStreams.State.RUNNING,
                    Duration.ofMinutes(2),
                    "service RUNNING");
            long updates0 = BenchSupport.endOffsets(admin, prefix + "feeds.updates").values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
            double seconds = BenchSupport.measure(
                    admin,
                    appId,
                    prefix + "events.canonical",
                    events,
                    () -> BenchSupport.publish(ctx.bootstrapServers(), prefix + "events.canonical", gen, events),
                    result);
            long updates = BenchSupport.endOffsets(admin, prefix + "feeds.updates").values().stream()
                            .mapToLong(Long::longValue)
                            .sum()
                    - updates0;
            result.put("feed_updates", updates).put("feed_updates_per_s", Math.round(updates / seconds));

            HttpClient client = HttpClient.newHttpClient();
            Histogram flat = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
            Histogram notifications = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
            SplittableRandom random = new SplittableRandom(seed);
            for (int q = 0; q < queries; q++) {
                String user = "user-" + random.nextInt(users);
                boolean notif = q % 2 == 1;
                URI uri = URI.create("http://127.0.0.1:" + app.httpPort() + "/feeds/"
                        + (notif ? "notifications/" : "flat/") + user + "?limit=20");
                long s = System.nanoTime();
                HttpResponse<byte[]> r = client.send(
                        HttpRequest.newBuilder(uri)
                                .header("Authorization", "Bearer " + apiKey)
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                long micros = (System.nanoTime() - s) / 1000;
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("query " + uri + " answered " + r.statusCode());
                }
                (notif ? notifications : flat).recordValue(micros);
            }
            result.put("queries", queries)
                    .latencies("flat_query", flat)
                    .latencies("notifications_query", notifications);
        }
        return result;
    }

    /** {@code java ... FeedsBenchmark [--bootstrap host:port] [--events N] [--queries N] [--users N] [--seed S]} */
    public static void main(String[] args) throws Exception {
        BenchmarkRunner.main(BenchmarkRunner.only("feeds", args));
    }
}
