package io.quintet.feeds.metrics.alerts.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.quintet.feeds.stream.DeadLetter;
import io.quintet.model.Action;
import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Entity;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhook delivery on a real broker to a real local HTTP receiver: retries until the receiver accepts, a signed,
 * idempotent structured-mode CloudEvent, resumption after a restart without re-sending, dead letters.
 */
@KafkaCluster
@Timeout(60)
class AlertDeliveryIT {
    static final String SECRET = "whsec-it-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the receiver saw it. */
    record Received(int status, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }
    }

    /** A webhook receiver that answers 503 to the first {@code failFirst} requests, then 200. */
    static final class Receiver implements AutoCloseable {
        final HttpServer server;
        final List<Received> requests = new CopyOnWriteArrayList<>();
        final AtomicInteger seen = new AtomicInteger();

        Receiver(int failFirst) throws java.io.IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/hook", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                int status = seen.incrementAndGet() <= failFirst ? 503 : 200;
                requests.add(new Received(status, Map.copyOf(exchange.getRequestHeaders()), body));
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        List<Received> accepted() {
            return requests.stream().filter(r -> r.status() == 200).toList();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @TempDir
    Path dir;

    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    String topicsPrefix;
    String group;

    DeliveryRoutes routes(Receiver receiver) throws java.io.IOException {
        Path secret = dir.resolve("hook.secret");
        Files.writeString(secret, SECRET + "\n");
        return DeliveryRoutes.parse("""
                destinations:
                  - id: ops-hook
                    url: %s
                    secret_file: %s
                rules:
                  - id: brute-force-login
                    deliver_to: [ops-hook]
                  - id: quiet
                """.formatted(receiver.url(), secret), name -> null, "test");
    }

    AlertDeliveryService start(RunningKafka kafka, DeliveryRoutes routes, Backoff backoff) {
        DeliverySettings settings = new DeliverySettings(group, backoff, Duration.ofSeconds(5), "earliest");
        WebhookSender sender = new WebhookSender(
                java.net.http.HttpClient.newHttpClient(),
                backoff,
                settings.requestTimeout(),
                Clock.systemUTC(),
                new SplittableRandom());
        return new AlertDeliveryService(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                        topicsPrefix + "alerts",
                        topicsPrefix + "events.dlq",
                        routes,
                        settings,
                        sender,
                        Clock.systemUTC())
                .start();
    }

    void setUp(RunningKafka kafka) {
        topicsPrefix = RunningKafka.unique("deliv") + ".";
        group = RunningKafka.unique("delivery");
        kafka.createTopics(1, topicsPrefix + "alerts", topicsPrefix + "events.dlq");
    }

    static CanonicalEvent alert(String id, String ruleId) {
        Instant at = Instant.parse("2026-11-02T09:00:50Z");
        return CanonicalEvent.builder()
                .id(id)
                .eventTimestamp(at)
                .observedTimestamp(at)
                .source("feed-aggregator")
                .action(new Action("monitoring.alert.triggered", "other"))
                .actor(Actor.of("feed-aggregator", Actor.SERVICE))
                .entity(new Entity(
                        ruleId + "/p-bob",
                        "alert",
                        Map.<String, Object>of("rule_id", ruleId, "alert_id", "episode-" + id, "group", "p-bob")))
                .correlationId("episode-" + id)
                .build();
    }

    void publish(RunningKafka kafka, CanonicalEvent... alerts) throws Exception {
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(),
                new CloudEventSerde().serializer())) {
            for (CanonicalEvent a : alerts) {
                producer.send(new ProducerRecord<>(topicsPrefix + "alerts", "brute-force-login|p-bob", a))
                        .get();
            }
        }
    }

    static boolean signatureVerifies(Received r) throws Exception {
        String header = r.header(WebhookSignature.HEADER);
        String t = header.substring(2, header.indexOf(','));
        String v1 = header.substring(header.indexOf(",v1=") + 4);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
        byte[] expected = mac.doFinal(r.body());
        return java.security.MessageDigest.isEqual(expected, HexFormat.of().parseHex(v1))
                && Math.abs(Instant.now().getEpochSecond() - Long.parseLong(t)) < 300;
    }

    @Test
    void anAlertReachesAFlakyWebhookOnceAfterRetriesSignedWithItsIdAsIdempotencyKeyAndARestartDoesNotResendIt(
            RunningKafka kafka) throws Exception {
        setUp(kafka);
        Receiver receiver = new Receiver(2);
        open.add(receiver);
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(400), 5);
        DeliveryRoutes routes = routes(receiver);
        publish(kafka, alert("quiet-1", "quiet"), alert("alert-1", "brute-force-login"));

        AlertDeliveryService first = start(kafka, routes, backoff);
        await("alert-1 accepted")
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(receiver.accepted())
                        .as("requests %s", receiver.requests)
                        .hasSize(1));
        first.close();

        assertThat(receiver.requests).as("two 503s, then the delivery").hasSize(3);
        assertThat(receiver.requests)
                .allSatisfy(
                        r -> assertThat(r.header(WebhookSender.IDEMPOTENCY_KEY)).isEqualTo("alert-1"));
        Received delivered = receiver.accepted().get(0);
        assertThat(signatureVerifies(delivered)).isTrue();
        assertThat(delivered.header("Content-Type")).startsWith("application/cloudevents+json");
        assertThat(delivered.header(WebhookSender.ATTEMPT)).isEqualTo("3");
        JsonNode ce = JSON.readTree(delivered.body());
        assertThat(ce.path("specversion").asText()).isEqualTo("1.0");
        assertThat(ce.path("id").asText()).isEqualTo("alert-1");
        assertThat(ce.path("type").asText()).isEqualTo("monitoring.alert.triggered");
        assertThat(ce.path("data")
                        .path("entity")
                        .path("details")
                        .path("rule_id")
                        .asText())
                .isEqualTo("brute-force-login");

        // while the service is down a second alert arrives; after the restart it is delivered, alert-1 is not re-sent
        publish(kafka, alert("alert-2", "brute-force-login"));
        open.add(start(kafka, routes, backoff));
        await("alert-2 accepted")
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(receiver.accepted())
                        .as("requests %s", receiver.requests)
                        .hasSize(2));
        assertThat(receiver.accepted())
                .as("same partition: alert-2 follows alert-1's committed offset")
                .extracting(r -> r.header(WebhookSender.IDEMPOTENCY_KEY))
                .containsExactly("alert-1", "alert-2");
        assertThat(receiver.requests).hasSize(4);
    }

    @Test
    void aWebhookThatAlwaysFailsYieldsADeadLetterWithItsReasonAndTheOffsetIsCommitted(RunningKafka kafka)
            throws Exception {
        setUp(kafka);
        Receiver receiver = new Receiver(Integer.MAX_VALUE);
        open.add(receiver);
        publish(kafka, alert("alert-down", "brute-force-login"));
        open.add(start(kafka, routes(receiver), new Backoff(Duration.ofMillis(50), Duration.ofMillis(100), 3)));

        List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        RunningKafka.unique("dlq-reader"),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topicsPrefix + "events.dlq"));
            await("a dead letter").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(dead::add);
                assertThat(dead)
                        .as("dead letters after %d attempts", receiver.requests.size())
                        .isNotEmpty();
            });
        }
        assertThat(dead).hasSize(1);
        ConsumerRecord<byte[], byte[]> letter = dead.get(0);
        assertThat(header(letter, DeadLetter.REASON)).isEqualTo("alert_delivery_retries_exhausted");
        assertThat(header(letter, AlertDeliveryService.DETAIL)).isEqualTo("HTTP 503 after 3 attempts");
        assertThat(header(letter, AlertDeliveryService.DESTINATION)).isEqualTo("ops-hook");
        assertThat(header(letter, DeadLetter.TOPIC)).isEqualTo(topicsPrefix + "alerts");
        assertThat(header(letter, "ce_id"))
                .as("the alert record's own headers are kept")
                .isEqualTo("alert-down");
        assertThat(receiver.requests).hasSize(3);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            await("offset of group " + group + " committed after the dead letter")
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(committed(admin)).isEqualTo(1));
        }
    }

    long committed(Admin admin) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get();
            OffsetAndMetadata o = offsets.get(new TopicPartition(topicsPrefix + "alerts", 0));
            return o == null ? -1 : o.offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
