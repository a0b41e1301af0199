package io.quintet.benchmarks.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quintet.demo.TopicReader;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.cloudevents.DecodeResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One read_committed consumer over the pipeline's outputs, from their beginning, noting when each thing first
 * appears (this JVM's {@code System.nanoTime()} at the poll that returned it):
 * <ul>
 *   <li>{@code events.canonical}: each event by its CloudEvents id ({@code ce_id}), with partition and offset; the
 *       pseudonym of a burst's actor;</li>
 *   <li>{@code events.dlq}: the ids of dead-lettered events;</li>
 *   <li>{@code metrics}: the first record of each closed 1-minute window (by window start);</li>
 *   <li>{@code alerts}: the first {@code brute-force-login} alert of each group (actor pseudonym).</li>
 * </ul>
 */
final class OutputWatcher implements AutoCloseable {
    static final String ALERT_RULE = "brute-force-login";

    private final ObjectMapper json = new ObjectMapper();
    private final EventLog log;
    private final String canonical;
    private final String dlq;
    private final String metrics;
    private final String alerts;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile RuntimeException failure;

    /** Ids as read, duplicates kept (the id count needs them). Only the watcher thread writes them. */
    final List<String> canonicalIds = new ArrayList<>();

    final List<String> dlqIds = new ArrayList<>();
    /** Epoch minute of a 1-minute window's start -> when its first record appeared on {@code metrics}. */
    final Map<Long, Long> metricWindowSeen = new ConcurrentHashMap<>();
    /** The same, as wall-clock epoch milliseconds (to compare with the window's end + grace). */
    final Map<Long, Long> metricWindowSeenWall = new ConcurrentHashMap<>();
    /** Alert group (actor pseudonym) -> when its first brute-force-login alert appeared. */
    final Map<String, Long> alertSeen = new ConcurrentHashMap<>();
    /** The consumer's position per partition after the last poll. */
    final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();

    OutputWatcher(String bootstrap, EventLog log, String canonical, String dlq, String metrics, String alerts) {
        this.log = log;
        this.canonical = canonical;
        this.dlq = dlq;
        this.metrics = metrics;
        this.alerts = alerts;
        this.consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        5000),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> tps = new ArrayList<>();
        for (String topic : List.of(canonical, dlq, metrics, alerts)) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(p -> tps.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        this.thread = new Thread(this::loop, "pipeline-bench-outputs");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (!stopped) {
                var records = consumer.poll(Duration.ofMillis(100));
                long now = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    String topic = r.topic();
                    if (topic.equals(canonical)) {
                        onCanonical(r, now);
                    } else if (topic.equals(dlq)) {
                        String id = TopicReader.header(r, "ce_id");
                        dlqIds.add(
                                id == null
                                        ? "(dlq record without ce_id at " + r.partition() + "@" + r.offset() + ")"
                                        : id);
                    } else if (topic.equals(metrics)) {
                        onMetric(r, now);
                    } else if (topic.equals(alerts)) {
                        String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                        if (key.startsWith(ALERT_RULE + "|")
                                && "monitoring.alert.triggered".equals(TopicReader.header(r, "ce_type"))) {
                            alertSeen.putIfAbsent(key.substring(ALERT_RULE.length() + 1), now);
                        }
                    }
                }
                for (TopicPartition tp : consumer.assignment()) {
                    positions.put(tp, consumer.position(tp));
                }
            }
        } catch (RuntimeException e) {
            if (!stopped) {
                failure = e;
            }
        }
    }

    private void onCanonical(ConsumerRecord<byte[], byte[]> r, long now) {
        String id = TopicReader.header(r, "ce_id");
        if (id == null) {
            id = "(canonical record without ce_id at " + r.partition() + "@" + r.offset() + ")";
        }
        canonicalIds.add(id);
        EventLog.Tracked t = log.events.get(id);
        if (t != null && t.canonicalNanos == 0) {
            t.partition = r.partition();
            t.offset = r.offset();
            t.canonicalNanos = now;
        }
        EventLog.Burst b = log.burstByEventId.get(id);
        if (b != null
                && b.pseudonym == null
                && CloudEventSerde.decode(r.headers(), r.value()) instanceof DecodeResult.Decoded d
                && d.event().actor() != null) {
            b.pseudonym = d.event().actor().id();
        }
    }

    private void onMetric(ConsumerRecord<byte[], byte[]> r, long now) {
        try {
            JsonNode m = json.readTree(r.value());
            if ("PT1M".equals(m.path("window_size").asText())) {
                long minute = Instant.parse(m.path("window_start").asText()).getEpochSecond() / 60;
                if (metricWindowSeen.putIfAbsent(minute, now) == null) {
                    metricWindowSeenWall.put(minute, System.currentTimeMillis());
                }
            }
        } catch (Exception notAMetric) {
            // not a quintet.metrics.v1 record: not counted
        }
    }

    /** True when the watcher has read every partition of {@code topics} up to {@code ends}. */
    boolean caughtUp(Map<TopicPartition, Long> ends) {
        for (var e : ends.entrySet()) {
            if (positions.getOrDefault(e.getKey(), 0L) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    void check() {
        if (failure != null) {
            throw new IllegalStateException("the output watcher failed: " + failure, failure);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        consumer.wakeup();
        thread.join(10_000);
        consumer.close(Duration.ofSeconds(5));
    }
}
