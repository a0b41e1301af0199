package io.quintet.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.cloudevents.DecodeResult;
import io.quintet.model.json.CanonicalJson;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The alert events read from the {@code alerts} topic ({@code monitoring.alert.triggered} / {@code .resolved}
 * canonical events written by the feed-aggregator): the recent ones, newest first, and the active ones (an episode,
 * keyed by its {@code correlation_id}, whose last event is a trigger).
 */
public final class AlertLog {
    static final String TRIGGERED = "monitoring.alert.triggered";
    static final String RESOLVED = "monitoring.alert.resolved";

    private final int capacity;
    private final ArrayDeque<ObjectNode> recent;
    private final Map<String, ObjectNode> active = new LinkedHashMap<>();
    private long received;
    private long undecodable;

    public AlertLog(int capacity) {
        this.capacity = capacity;
        this.recent = new ArrayDeque<>(capacity);
    }

    public synchronized void add(ConsumerRecord<byte[], byte[]> r) {
        DecodeResult result = CloudEventSerde.decode(r.headers(), r.value());
        if (!(result instanceof DecodeResult.Decoded d)) {
            undecodable++;
            return;
        }
        add(d.event());
    }

    synchronized void add(CanonicalEvent event) {
        String name = event.action() == null ? null : event.action().name();
        if (!TRIGGERED.equals(name) && !RESOLVED.equals(name)) {
            return;
        }
        received++;
        JsonNode tree = CanonicalJson.toTree(event);
        JsonNode details = tree.path("entity").path("details");
        ObjectNode a = JsonNodeFactory.instance.objectNode();
        a.put("state", TRIGGERED.equals(name) ? "triggered" : "resolved");
        a.put("event_id", event.id());
        a.put(
                "time",
                event.eventTimestamp() == null ? null : event.eventTimestamp().toString());
        a.put("correlation_id", event.correlationId());
        a.put("rule_id", details.path("rule_id").asText(null));
        a.put("severity", details.path("severity").asText(null));
        a.put("description", details.path("description").asText(null));
        a.put("group_by", details.path("group_by").asText(null));
        a.put("group", details.path("group").asText(null));
        a.set("window", details.path("window").deepCopy());
        a.set("threshold", details.path("threshold").deepCopy());
        a.set("observed", details.path("observed").deepCopy());
        a.set("contributing_event_ids", details.path("contributing_event_ids").deepCopy());
        a.put("warm_store_query", details.path("warm_store_query").asText(null));
        if (details.has("reason")) {
            a.put("reason", details.path("reason").asText());
        }
        if (recent.size() == capacity) {
            recent.removeFirst();
        }
        recent.addLast(a);
        String episode = event.correlationId() != null ? event.correlationId() : event.id();
        if (TRIGGERED.equals(name)) {
            active.put(episode, a);
        } else {
            active.remove(episode);
        }
    }

    /** {@code {"received","active":[...],"recent":[...]}}, newest first. */
    public synchronized ObjectNode toJson(int limit) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("received", received);
        n.put("undecodable", undecodable);
        ArrayNode act = n.putArray("active");
        java.util.List<ObjectNode> newestFirst = new java.util.ArrayList<>(active.values());
        java.util.Collections.reverse(newestFirst);
        newestFirst.forEach(act::add);
        ArrayNode rec = n.putArray("recent");
        Iterator<ObjectNode> it = recent.descendingIterator();
        while (it.hasNext() && rec.size() < limit) {
            rec.add(it.next());
        }
        return n;
    }
}
