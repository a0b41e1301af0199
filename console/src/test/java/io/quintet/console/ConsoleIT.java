package io.quintet.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.publish.EventPublisher;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.support.auth.HashedApiKey;
import io.quintet.support.topics.TopicsTool;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The console as a process runs it, in this JVM: against the module's real broker, over real HTTP. Topics carry their
 * own prefix so no other test shares them.
 */
@KafkaCluster
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String PREFIX = "console-it.";
    /** console:read and console:replay (and a feed scope, as secrets.sh's key has) */
    static final String OPS_KEY = "qfk_console-it-ops";
    /** console:read only */
    static final String VIEWER_KEY = "qfk_console-it-viewer";
    /** a feed API key without a console scope */
    static final String FEEDS_KEY = "qfk_console-it-feeds";

    static final String KEYS = "ops:" + HashedApiKey.sha256Hex(OPS_KEY) + ":feeds:read-any|console:read|console:replay,"
            + "viewer:" + HashedApiKey.sha256Hex(VIEWER_KEY) + ":console:read,"
            + "feeds:" + HashedApiKey.sha256Hex(FEEDS_KEY) + ":feeds:read-any";
    private final HttpClient http = HttpClient.newHttpClient();
    private TopicCatalogue topics;
    private Console console;
    private String base;
    private String bootstrap;

    @BeforeAll
    void start(RunningKafka kafka) throws Exception {
        bootstrap = kafka.bootstrapServers();
        topics = TopicCatalogue.of(PREFIX, 2, (short) 1);
        try (Admin admin = kafka.admin()) {
            TopicsTool.ensure(admin, topics, false);
        }
        // the console checks its own health endpoint as a "service", and the lag of one group this test commits
        console = Console.start(ConsoleConfig.of(Map.of(
                ConsoleConfig.KAFKA_BOOTSTRAP, bootstrap,
                ConsoleConfig.TOPICS_PREFIX, PREFIX,
                ConsoleConfig.HTTP_PORT, "0",
                ConsoleConfig.AUTH_API_KEYS, KEYS,
                ConsoleConfig.FEEDS_URL, "",
                ConsoleConfig.HEALTH_ENDPOINTS, "nothing-there=http://127.0.0.1:1/health",
                ConsoleConfig.CONSUMER_GROUPS, "console-it-readers")));
        base = "http://127.0.0.1:" + console.port();
    }

    @AfterAll
    void stop() {
        if (console != null) {
            console.close();
        }
    }

    @Test
    void anEventOnEventsCanonicalAppearsInTheLiveViewWithinFiveSecondsAndFiltersApply() throws Exception {
        CanonicalEvent login = ConsoleViewsTest.event("auth.user.login_failed", "it-auth", "ps_console_it");
        CanonicalEvent paid = ConsoleViewsTest.event("billing.invoice.paid", "it-billing", "ps_console_it");
        try (EventPublisher p = EventPublisher.builder(bootstrap)
                .topic(topics.name(TopicCatalogue.EVENTS_CANONICAL))
                .build()) {
            p.publish(login).get();
            p.publish(paid).get();
        }
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () -> assertThat(ids(get("/api/events?source=it-auth").path("events")))
                                .containsExactly(login.id()));
        JsonNode auth = get("/api/events?action=auth.*&actor=ps_console_it").path("events");
        assertThat(ids(auth)).containsExactly(login.id());
        assertThat(auth.get(0).path("canonical").path("id").asText()).isEqualTo(login.id());
        assertThat(auth.get(0).path("headers").path("ce_source").asText()).isEqualTo("it-auth");
        assertThat(ids(get("/api/events?action=billing.*").path("events"))).containsExactly(paid.id());
    }

    @Test
    void aDeadLetterIsListedWithItsPointersAndReplayRepublishesItsOriginalToEventsRaw() throws Exception {
        byte[] original = "{\"id\":\"not-a-uuid\"}".getBytes(StandardCharsets.UTF_8);
        ConsumerRecord<byte[], byte[]> shaped = ConsoleViewsTest.deadLetter(
                0, "schema_violation", "it-dlq-source", new String(original, StandardCharsets.UTF_8));
        String dlq = topics.name(TopicCatalogue.EVENTS_DLQ);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(dlq, 1, shaped.key(), shaped.value(), shaped.headers()))
                    .get();
        }
        JsonNode entry = await().atMost(Duration.ofSeconds(10))
                .until(() -> get("/api/dead-letters?source=it-dlq-source").path("entries"), e -> e.size() == 1)
                .get(0);
        assertThat(entry.path("reason").asText()).isEqualTo("schema_violation");
        assertThat(entry.path("pointers").toString()).contains("/id", "/actor/id");
        assertThat(entry.path("source").path("offset").asLong()).isEqualTo(41);
        assertThat(get("/api/dead-letters")
                        .path("counts")
                        .path("by_source")
                        .path("it-dlq-source")
                        .asLong())
                .isEqualTo(1);

        String body =
                "{\"entries\":[{\"partition\":" + entry.path("dlq_partition").asInt() + ",\"offset\":"
                        + entry.path("dlq_offset").asLong() + "},{\"partition\":1,\"offset\":999999}]}";
        HttpResponse<String> viewer = post("/api/dead-letters/replay", body, VIEWER_KEY);
        assertThat(viewer.statusCode()).as("replay needs console:replay").isEqualTo(403);
        assertThat(MAPPER.readTree(viewer.body()).path("code").asText()).isEqualTo("forbidden_scope");

        HttpResponse<String> replayed = post("/api/dead-letters/replay", body);
        assertThat(replayed.statusCode()).isEqualTo(200);
        JsonNode answer = MAPPER.readTree(replayed.body());
        String raw = topics.name(TopicCatalogue.EVENTS_RAW);
        assertThat(answer.path("topic").asText()).isEqualTo(raw);
        assertThat(answer.path("replayed").asInt()).isEqualTo(1);
        assertThat(answer.path("skipped").asInt()).isEqualTo(1);
        JsonNode results = answer.path("results");
        assertThat(results.get(0).path("result").asText()).isEqualTo("replayed");
        assertThat(results.get(1).path("result").asText()).isEqualTo("skipped");
        JsonNode to = results.get(0).path("to");
        assertThat(to.path("topic").asText()).isEqualTo(raw);

        ConsumerRecord<byte[], byte[]> onRaw = readOne(raw);
        assertThat(onRaw.partition()).isEqualTo(to.path("partition").asInt());
        assertThat(onRaw.offset()).isEqualTo(to.path("offset").asLong());
        assertThat(onRaw.value()).isEqualTo(original);
        assertThat(onRaw.key()).isEqualTo(shaped.key());
        assertThat(new String(
                        onRaw.headers()
                                .lastHeader(DeadLetterReplay.REPLAYED_FROM)
                                .value(),
                        StandardCharsets.UTF_8))
                .isEqualTo(dlq + "-1@" + entry.path("dlq_offset").asLong());
        assertThat(onRaw.headers().lastHeader("ce_subject")).isNotNull();
        assertThat(onRaw.headers().lastHeader("quintet.dlq.reason")).isNull();

        // the same entry again: not sent twice, the answer names where the first replay sent it
        JsonNode again = MAPPER.readTree(post("/api/dead-letters/replay", body).body());
        assertThat(again.path("replayed").asInt()).isZero();
        assertThat(again.path("results").get(0).path("detail").asText())
                .contains(
                        "already replayed",
                        raw + "-" + to.path("partition").asInt() + "@"
                                + to.path("offset").asLong());
        assertThat(count(raw)).as("records on " + raw).isEqualTo(1);
    }

    @Test
    void withoutAKeyEveryPageAndApiIsUnauthorizedAndAKeyWithoutTheConsoleScopeIsForbidden() throws Exception {
        for (String path : List.of(
                "/",
                "/index.html",
                "/app.js",
                "/api/events",
                "/api/pipeline",
                "/api/session",
                "/api/audit",
                "/api/no-such-route")) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + path)));
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate"))
                    .as(path)
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer realm=\"quintet-console\""));
        }
        // a page shows the login form, an API call says why in JSON
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/"))).body()).contains("id=\"login-form\"");
        assertThat(MAPPER.readTree(send(HttpRequest.newBuilder(URI.create(base + "/api/events")))
                                .body())
                        .path("code")
                        .asText())
                .isEqualTo("unauthenticated");
        HttpResponse<String> wrong = send(HttpRequest.newBuilder(URI.create(base + "/api/events"))
                .header("Authorization", "Bearer qfk_not-configured"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(MAPPER.readTree(wrong.body()).path("code").asText()).isEqualTo("invalid_key");
        HttpResponse<String> feedsOnly = send(HttpRequest.newBuilder(URI.create(base + "/api/events"))
                .header("Authorization", "Bearer " + FEEDS_KEY));
        assertThat(feedsOnly.statusCode()).isEqualTo(403);
        assertThat(MAPPER.readTree(feedsOnly.body()).path("code").asText()).isEqualTo("forbidden_scope");
        // public: the health check and the login form
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/healthz"))).statusCode())
                .isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/login"))).statusCode())
                .isEqualTo(200);
    }

    @Test
    void loggingInSetsAnHttpOnlyStrictSessionCookieThatLogoutEnds() throws Exception {
        HttpResponse<String> refused = login(FEEDS_KEY);
        assertThat(refused.statusCode()).as("a key without console:read").isEqualTo(403);
        assertThat(refused.headers().firstValue("Set-Cookie")).isEmpty();
        HttpResponse<String> unknown = login("qfk_not-configured");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.body()).contains("unknown API key").doesNotContain("qfk_not-configured");

        HttpResponse<String> ok = login(VIEWER_KEY);
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(ok.headers().firstValue("Location")).contains("/");
        String setCookie = ok.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie)
                .startsWith(ConsoleAuth.COOKIE + "=")
                .containsIgnoringCase("; HttpOnly") // attribute names are case-insensitive (RFC 6265)
                .contains("SameSite=Strict", "Path=/", "Max-Age=28800")
                .doesNotContain(VIEWER_KEY);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        HttpResponse<String> session =
                send(HttpRequest.newBuilder(URI.create(base + "/api/session")).header("Cookie", cookie));
        assertThat(session.statusCode()).isEqualTo(200);
        JsonNode who = MAPPER.readTree(session.body());
        assertThat(who.path("key_id").asText()).isEqualTo("viewer");
        assertThat(who.path("replay_allowed").asBoolean()).isFalse();
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/")).header("Cookie", cookie))
                        .body())
                .contains("Quintet console", "vendor/uplot/uPlot.iife.min.js");
        HttpResponse<String> replay = send(HttpRequest.newBuilder(URI.create(base + "/api/dead-letters/replay"))
                .header("Cookie", cookie)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"entries\":[{\"partition\":0,\"offset\":0}]}")));
        assertThat(replay.statusCode()).isEqualTo(403);

        HttpResponse<String> out = send(HttpRequest.newBuilder(URI.create(base + "/logout"))
                .header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().firstValue("Location")).contains("/login");
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
        HttpResponse<String> after =
                send(HttpRequest.newBuilder(URI.create(base + "/api/session")).header("Cookie", cookie));
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(MAPPER.readTree(after.body()).path("code").asText()).isEqualTo("session_expired");
    }

    @Test
    void withoutPublishedAuditKeysThePipelineSaysTheVerifierIsNotConfigured() throws Exception {
        assertThat(get("/api/pipeline").path("audit").path("verdict").asText()).isEqualTo("NOT_CONFIGURED");
        HttpResponse<String> verify = post("/api/audit/verify", "");
        assertThat(verify.statusCode()).isEqualTo(409);
        assertThat(MAPPER.readTree(verify.body()).path("where").asText()).isEqualTo("audit.public.keys.file");
    }

    @Test
    void badInputIsAnsweredFourHundredSayingWhatAndWhere() throws Exception {
        HttpResponse<String> pattern = send(HttpRequest.newBuilder(
                        URI.create(base + "/api/events?action=" + URLEncoder.encode("Auth..x", StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer " + OPS_KEY));
        assertThat(pattern.statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(pattern.body()).path("where").asText()).isEqualTo("query parameter action");
        HttpResponse<String> window = send(HttpRequest.newBuilder(URI.create(base + "/api/metrics?window=5m"))
                .header("Authorization", "Bearer " + OPS_KEY));
        assertThat(window.statusCode()).isEqualTo(400);
        assertThat(window.body()).contains("query parameter window", "1h, 1m");
        HttpResponse<String> replay =
                post("/api/dead-letters/replay", "{\"entries\":[{\"partition\":-1,\"offset\":0}]}");
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(replay.body()).path("where").asText()).isEqualTo("body /entries/0/partition");
        HttpResponse<String> feed = send(HttpRequest.newBuilder(URI.create(base + "/api/feeds/timelines/ps_x"))
                .header("Authorization", "Bearer " + OPS_KEY));
        assertThat(feed.statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(feed.body()).path("where").asText()).isEqualTo("path segment kind");
    }

    @Test
    void thePipelineViewShowsServiceHealthTopicOffsetsAndConsumerLag() throws Exception {
        String canonical = topics.name(TopicCatalogue.EVENTS_CANONICAL);
        try (EventPublisher p =
                EventPublisher.builder(bootstrap).topic(canonical).build()) {
            for (int i = 0; i < 3; i++) {
                p.publish(ConsoleViewsTest.event("auth.user.login_failed", "it-lag", "ps_lag"))
                        .get();
            }
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            // a group that committed offset 0 on every partition: its lag is every record
            Map<TopicPartition, OffsetAndMetadata> zero = Map.of(
                    new TopicPartition(canonical, 0),
                    new OffsetAndMetadata(0),
                    new TopicPartition(canonical, 1),
                    new OffsetAndMetadata(0));
            admin.alterConsumerGroupOffsets("console-it-readers", zero).all().get();
        }
        JsonNode status = get("/api/pipeline");
        assertThat(status.path("services").get(0).path("up").asBoolean()).isFalse();
        assertThat(status.path("services").get(0).path("status").asInt()).isZero();
        assertThat(status.path("broker").path("reachable").asBoolean()).isTrue();
        JsonNode group = status.path("consumer_groups").get(0);
        assertThat(group.path("group").asText()).isEqualTo("console-it-readers");
        assertThat(group.path("lag").asLong()).isGreaterThanOrEqualTo(3);
        List<String> topicNames = new ArrayList<>();
        status.path("topics").forEach(t -> topicNames.add(t.path("topic").asText()));
        assertThat(topicNames).contains(canonical, topics.name(TopicCatalogue.EVENTS_DLQ));
        // throughput of events.canonical: the records the console read, by record time
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(get("/api/pipeline")
                                .path("topics")
                                .get(1)
                                .path("records_per_second_1m")
                                .asDouble())
                        .isPositive());
    }

    @Test
    void theSinglePageAppAndItsChartingLibraryAreServed() throws Exception {
        HttpResponse<String> index =
                send(HttpRequest.newBuilder(URI.create(base + "/")).header("Authorization", "Bearer " + OPS_KEY));
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("Quintet console", "vendor/uplot/uPlot.iife.min.js");
        HttpResponse<String> lib = send(HttpRequest.newBuilder(URI.create(base + "/vendor/uplot/uPlot.iife.min.js"))
                .header("Authorization", "Bearer " + OPS_KEY));
        assertThat(lib.statusCode()).isEqualTo(200);
        assertThat(get("/healthz").path("status").asText()).isEqualTo("up");
    }

    private JsonNode get(String path) throws Exception {
        return get(base, path);
    }

    /** GET with the ops key; 200 expected. */
    JsonNode get(String at, String path) throws Exception {
        HttpResponse<String> r =
                send(HttpRequest.newBuilder(URI.create(at + path)).header("Authorization", "Bearer " + OPS_KEY));
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return MAPPER.readTree(r.body());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return post(path, body, OPS_KEY);
    }

    private HttpResponse<String> post(String path, String body, String key) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> login(String key) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("key=" + URLEncoder.encode(key, StandardCharsets.UTF_8))));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Committed records on a topic now (end offsets, read_committed; the test's producers are not transactional). */
    private long count(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            int partitions = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get()
                    .get(topic)
                    .partitions()
                    .size();
            Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> request = new java.util.HashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
            }
            return admin.listOffsets(request).all().get().values().stream()
                    .mapToLong(o -> o.offset())
                    .sum();
        }
    }

    private static List<String> ids(JsonNode events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.path("id").asText()));
        return out;
    }

    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    private ConsumerRecord<byte[], byte[]> readOne(String topic) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "console-it-raw-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                c.poll(Duration.ofMillis(200)).forEach(got::add);
                return !got.isEmpty();
            });
            return got.get(0);
        }
    }
}
