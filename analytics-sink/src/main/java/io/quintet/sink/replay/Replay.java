package io.quintet.sink.replay;

import io.quintet.model.CanonicalEvent;
import io.quintet.sink.read.EventRange;
import io.quintet.sink.read.RowToEvent;
import io.quintet.sink.write.EventTableLayout;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Re-publishes a range of the warm store into a topic as canonical CloudEvents (binary mode, the producer's
 * {@code CloudEventSerde}), keyed like {@code events.canonical} (the actor's pseudonym, or the actor id when the row
 * has none), in event-time order. The events are the canonical events the table was written from
 * ({@link RowToEvent}); no raw personal data is in the table, so none is in the replay. Audit chain extensions are
 * not re-sent: the chain belongs to the original topic's partitions.
 */
public final class Replay {

    /** What a replay did. */
    public record Result(long rowsRead, long published, Duration elapsed) {
        public double eventsPerSecond() {
            double s = elapsed.toNanos() / 1e9;
            return s <= 0 ? 0 : published / s;
        }
    }

    private Replay() {}

    /**
     * Reads {@code range} from {@code table} and sends every matching event to {@code topic}; returns once Kafka has
     * acknowledged all of them, or throws the first send failure.
     */
    public static Result run(Table table, EventRange range, Producer<String, CanonicalEvent> producer, String topic) {
        long start = System.nanoTime();
        AtomicLong published = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long rowsRead = range.read(table, row -> {
            Exception failed = failure.get();
            if (failed != null) {
                throw new ReplayFailedException(
                        "sending to " + topic + " failed after " + published.get() + " events", failed);
            }
            CanonicalEvent event = RowToEvent.of(row);
            producer.send(new ProducerRecord<>(topic, key(row), event), (metadata, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                } else {
                    published.incrementAndGet();
                }
            });
        });
        producer.flush();
        if (failure.get() != null) {
            throw new ReplayFailedException(
                    "sending to " + topic + " failed after " + published.get() + " events", failure.get());
        }
        return new Result(rowsRead, published.get(), Duration.ofNanos(System.nanoTime() - start));
    }

    static String key(Record row) {
        String pseudonym = (String) row.getField(EventTableLayout.ACTOR_PSEUDONYM);
        return pseudonym != null ? pseudonym : (String) row.getField(EventTableLayout.ACTOR_ID);
    }

    /** A send that Kafka refused; the events before it may have been published. */
    public static final class ReplayFailedException extends RuntimeException {
        ReplayFailedException(String message, Exception cause) {
            super(message, cause);
        }
    }
}
