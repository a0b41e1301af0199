package io.quintet.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.OpenTelemetry;
import io.quintet.gateway.auth.WriteKeyAuthenticator;
import io.quintet.gateway.config.GatewayConfig;
import io.quintet.model.json.CanonicalJson;
import io.quintet.model.topics.TopicCatalogue;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Test-only helpers: write keys and their configuration, a running gateway on an ephemeral port, a real HTTP client
 * and a consumer that reads what the gateway wrote.
 */
final class GatewayHarness implements AutoCloseable {
    static final String AUTH_KEY = "qk_test_auth_service_key_0123456789";
    static final String BILLING_KEY = "qk_test_billing_service_key_987654";
    static final String SEGMENT_KEY = "qk_test_segment_web_key_abcdefabcdef";
    static final String ERASER_KEY = "qk_test_privacy_admin_key_13579bdf";
    /** The billing service's key of one tenant: bound to organisation {@link #TENANT}. */
    static final String TENANT_KEY = "qk_test_acme_billing_key_2468ace0";

    static final String TENANT = "org-acme";
    static final String SEGMENT_SOURCE = "https://shop.example.com";
    static final ObjectMapper JSON = CanonicalJson.newMapper();

    final Gateway gateway;
    final TopicCatalogue topics;
    final String bootstrap;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private GatewayHarness(Gateway gateway, TopicCatalogue topics, String bootstrap) {
        this.gateway = gateway;
        this.topics = topics;
        this.bootstrap = bootstrap;
    }

    /** The settings every test gateway shares; {@code extra} overrides or adds. */
    static Map<String, String> settings(String bootstrap, String prefix, Map<String, String> extra) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put(GatewayConfig.HTTP_HOST, "127.0.0.1");
        s.put(GatewayConfig.HTTP_PORT, "0");
        s.put(GatewayConfig.HTTP_EVENT_LOOPS, "2");
        s.put(GatewayConfig.KAFKA_BOOTSTRAP, bootstrap);
        s.put(GatewayConfig.TOPICS_PREFIX, prefix);
        s.put(GatewayConfig.KAFKA_HEALTH_INTERVAL_MS, "300");
        s.put(
                GatewayConfig.AUTH_WRITE_KEYS,
                String.join(
                        ",",
                        "auth:" + WriteKeyAuthenticator.sha256Hex(AUTH_KEY) + ":https://auth.example.com/*",
                        "billing:" + WriteKeyAuthenticator.sha256Hex(BILLING_KEY) + ":billing-service|workflow-engine",
                        "shop-web:" + WriteKeyAuthenticator.sha256Hex(SEGMENT_KEY) + ":" + SEGMENT_SOURCE,
                        "privacy-admin:" + WriteKeyAuthenticator.sha256Hex(ERASER_KEY) + ":privacy-admin",
                        "acme-billing:" + WriteKeyAuthenticator.sha256Hex(TENANT_KEY) + ":billing-service"));
        s.put(GatewayConfig.AUTH_ERASURE_KEYS, "privacy-admin");
        s.put(GatewayConfig.AUTH_KEY_ORGANIZATIONS, "acme-billing=" + TENANT);
        s.put(GatewayConfig.SEGMENT_ALIASES, "Item Purchased=commerce.item.purchased:create");
        s.putAll(extra);
        return s;
    }

    static GatewayHarness start(
            String bootstrap, String prefix, Map<String, String> extra, OpenTelemetry otel, Supplier<String> metrics)
            throws Exception {
        GatewayConfig config = GatewayConfig.of(settings(bootstrap, prefix, extra));
        return new GatewayHarness(Gateway.start(config, otel, metrics), config.topics(), bootstrap);
    }

    /**
     * Like {@link #start}, then waits until the gateway's own Kafka check has passed: on a loaded machine the first
     * check can time out, and a test that expects Kafka up must not read that as a failure of what it tests.
     */
    static GatewayHarness startReady(
            String bootstrap, String prefix, Map<String, String> extra, OpenTelemetry otel, Supplier<String> metrics)
            throws Exception {
        GatewayHarness h = start(bootstrap, prefix, extra, otel, metrics);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!h.gateway.kafkaStatus().available()) {
            if (System.nanoTime() > deadline) {
                h.close();
                throw new AssertionError("the gateway did not see Kafka within 60 s: "
                        + h.gateway.kafkaStatus().detail());
            }
            h.gateway.checkKafkaNow();
        }
        return h;
    }

    /** A unique topic prefix and the three topics the gateway writes, created with {@code partitions} each. */
    static String createTopics(io.quintet.testkit.RunningKafka kafka, String base, int partitions) {
        String prefix = io.quintet.testkit.RunningKafka.unique(base) + ".";
        TopicCatalogue c = TopicCatalogue.of(prefix, partitions, (short) 1);
        kafka.createTopics(
                partitions,
                c.name(TopicCatalogue.EVENTS_RAW),
                c.name(TopicCatalogue.PROFILES),
                c.name(TopicCatalogue.ERASURE_REQUESTS));
        return prefix;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + gateway.port() + path);
    }

    Reply post(String path, String contentType, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    /** POST with {@code Authorization: Bearer key}. */
    Reply postWithKey(String path, String key, String contentType, String body, String... headers) {
        List<String> h = new ArrayList<>(List.of(headers));
        h.add("Authorization");
        h.add("Bearer " + key);
        return post(path, contentType, body, h.toArray(String[]::new));
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build());
    }

    /** GET with {@code Authorization: Bearer key}. */
    Reply getWithKey(String path, String key) {
        return send(HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .GET()
                .build());
    }

    private Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r.headers().map());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String basic(String key) {
        return "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Everything on {@code topic} up to its end offsets as of now. A 2xx answer means Kafka acknowledged the events
     * (acks=all), so they are below the end offsets once the answer arrived: no waiting on a guess.
     */
    List<ConsumerRecord<String, byte[]>> readToEnd(String topic) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false);
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime())
                        .as("reading " + topic + " to its end in time")
                        .isLessThan(deadline);
                consumer.poll(Duration.ofMillis(100)).forEach(out::add);
            }
        }
        return out;
    }

    /** The records of {@code topic} (up to now) whose ce_id is one of {@code ids}. */
    List<ConsumerRecord<String, byte[]>> recordsWithIds(String topic, java.util.Collection<String> ids) {
        return readToEnd(topic).stream()
                .filter(r -> ids.contains(header(r, "ce_id")))
                .toList();
    }

    static String header(ConsumerRecord<?, ?> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static JsonNode value(ConsumerRecord<String, byte[]> r) {
        try {
            return JSON.readTree(r.value());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        gateway.close();
    }

    /** An HTTP answer with its body parsed as JSON when it is JSON. */
    record Reply(int status, String body, Map<String, List<String>> headers) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("response body is not JSON: " + body, e);
            }
        }

        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
