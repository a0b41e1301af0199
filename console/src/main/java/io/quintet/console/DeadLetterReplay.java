package io.quintet.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quintet.model.topics.DeadLetterHeaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Replays selected dead letters the way the enricher's replay tool ({@code io.quintet.enricher.dlq.DlqReplay},
 * docs/enricher.md "Re-publishing after a fix") does, for entries picked by their DLQ partition and offset: the dead
 * letter is read (read_committed), its original record rebuilt (key, the original headers, i.e. every header but
 * {@code quintet.dlq.*}, and the original value from the body's {@code original.value_base64}, byte for byte) and
 * sent to {@code events.raw} with an idempotent producer and a {@code quintet.replayed-from} header naming the dead
 * letter ({@code topic-partition@offset}). The DLQ is not modified; a record refused again is dead-lettered again.
 */
public final class DeadLetterReplay {
    /** The header DlqReplay adds, with the same name and value format. */
    public static final String REPLAYED_FROM = "quintet.replayed-from";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A dead letter to replay, by its coordinates on events.dlq. */
    public record Selected(int partition, long offset) {}

    /**
     * What happened to one selected dead letter: {@code replayed} (with where it went: {@code to}, e.g.
     * {@code events.raw-3@17}), or {@code skipped} and why ({@code to} then names where an earlier replay sent it, or
     * is null).
     */
    public record Outcome(int partition, long offset, String result, String detail, Destination to) {}

    /** Where a replayed original was written. */
    public record Destination(String topic, int partition, long offset) {
        @Override
        public String toString() {
            return topic + "-" + partition + "@" + offset;
        }
    }

    private final String bootstrap;
    private final Map<String, Object> overrides;
    private final String dlqTopic;
    private final String rawTopic;
    /** The dead letters this console replayed, and where to: each is replayed at most once per console process. */
    private final Map<Selected, Destination> replayed = new ConcurrentHashMap<>();

    public DeadLetterReplay(String bootstrap, Map<String, Object> overrides, String dlqTopic, String rawTopic) {
        this.bootstrap = bootstrap;
        this.overrides = Map.copyOf(overrides);
        this.dlqTopic = dlqTopic;
        this.rawTopic = rawTopic;
    }

    public String rawTopic() {
        return rawTopic;
    }

    /**
     * Blocking: reads each selected dead letter and re-publishes its original, once: a dead letter this console has
     * replayed already (also twice in one selection) is skipped, naming where it went. One replay at a time.
     */
    public synchronized List<Outcome> replay(List<Selected> selection)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<Outcome> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer();
                KafkaProducer<byte[], byte[]> producer = producer()) {
            for (Selected s : selection) {
                Destination before = replayed.get(s);
                if (before != null) {
                    out.add(new Outcome(
                            s.partition(),
                            s.offset(),
                            "skipped",
                            "already replayed by this console to " + before + " (not sent again)",
                            before));
                    continue;
                }
                ConsumerRecord<byte[], byte[]> dl = read(consumer, s);
                if (dl == null) {
                    out.add(new Outcome(
                            s.partition(),
                            s.offset(),
                            "skipped",
                            "no committed record at " + dlqTopic + "-" + s.partition() + "@" + s.offset(),
                            null));
                    continue;
                }
                byte[] original = originalValue(dl.value());
                if (original == null) {
                    out.add(new Outcome(
                            s.partition(),
                            s.offset(),
                            "skipped",
                            "not a Quintet dead letter with an original value",
                            null));
                    continue;
                }
                RecordHeaders headers = new RecordHeaders();
                for (Header h : dl.headers()) {
                    if (!h.key().startsWith(DeadLetterHeaders.PREFIX)) {
                        headers.add(h);
                    }
                }
                headers.add(
                        REPLAYED_FROM,
                        (dl.topic() + "-" + dl.partition() + "@" + dl.offset()).getBytes(StandardCharsets.UTF_8));
                RecordMetadata m = producer.send(
                                new ProducerRecord<>(rawTopic, null, null, dl.key(), original, headers))
                        .get(30, TimeUnit.SECONDS);
                Destination to = new Destination(m.topic(), m.partition(), m.offset());
                replayed.put(s, to);
                out.add(new Outcome(s.partition(), s.offset(), "replayed", "sent to " + to, to));
            }
        }
        return out;
    }

    private ConsumerRecord<byte[], byte[]> read(KafkaConsumer<byte[], byte[]> consumer, Selected s) {
        TopicPartition tp = new TopicPartition(dlqTopic, s.partition());
        consumer.assign(List.of(tp));
        Long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(10)).get(tp);
        if (end == null || s.offset() >= end || s.offset() < 0) {
            return null;
        }
        consumer.seek(tp, s.offset());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && consumer.position(tp) < end) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.offset() == s.offset()) {
                    return r;
                }
                if (r.offset() > s.offset()) {
                    return null; // the offset is a transaction marker or an aborted record
                }
            }
        }
        return null;
    }

    static byte[] originalValue(byte[] body) {
        try {
            JsonNode root = body == null ? null : MAPPER.readTree(body);
            if (root == null || !root.hasNonNull("reason")) {
                return null;
            }
            JsonNode v = root.path("original").get("value_base64");
            return v == null || v.isNull() ? null : Base64.getDecoder().decode(v.asText());
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> p = new HashMap<>(overrides);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "quintet-console-replay-reader");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> p = new HashMap<>(overrides);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "quintet-console-replay");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
