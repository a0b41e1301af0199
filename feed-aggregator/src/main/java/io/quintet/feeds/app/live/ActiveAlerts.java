package io.quintet.feeds.app.live;

import com.fasterxml.jackson.databind.JsonNode;
import io.quintet.feeds.app.http.ApiException;
import io.quintet.feeds.app.http.ApiRequest;
import io.quintet.feeds.app.http.ApiResponse;
import io.quintet.feeds.app.http.Scope;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.cloudevents.DecodeResult;
import io.quintet.model.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/alerts?state=active}: the alerts that are firing now, read from the {@code alerts} topic (every
 * partition, from its start, {@code read_committed}, no consumer group) on a thread of its own: an alert is active from
 * its {@code monitoring.alert.triggered} (the newest one is shown) until its {@code monitoring.alert.resolved}, keyed
 * as on the topic ({@code rule-id|group}). Every instance reads the whole topic, so any instance answers; 503 until it
 * has read up to where the topic ended when it started.
 */
public final class ActiveAlerts implements Function<ApiRequest, ApiResponse>, AutoCloseable {
    public static final String PREFIX = "/v1/alerts";
    static final String TRIGGERED = "monitoring.alert.triggered";
    static final String RESOLVED = "monitoring.alert.resolved";
    private static final Logger LOG = LoggerFactory.getLogger(ActiveAlerts.class);

    private final Map<String, Object> consumerProps;
    private final String topic;
    private final Map<String, JsonNode> active = new ConcurrentHashMap<>();
    private volatile boolean caughtUp;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;

    public ActiveAlerts(Map<String, Object> clientProps, String topic) {
        Map<String, Object> p = new LinkedHashMap<>(clientProps);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumerProps = Map.copyOf(p);
        this.topic = topic;
        this.thread = new Thread(this::run, "active-alerts");
        thread.setDaemon(true);
    }

    public ActiveAlerts start() {
        thread.start();
        return this;
    }

    private void run() {
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer = c;
            if (!running) {
                return;
            }
            List<TopicPartition> partitions = c.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = c.endOffsets(partitions, Duration.ofSeconds(60));
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    apply(r);
                }
                if (!caughtUp && ends.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                    caughtUp = true;
                    LOG.info("active alerts read up to the end of {}: {} active", topic, active.size());
                }
            }
        } catch (WakeupException stopped) {
            // close()
        } catch (RuntimeException e) {
            LOG.error("the active-alerts reader of {} stopped; GET {} answers 503 from now on", topic, PREFIX, e);
            caughtUp = false;
        } finally {
            consumer = null;
        }
    }

    void apply(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null || !(CloudEventSerde.decode(r.headers(), r.value()) instanceof DecodeResult.Decoded d)) {
            return;
        }
        CanonicalEvent e = d.event();
        String key = new String(r.key(), StandardCharsets.UTF_8);
        String action = e.action() == null ? "" : e.action().name();
        if (action.equals(TRIGGERED)) {
            active.put(key, CanonicalJson.toTree(e));
        } else if (action.equals(RESOLVED)) {
            active.remove(key);
        }
    }

    @Override
    public ApiResponse apply(ApiRequest req) {
        req.principal().require(Scope.ALERTS_READ);
        if (!req.method().equals("GET")) {
            throw new ApiException(405, "use GET");
        }
        if (!req.segments().isEmpty()) {
            throw ApiException.notFound("use " + PREFIX + "?state=active");
        }
        String state = req.param("state").orElse("active");
        if (!state.equals("active")) {
            throw ApiException.badRequest(
                    "query parameter 'state': only 'active' is served (resolved alerts: the alerts topic, "
                            + "or the stream " + LiveStreams.ALERTS_PATH + ")");
        }
        if (!caughtUp) {
            throw ApiException.unavailable("still reading the alerts topic; retry");
        }
        List<JsonNode> alerts = new ArrayList<>(active.values());
        alerts.sort(
                Comparator.comparing((JsonNode a) -> a.path("event_timestamp").asText())
                        .reversed());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", "active");
        body.put("count", alerts.size());
        body.put("alerts", alerts);
        return ApiResponse.ok(body);
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
