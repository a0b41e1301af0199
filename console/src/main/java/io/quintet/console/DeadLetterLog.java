package io.quintet.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.model.topics.DeadLetterHeaders;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The dead letters read from {@code events.dlq}: the newest entries in a bounded ring buffer, and counts by reason
 * and by source per minute (the last {@link #MINUTES} minutes) and in all. An entry carries only what the
 * {@code quintet.dlq.*} headers and the body's typed fields say (reason, cause, message, violation pointers and
 * keywords, source topic/partition/offset, event id and source): never the record's key, its original headers or
 * its original value, which are the producer's raw data and may hold personal values.
 */
public final class DeadLetterLog {
    static final int MINUTES = 120;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A violation: the JSON pointer of the failing field and the schema keyword that failed. */
    public record Violation(String pointer, String keyword) {}

    public record Entry(
            long seq,
            int dlqPartition,
            long dlqOffset,
            Instant deadLetteredAt,
            String reason,
            String cause,
            String message,
            List<String> pointers,
            List<Violation> violations,
            String sourceTopic,
            Integer sourcePartition,
            Long sourceOffset,
            String eventId,
            String eventSource) {}

    private final int capacity;
    private final ArrayDeque<Entry> entries;
    private final TreeMap<Instant, Map<String, Long>> reasonsPerMinute = new TreeMap<>();
    private final TreeMap<Instant, Map<String, Long>> sourcesPerMinute = new TreeMap<>();
    private final Map<String, Long> reasons = new TreeMap<>();
    private final Map<String, Long> sources = new TreeMap<>();
    private long nextSeq = 1;
    private long received;

    public DeadLetterLog(int capacity) {
        this.capacity = capacity;
        this.entries = new ArrayDeque<>(capacity);
    }

    public synchronized void add(ConsumerRecord<byte[], byte[]> r) {
        Entry e = parse(nextSeq++, r);
        if (entries.size() == capacity) {
            entries.removeFirst();
        }
        entries.addLast(e);
        received++;
        String source = e.eventSource() == null ? "(unknown)" : e.eventSource();
        reasons.merge(e.reason(), 1L, Long::sum);
        sources.merge(source, 1L, Long::sum);
        Instant minute = e.deadLetteredAt().truncatedTo(ChronoUnit.MINUTES);
        reasonsPerMinute.computeIfAbsent(minute, m -> new TreeMap<>()).merge(e.reason(), 1L, Long::sum);
        sourcesPerMinute.computeIfAbsent(minute, m -> new TreeMap<>()).merge(source, 1L, Long::sum);
        while (reasonsPerMinute.size() > MINUTES) {
            reasonsPerMinute.pollFirstEntry();
        }
        while (sourcesPerMinute.size() > MINUTES) {
            sourcesPerMinute.pollFirstEntry();
        }
    }

    /** Reads one DLQ record: the headers first, the body's typed fields where a header is missing. */
    static Entry parse(long seq, ConsumerRecord<byte[], byte[]> r) {
        JsonNode body = null;
        try {
            body = r.value() == null ? null : MAPPER.readTree(r.value());
        } catch (IOException notJson) {
            body = null; // not a Quintet dead letter body: the headers are all there is
        }
        JsonNode b = body == null ? JsonNodeFactory.instance.objectNode() : body;
        String reason =
                firstNonNull(header(r, DeadLetterHeaders.REASON), text(b, "reason"), "(not a quintet dead letter)");
        String cause = firstNonNull(header(r, DeadLetterHeaders.CAUSE), text(b, "cause"), null);
        String pointersHeader = header(r, DeadLetterHeaders.POINTERS);
        List<Violation> violations = new ArrayList<>();
        b.path("violations")
                .forEach(v -> violations.add(new Violation(
                        v.path("pointer").asText(), v.path("keyword").asText())));
        List<String> pointers = pointersHeader == null || pointersHeader.isBlank()
                ? violations.stream().map(Violation::pointer).toList()
                : Arrays.stream(pointersHeader.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList();
        Instant at = instant(firstNonNull(header(r, DeadLetterHeaders.TIME), text(b, "dead_lettered_at"), null));
        JsonNode src = b.path("source");
        String sourceTopic = firstNonNull(header(r, DeadLetterHeaders.SOURCE_TOPIC), text(src, "topic"), null);
        Integer sourcePartition =
                integer(firstNonNull(header(r, DeadLetterHeaders.SOURCE_PARTITION), text(src, "partition"), null));
        Long sourceOffset =
                longOrNull(firstNonNull(header(r, DeadLetterHeaders.SOURCE_OFFSET), text(src, "offset"), null));
        String eventId = firstNonNull(header(r, DeadLetterHeaders.EVENT_ID), text(b.path("event"), "id"), null);
        String eventSource =
                firstNonNull(header(r, DeadLetterHeaders.EVENT_SOURCE), text(b.path("event"), "source"), null);
        return new Entry(
                seq,
                r.partition(),
                r.offset(),
                at == null ? Instant.ofEpochMilli(r.timestamp()) : at,
                reason,
                cause,
                text(b, "message"),
                pointers,
                List.copyOf(violations),
                sourceTopic,
                sourcePartition,
                sourceOffset,
                eventId,
                eventSource);
    }

    /** The newest {@code limit} entries, newest first, optionally of one reason and/or one source. */
    public synchronized List<Entry> newest(String reason, String source, int limit) {
        List<Entry> out = new ArrayList<>();
        Iterator<Entry> it = entries.descendingIterator();
        while (it.hasNext() && out.size() < limit) {
            Entry e = it.next();
            if ((reason == null || reason.equals(e.reason())) && (source == null || source.equals(e.eventSource()))) {
                out.add(e);
            }
        }
        return out;
    }

    public synchronized long received() {
        return received;
    }

    /** {@code {"received", "by_reason", "by_source", "per_minute":[{"minute","reasons","sources"}]}}. */
    public synchronized ObjectNode counts() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("received", received);
        ObjectNode byReason = n.putObject("by_reason");
        reasons.forEach(byReason::put);
        ObjectNode bySource = n.putObject("by_source");
        sources.forEach(bySource::put);
        ArrayNode minutes = n.putArray("per_minute");
        reasonsPerMinute.forEach((minute, counts) -> {
            ObjectNode m = minutes.addObject();
            m.put("minute", minute.toString());
            ObjectNode rs = m.putObject("reasons");
            counts.forEach(rs::put);
            ObjectNode ss = m.putObject("sources");
            sourcesPerMinute.getOrDefault(minute, Map.of()).forEach(ss::put);
        });
        return n;
    }

    static ObjectNode toJson(Entry e) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("seq", e.seq());
        n.put("dlq_partition", e.dlqPartition());
        n.put("dlq_offset", e.dlqOffset());
        n.put("dead_lettered_at", e.deadLetteredAt().toString());
        n.put("reason", e.reason());
        n.put("cause", e.cause());
        n.put("message", e.message());
        ArrayNode p = n.putArray("pointers");
        e.pointers().forEach(p::add);
        ArrayNode v = n.putArray("violations");
        e.violations().forEach(x -> v.addObject().put("pointer", x.pointer()).put("keyword", x.keyword()));
        ObjectNode s = n.putObject("source");
        s.put("topic", e.sourceTopic());
        s.put("partition", e.sourcePartition());
        s.put("offset", e.sourceOffset());
        n.put("event_id", e.eventId());
        n.put("event_source", e.eventSource());
        return n;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return DeadLetterHeaders.text(r.headers(), name);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }

    private static String firstNonNull(String a, String b, String c) {
        return a != null ? a : b != null ? b : c;
    }

    private static Instant instant(String s) {
        try {
            return s == null ? null : Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Integer integer(String s) {
        try {
            return s == null ? null : Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long longOrNull(String s) {
        try {
            return s == null ? null : Long.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
