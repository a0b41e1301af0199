package io.quintet.console;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Records per second of the topics the console reads, counted from the committed records it reads (so exactly-once
 * writers' transaction markers, which inflate end offsets, do not count), by record timestamp: per topic, counts per
 * second of the last {@link #SECONDS} seconds. History read at start counts only where its timestamps are recent.
 */
public final class TopicRates {
    static final int SECONDS = 120;

    private final Clock clock;
    /** topic -> epoch second -> records. */
    private final Map<String, TreeMap<Long, Long>> perSecond = new HashMap<>();

    public TopicRates(Clock clock) {
        this.clock = clock;
    }

    public void record(ConsumerRecord<?, ?> r) {
        record(r.topic(), r.timestamp());
    }

    synchronized void record(String topic, long timestampMillis) {
        long second = Math.floorDiv(timestampMillis, 1000);
        long oldest = Math.floorDiv(clock.millis(), 1000) - SECONDS;
        if (second < oldest) {
            return;
        }
        TreeMap<Long, Long> counts = perSecond.computeIfAbsent(topic, t -> new TreeMap<>());
        counts.merge(second, 1L, Long::sum);
        counts.headMap(oldest).clear();
    }

    /** Records per second over the last {@code seconds} whole seconds (the current, partial second excluded). */
    public synchronized double perSecond(String topic, int seconds) {
        TreeMap<Long, Long> counts = perSecond.get(topic);
        if (counts == null) {
            return 0;
        }
        long now = Math.floorDiv(clock.millis(), 1000);
        long sum = counts.subMap(now - seconds, true, now, false).values().stream()
                .mapToLong(Long::longValue)
                .sum();
        return sum / (double) seconds;
    }
}
