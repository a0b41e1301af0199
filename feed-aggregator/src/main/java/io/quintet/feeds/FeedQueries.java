package io.quintet.feeds;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Local reads of the feed stores: cursor pages, counters, the celebrities a reader follows. */
public final class FeedQueries {
    private final Function<String, ReadOnlyKeyValueStore<String, ?>> storeByName;

    /** A page of items, newest first; {@code nextCursor} is null on the last page. */
    public record Page(List<FeedItem> items, String nextCursor) {}

    public FeedQueries(Function<String, ReadOnlyKeyValueStore<String, ?>> storeByName) {
        this.storeByName = storeByName;
    }

    @SuppressWarnings("unchecked")
    private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        return (ReadOnlyKeyValueStore<String, V>) storeByName.apply(name);
    }

    /** Items strictly after {@code cursor} (a sort suffix), at most {@code limit}. */
    public Page page(String recipient, FeedKind kind, String cursor, int limit) {
        return page(recipient, kind, cursor, limit, null);
    }

    /**
     * {@link #page(String, FeedKind, String, int)} holding only items of {@code organization} (the tenant; null: every
     * item). The others are skipped while reading the recipient's range, so a page is still {@code limit} items when
     * the feed has them; the cursor continues after the last item returned.
     */
    public Page page(String recipient, FeedKind kind, String cursor, int limit, String organization) {
        String prefix = FeedKeys.prefix(recipient, kind);
        String from = cursor == null ? prefix : prefix + cursor;
        List<FeedItem> out = new ArrayList<>(limit);
        boolean more = false;
        ReadOnlyKeyValueStore<String, FeedItem> items = store(FeedsTopology.ITEMS_STORE);
        try (KeyValueIterator<String, FeedItem> it = items.range(from, prefix + FeedKeys.END)) {
            while (it.hasNext()) {
                KeyValue<String, FeedItem> kv = it.next();
                if ((cursor != null && kv.key.equals(from))
                        || (organization != null && !organization.equals(kv.value.organizationId()))) {
                    continue;
                }
                if (out.size() == limit) {
                    more = true;
                    break;
                }
                out.add(kv.value);
            }
        }
        return new Page(out, more ? cursorOf(out.get(out.size() - 1)) : null);
    }

    public FeedMeta meta(String recipient, FeedKind kind) {
        ReadOnlyKeyValueStore<String, FeedMeta> m = store(FeedsTopology.META_STORE);
        FeedMeta v = m.get(FeedKeys.meta(recipient, kind));
        return v == null ? FeedMeta.EMPTY : v;
    }

    /** The followees of {@code reader} whose activities are not fanned out (merged at read time instead). */
    public List<String> celebritiesFollowedBy(String reader) {
        ReadOnlyKeyValueStore<String, Boolean> following = store(FeedsTopology.FOLLOWING_STORE);
        String prefix = FeedKeys.following(reader, "");
        List<String> out = new ArrayList<>();
        try (KeyValueIterator<String, Boolean> it =
                following.prefixScan(prefix, Serdes.String().serializer())) {
            while (it.hasNext()) {
                KeyValue<String, Boolean> kv = it.next();
                if (Boolean.TRUE.equals(kv.value)) {
                    out.add(kv.key.substring(prefix.length()));
                }
            }
        }
        return out;
    }

    /** The cursor that continues after {@code item}: its sort position (time, then id). */
    public static String cursorOf(FeedItem item) {
        return FeedKeys.sortSuffix(item.time(), item.id());
    }
}
