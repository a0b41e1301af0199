package io.quintet.feeds.entities;

import com.fasterxml.jackson.databind.JsonNode;
import io.quintet.model.OrganizationId;
import io.quintet.model.json.CanonicalJson;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Reads one entity's held events, newest first (event time, then event id, both descending), a page at a time. */
public final class EntityHistoryQueries {
    public static final int MAX_LIMIT = 200;

    private final Function<String, ReadOnlyKeyValueStore<String, byte[]>> storeByName;

    /** @param storeByName the local read-only store of a name (interactive queries, or a test driver's store) */
    public EntityHistoryQueries(Function<String, ReadOnlyKeyValueStore<String, byte[]>> storeByName) {
        this.storeByName = storeByName;
    }

    /**
     * One page.
     *
     * @param events     canonical events as on events.canonical
     * @param nextCursor the next page's cursor, null on the last page the hot tier holds
     * @param lastCursor the position of the page's last event (null for an empty page): the warm store's cursor for
     *                   the events older than this page
     */
    public record Page(List<JsonNode> events, String nextCursor, String lastCursor) {}

    /**
     * @param cursor       null for the first page; a cursor of this API or of the warm store's
     * @param organization null, or only that organisation's events
     * @throws IllegalArgumentException for a limit outside 1..{@value #MAX_LIMIT} or a cursor not given out
     */
    public Page page(String type, String id, int limit, String cursor, String organization) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("query parameter limit must be in [1, " + MAX_LIMIT + "]");
        }
        String entity = EntityKeys.entity(type, id);
        if (!EntityKeys.storable(type, id)) {
            return new Page(List.of(), null, null);
        }
        String upper = cursor == null ? EntityKeys.last(entity) : EntityKeys.fromCursor(entity, cursor);
        ReadOnlyKeyValueStore<String, byte[]> store = storeByName.apply(EntityHistorySettings.EVENTS_STORE);
        List<JsonNode> events = new ArrayList<>();
        String lastKey = null;
        boolean more = false;
        try (KeyValueIterator<String, byte[]> it = store.reverseRange(EntityKeys.first(entity), upper)) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                if (kv.key.equals(upper)) {
                    continue; // the cursor's own event was on the previous page
                }
                JsonNode event = CanonicalJson.parseTree(kv.value);
                if (organization != null
                        && !organization.equals(event.path(OrganizationId.FIELD).asText(null))) {
                    continue;
                }
                if (events.size() == limit) {
                    more = true;
                    break;
                }
                events.add(event);
                lastKey = kv.key;
            }
        }
        String last = lastKey == null ? null : EntityKeys.cursor(lastKey);
        return new Page(events, more ? last : null, last);
    }
}
