package io.quintet.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.model.ActionPattern;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.InvalidActionNameException;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.cloudevents.DecodeResult;
import io.quintet.model.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The tail of {@code events.canonical}: the newest records in a bounded ring buffer (oldest dropped first), each with
 * its canonical JSON and its CloudEvent headers, as stored (pseudonymized by the enricher).
 */
public final class LiveEvents {
    /** One record of events.canonical; {@code canonical} is null when the record could not be decoded. */
    public record Entry(
            long seq,
            int partition,
            long offset,
            Instant recordTime,
            String id,
            String action,
            String source,
            String actor,
            Instant eventTime,
            JsonNode canonical,
            Map<String, String> headers,
            String decodeError) {}

    /** The live view's filters; a null field matches everything. */
    public record Filter(ActionPattern pattern, String source, String actor) {
        public static final Filter ALL = new Filter(null, null, null);

        /** Parses the query parameters {@code action}, {@code source}, {@code actor} (blank = no filter). */
        public static Filter parse(String action, String source, String actor) {
            ActionPattern p = null;
            if (action != null && !action.isBlank()) {
                try {
                    p = ActionPattern.parse(action.trim());
                } catch (InvalidActionNameException e) {
                    throw new BadRequest("query parameter action", e.getMessage());
                }
            }
            return new Filter(p, blankToNull(source), blankToNull(actor));
        }

        public boolean matches(Entry e) {
            return (pattern == null || pattern.matches(e.action()))
                    && (source == null || source.equals(e.source()))
                    && (actor == null || actor.equals(e.actor()));
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s.trim();
        }
    }

    private final int capacity;
    private final ArrayDeque<Entry> entries;
    private long nextSeq = 1;
    private long received;

    public LiveEvents(int capacity) {
        this.capacity = capacity;
        this.entries = new ArrayDeque<>(capacity);
    }

    public synchronized void add(ConsumerRecord<byte[], byte[]> r) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        Entry e;
        DecodeResult result = CloudEventSerde.decode(r.headers(), r.value());
        if (result instanceof DecodeResult.Decoded d) {
            CanonicalEvent ev = d.event();
            e = new Entry(
                    nextSeq++,
                    r.partition(),
                    r.offset(),
                    Instant.ofEpochMilli(r.timestamp()),
                    ev.id(),
                    ev.action() == null ? null : ev.action().name(),
                    ev.source(),
                    ev.actor() == null ? null : ev.actor().id(),
                    ev.eventTimestamp(),
                    CanonicalJson.toTree(ev),
                    headers,
                    null);
        } else {
            DecodeResult.Failed f = (DecodeResult.Failed) result;
            e = new Entry(
                    nextSeq++,
                    r.partition(),
                    r.offset(),
                    Instant.ofEpochMilli(r.timestamp()),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    headers,
                    f.reason() + ": " + f.message());
        }
        if (entries.size() == capacity) {
            entries.removeFirst();
        }
        entries.addLast(e);
        received++;
    }

    /** The newest {@code limit} entries matching {@code filter} with a sequence number above {@code after}, newest first. */
    public synchronized List<Entry> newest(Filter filter, long after, int limit) {
        List<Entry> out = new ArrayList<>();
        Iterator<Entry> it = entries.descendingIterator();
        while (it.hasNext() && out.size() < limit) {
            Entry e = it.next();
            if (e.seq() <= after) {
                break;
            }
            if (filter.matches(e)) {
                out.add(e);
            }
        }
        return out;
    }

    public synchronized long received() {
        return received;
    }

    public synchronized int size() {
        return entries.size();
    }

    static ObjectNode toJson(Entry e) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("seq", e.seq());
        n.put("partition", e.partition());
        n.put("offset", e.offset());
        n.put("record_time", e.recordTime().toString());
        n.put("id", e.id());
        n.put("action", e.action());
        n.put("source", e.source());
        n.put("actor", e.actor());
        n.put("event_time", e.eventTime() == null ? null : e.eventTime().toString());
        n.set("canonical", e.canonical());
        ObjectNode h = n.putObject("headers");
        e.headers().forEach(h::put);
        if (e.decodeError() != null) {
            n.put("decode_error", e.decodeError());
        }
        return n;
    }

    static ArrayNode toJson(List<Entry> list) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        list.forEach(e -> a.add(toJson(e)));
        return a;
    }
}
