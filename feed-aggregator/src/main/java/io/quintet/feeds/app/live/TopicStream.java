package io.quintet.feeds.app.live;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Server-Sent Events stream of a topic: its own consumer (no group, every partition, {@code read_committed}) on its
 * own thread, from {@code Last-Event-ID} (or the topic's end), writing {@code id: <position>}, {@code event: <type>},
 * {@code data: <json>} per record that {@code mapper} keeps. The write waits for the connection to take it (a slow
 * client slows its own consumer, nobody else's). Every {@code heartbeat} without events it sends the position alone
 * (records skipped by a filter still move {@code Last-Event-ID}) or a comment, which also detects a closed connection.
 */
public final class TopicStream implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicStream.class);

    /** Where the events go; {@link #write} blocks until the connection took them, false once it is closed. */
    public interface Sink {
        boolean write(String text);

        void end();
    }

    private final Map<String, Object> consumerProps;
    private final String topic;
    private final StreamPosition from;
    private final Function<ConsumerRecord<byte[], byte[]>, Optional<StreamedRecord>> mapper;
    private final Sink sink;
    private final Duration heartbeat;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    /** @param from empty: start at the end of every partition (only what comes next) */
    public TopicStream(
            Map<String, Object> consumerProps,
            String topic,
            StreamPosition from,
            Function<ConsumerRecord<byte[], byte[]>, Optional<StreamedRecord>> mapper,
            Sink sink,
            Duration heartbeat) {
        this.consumerProps = consumerProps;
        this.topic = topic;
        this.from = from;
        this.mapper = mapper;
        this.sink = sink;
        this.heartbeat = heartbeat;
    }

    /** Stops the stream (the connection closed, or the service stops); the thread ends the response and exits. */
    public void stop() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    @Override
    public void run() {
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer = c;
            if (!running) {
                return;
            }
            List<TopicPartition> partitions = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            c.assign(partitions);
            StreamPosition position = new StreamPosition();
            Map<TopicPartition, Long> ends = c.endOffsets(partitions, Duration.ofSeconds(30));
            for (TopicPartition tp : partitions) {
                Long resume = from.offsets().get(tp.partition());
                long start = resume != null ? resume : ends.get(tp);
                c.seek(tp, start); // an offset already deleted by retention: auto.offset.reset=earliest
                position.set(tp.partition(), start);
            }
            String sent = position.toString();
            if (!sink.write("retry: 2000\nid: " + sent + "\n\n")) {
                return;
            }
            long lastWrite = System.nanoTime();
            StringBuilder batch = new StringBuilder();
            while (running) {
                ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(250));
                batch.setLength(0);
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    position.set(r.partition(), r.offset() + 1);
                    Optional<StreamedRecord> out = mapper.apply(r);
                    if (out.isPresent()) {
                        String id = position.toString();
                        batch.append("id: ")
                                .append(id)
                                .append('\n')
                                .append("event: ")
                                .append(out.get().type())
                                .append('\n');
                        for (String line : new String(out.get().json(), StandardCharsets.UTF_8).split("\n", -1)) {
                            batch.append("data: ").append(line).append('\n');
                        }
                        batch.append('\n');
                        sent = id;
                    }
                }
                if (batch.length() > 0) {
                    if (!sink.write(batch.toString())) {
                        return;
                    }
                    lastWrite = System.nanoTime();
                } else if (System.nanoTime() - lastWrite > heartbeat.toNanos()) {
                    String now = position.toString();
                    if (!sink.write(now.equals(sent) ? ": keep-alive\n\n" : "id: " + now + "\n\n")) {
                        return;
                    }
                    sent = now;
                    lastWrite = System.nanoTime();
                }
            }
        } catch (WakeupException stopped) {
            // stop() while polling
        } catch (RuntimeException e) {
            if (running) {
                LOG.warn("stream of {} failed: {}", topic, e.toString());
            }
        } finally {
            consumer = null;
            sink.end();
        }
    }
}
