package io.quintet.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.publish.EventPublisher;
import io.quintet.model.topics.TopicCatalogue;
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
        HttpResponse<String> replayed = post("/api/dead-letters/replay", body);
        assertThat(replayed.statusCode()).isEqualTo(200);
        JsonNode results = MAPPER.readTree(replayed.body()).path("results");
        assertThat(results.get(0).path("result").asText()).isEqualTo("replayed");
        assertThat(results.get(1).path("result").asText()).isEqualTo("skipped");

        ConsumerRecord<byte[], byte[]> onRaw = readOne(topics.name(TopicCatalogue.EVENTS_RAW));
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
    }

    @Test
    void badInputIsAnsweredFourHundredSayingWhatAndWhere() throws Exception {
        HttpResponse<String> pattern = http.send(
                HttpRequest.newBuilder(URI.create(
                                base + "/api/events?action=" + URLEncoder.encode("Auth..x", StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(pattern.statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(pattern.body()).path("where").asText()).isEqualTo("query parameter action");
        HttpResponse<String> window = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/metrics?window=5m"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(window.statusCode()).isEqualTo(400);
        assertThat(window.body()).contains("query parameter window", "1h, 1m");
        HttpResponse<String> replay =
                post("/api/dead-letters/replay", "{\"entries\":[{\"partition\":-1,\"offset\":0}]}");
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(replay.body()).path("where").asText()).isEqualTo("body /entries/0/partition");
        HttpResponse<String> feed = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/feeds/timelines/ps_x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
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
                http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("Quintet console", "vendor/uplot/uPlot.iife.min.js");
        HttpResponse<String> lib = http.send(
                HttpRequest.newBuilder(URI.create(base + "/vendor/uplot/uPlot.iife.min.js"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(lib.statusCode()).isEqualTo(200);
        assertThat(get("/healthz").path("status").asText()).isEqualTo("up");
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return MAPPER.readTree(r.body());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
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
