package io.quintet.feeds.app.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.quintet.feeds.app.http.ApiAuth;
import io.quintet.feeds.app.http.ApiKey;
import io.quintet.feeds.app.http.ApiResponse;
import io.quintet.feeds.app.http.HttpApi;
import io.quintet.feeds.app.http.ReaderTokens;
import io.quintet.feeds.app.http.Scope;
import io.quintet.feeds.stream.JsonSerde;
import io.quintet.feeds.stream.TestEvents;
import io.quintet.model.Action;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The live API against a real broker and a real HTTP client reading the streams: canonical events by pattern, resumed
 * with Last-Event-ID; alert events and the active alerts; authentication of streams.
 */
@KafkaCluster
@Timeout(120)
class LiveStreamsIT {
    static final String EVENTS_KEY = "qfk_live-events-key-0123456789abcdefghijklmnop";
    static final String ALERTS_KEY = "qfk_live-alerts-key-0123456789abcdefghijklmnop";

    RunningKafka kafka;
    String canonical;
    String alerts;
    Vertx vertx;
    HttpApi http;
    LiveStreams live;
    ActiveAlerts active;
    KafkaProducer<String, CanonicalEvent> producer;
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start(RunningKafka kafka) {
        this.kafka = kafka;
        String prefix = RunningKafka.unique("live") + ".";
        canonical = prefix + "events.canonical";
        alerts = prefix + "alerts";
        kafka.createTopics(3, canonical, alerts);
        Map<String, Object> clientProps = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        live = new LiveStreams(clientProps, canonical, alerts, 4, Duration.ofSeconds(1));
        active = new ActiveAlerts(clientProps, alerts).start();
        ApiAuth auth = new ApiAuth(
                List.of(
                        new ApiKey("siem", ApiKey.sha256(EVENTS_KEY), EnumSet.of(Scope.EVENTS_READ)),
                        new ApiKey(
                                "oncall",
                                ApiKey.sha256(ALERTS_KEY),
                                EnumSet.of(Scope.ALERTS_READ, Scope.TOKENS_ISSUE))),
                new ReaderTokens(new byte[32], Duration.ofMinutes(5), Clock.systemUTC()),
                List.of());
        vertx = Vertx.vertx();
        Map<String, Function<io.quintet.feeds.app.http.ApiRequest, ApiResponse>> routes = new LinkedHashMap<>();
        routes.put(ActiveAlerts.PREFIX, active);
        http = new HttpApi(vertx, new InetSocketAddress("127.0.0.1", 0), routes, auth);
        http.stream(LiveStreams.EVENTS_PATH, Scope.EVENTS_READ, live::events);
        http.stream(LiveStreams.ALERTS_PATH, Scope.ALERTS_READ, live::alerts);
        producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                new CloudEventSerde().serializer());
    }

    @AfterEach
    void stop() {
        producer.close();
        live.close();
        http.close();
        active.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + http.port() + pathAndQuery);
    }

    void send(String topic, String key, CanonicalEvent e) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, e)).get();
    }

    static CanonicalEvent event(String id, String action) {
        return TestEvents.event(id, action, "ps_actor", "svc", Instant.now(), Context.Status.SUCCESS, null, null);
    }

    /** Opened streams start at the topic's end: wait until the stream has sent its first position. */
    static SseClient open(SseClient c) {
        await().atMost(Duration.ofSeconds(30)).until(() -> c.lastEventId != null);
        return c;
    }

    @Test
    void theEventStreamDeliversMatchingCanonicalEventsAndResumesAfterTheLastEventId() throws Exception {
        String lastSeen;
        try (SseClient sse = open(new SseClient(
                client, uri("/v1/stream/events?pattern=auth.*"), Map.of("Authorization", "Bearer " + EVENTS_KEY)))) {
            assertThat(sse.response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
            send(canonical, "ps_actor", event("a1", "auth.user.login_succeeded"));
            send(canonical, "ps_actor", event("b1", "billing.invoice.paid"));
            send(canonical, "ps_actor", event("a2", "auth.user.login_failed"));
            List<SseClient.Event> got = sse.take(2, Duration.ofSeconds(30));
            assertThat(got).extracting(SseClient.Event::type).containsOnly("canonical");
            assertThat(got)
                    .extracting(
                            e -> JsonSerde.mapper().readTree(e.data()).get("id").asText())
                    .containsExactly("a1", "a2");
            JsonNode first = JsonSerde.mapper().readTree(got.get(0).data());
            assertThat(first.at("/action/name").asText()).isEqualTo("auth.user.login_succeeded");
            assertThat(first.at("/actor/id").asText())
                    .as("as on the topic: the pseudonym")
                    .isEqualTo("ps_actor");
            lastSeen = got.get(0).id();
            assertThat(lastSeen).matches("\\d+:\\d+(,\\d+:\\d+)*");
        }
        // the client lost the connection after a1: it resumes with a1's id and gets a2, then what comes next
        send(canonical, "ps_actor", event("a3", "auth.user.logout"));
        try (SseClient resumed = new SseClient(
                client,
                uri("/v1/stream/events?pattern=auth.*"),
                Map.of("Authorization", "Bearer " + EVENTS_KEY, "Last-Event-ID", lastSeen))) {
            List<SseClient.Event> got = resumed.take(2, Duration.ofSeconds(30));
            assertThat(got)
                    .extracting(
                            e -> JsonSerde.mapper().readTree(e.data()).get("id").asText())
                    .containsExactly("a2", "a3");
            send(canonical, "other", event("a4", "auth.user.login_succeeded"));
            assertThat(JsonSerde.mapper()
                            .readTree(resumed.take(1, Duration.ofSeconds(30))
                                    .get(0)
                                    .data())
                            .get("id")
                            .asText())
                    .isEqualTo("a4");
            assertThat(resumed.poll(Duration.ofMillis(300))).as("nothing else").isNull();
        }
    }

    @Test
    void alertsAreStreamedAndTheActiveOnesListedUntilResolved() throws Exception {
        try (SseClient sse = open(
                new SseClient(client, uri("/v1/stream/alerts"), Map.of("Authorization", "Bearer " + ALERTS_KEY)))) {
            send(alerts, "brute-force-login|ps_bob", alert("t1", ActiveAlerts.TRIGGERED));
            send(alerts, "ai-cost-spike|ps_carol", alert("t2", ActiveAlerts.TRIGGERED));
            assertThat(sse.take(2, Duration.ofSeconds(30)))
                    .extracting(SseClient.Event::type)
                    .containsOnly(ActiveAlerts.TRIGGERED);
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(getJson("/v1/alerts?state=active", ALERTS_KEY)
                                    .get("count")
                                    .asInt())
                            .isEqualTo(2));

            send(alerts, "brute-force-login|ps_bob", alert("r1", ActiveAlerts.RESOLVED));
            assertThat(sse.take(1, Duration.ofSeconds(30)).get(0).type()).isEqualTo(ActiveAlerts.RESOLVED);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode now = getJson("/v1/alerts?state=active", ALERTS_KEY);
                assertThat(now.get("count").asInt()).isEqualTo(1);
                assertThat(now.get("alerts").get(0).get("id").asText()).isEqualTo("t2");
            });
        }
        assertThat(get("/v1/alerts?state=resolved", ALERTS_KEY).statusCode()).isEqualTo(400);
    }

    @Test
    void streamsNeedCredentialsWithTheirScope() throws Exception {
        assertThat(get("/v1/stream/events", null).statusCode()).isEqualTo(401);
        assertThat(get("/v1/stream/events", null).headers().firstValue("WWW-Authenticate"))
                .isPresent();
        assertThat(get("/v1/stream/events", ALERTS_KEY).statusCode())
                .as("a key without events:read")
                .isEqualTo(403);
        assertThat(get("/v1/alerts", EVENTS_KEY).statusCode())
                .as("a key without alerts:read")
                .isEqualTo(403);
        HttpResponse<String> issued = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/v1/tokens"))
                        .header("Authorization", "Bearer " + ALERTS_KEY)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"reader\":\"ps_x\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(issued.statusCode()).as("no token route in this test").isEqualTo(404);
        String token = new ReaderTokens(new byte[32], Duration.ofMinutes(5), Clock.systemUTC())
                .issue("ps_x", null, "t")
                .token();
        assertThat(get("/v1/stream/alerts", token).statusCode())
                .as("a reader's token streams nothing")
                .isEqualTo(403);
        assertThat(get("/v1/stream/events?pattern=Auth..x", EVENTS_KEY).statusCode())
                .isEqualTo(400);
        HttpResponse<String> badId = client.send(
                HttpRequest.newBuilder(uri("/v1/stream/events"))
                        .header("Authorization", "Bearer " + EVENTS_KEY)
                        .header("Last-Event-ID", "yesterday")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(JsonSerde.mapper().readTree(badId.body()).get("error").asText())
                .contains("Last-Event-ID");
    }

    static CanonicalEvent alert(String id, String action) {
        return CanonicalEvent.builder()
                .id(id)
                .eventTimestamp(Instant.now())
                .source("feed-aggregator")
                .action(new Action(action, "other"))
                .actor(io.quintet.model.Actor.of("feed-aggregator", io.quintet.model.Actor.SERVICE))
                .entity(io.quintet.model.Entity.of("rule/group", "alert"))
                .build();
    }

    HttpResponse<String> get(String path, String credential) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
        if (credential != null) {
            b.header("Authorization", "Bearer " + credential);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode getJson(String path, String credential) throws Exception {
        HttpResponse<String> r = get(path, credential);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JsonSerde.mapper().readTree(r.body());
    }
}
