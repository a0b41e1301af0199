package io.quintet.feeds;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keyed by reader (recipient pseudonym): applies feed commands to the read models and publishes every change.
 * <ul>
 *   <li>items ({@value FeedsTopology#ITEMS_STORE}) newest first per reader and feed, an index by item id of the
 *       aggregated items ({@value FeedsTopology#INDEX_STORE}) and counters ({@value FeedsTopology#META_STORE}); adding
 *       past the cap evicts the oldest;</li>
 *   <li>aggregation: an activity joins the open group of (reader, verb, group value, window) (store
 *       {@value FeedsTopology#GROUPS_STORE}); the item moves to the top, counts grow and it is unseen/unread again.
 *       An activity whose window closed (event time past end + grace) is not aggregated (counted as late);</li>
 *   <li>who the reader follows and which of them are celebrities ({@value FeedsTopology#FOLLOWING_STORE}), for
 *       merging celebrities' activities into the timeline at read time;</li>
 *   <li>seen / read marks of notification items (one, or all).</li>
 * </ul>
 * Event time is the largest activity time this processor has seen (marks, with wall-clock times, do not move it).
 */
final class FeedWriterProcessor implements Processor<String, FeedCommand, String, FeedUpdate> {
    private final FeedSettings settings;
    private ProcessorContext<String, FeedUpdate> context;
    private KeyValueStore<String, FeedItem> items;
    private KeyValueStore<String, String> index;
    private KeyValueStore<String, FeedMeta> meta;
    private KeyValueStore<String, Boolean> following;
    private KeyValueStore<String, AggregationGroup> groups;
    private Sensor late;
    private long eventTime = Long.MIN_VALUE;

    FeedWriterProcessor(FeedSettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, FeedUpdate> context) {
        this.context = context;
        items = context.getStateStore(FeedsTopology.ITEMS_STORE);
        index = context.getStateStore(FeedsTopology.INDEX_STORE);
        meta = context.getStateStore(FeedsTopology.META_STORE);
        following = context.getStateStore(FeedsTopology.FOLLOWING_STORE);
        groups = context.getStateStore(FeedsTopology.GROUPS_STORE);
        late = context.metrics()
                .addRateTotalSensor(
                        "quintet-feed-aggregator",
                        context.taskId().toString(),
                        "feed-late-activities",
                        Sensor.RecordingLevel.INFO);
        context.schedule(Duration.ofMinutes(1), PunctuationType.STREAM_TIME, ts -> dropClosedGroups());
    }

    @Override
    public void process(Record<String, FeedCommand> record) {
        String recipient = record.key();
        FeedCommand c = record.value();
        if (recipient == null || c == null || c.type() == null) {
            return;
        }
        switch (c.type()) {
            case ADD -> {
                if (c.item() != null && c.feed() != null) {
                    observe(c.item().time());
                    add(recipient, c.feed(), c.item());
                }
            }
            case AGGREGATE -> {
                if (c.item() != null) {
                    observe(c.item().time());
                    aggregate(recipient, c.item(), c.group());
                }
            }
            case EDGE -> {
                String key = FeedKeys.following(recipient, c.followee());
                if (c.following()) {
                    following.put(key, c.celebrity());
                } else {
                    following.delete(key);
                }
            }
            case SEEN, READ -> mark(recipient, c.itemId(), c.type() == FeedCommand.Type.READ);
        }
    }

    private void observe(Instant t) {
        if (t != null) {
            eventTime = Math.max(eventTime, t.toEpochMilli());
        }
    }

    /**
     * Adds an item to a flat feed or a timeline. Its store key is its time and id, so a duplicate (the same event
     * delivered twice) is found without the index, which only aggregated items need (they move, and marks name them
     * by id): one store write and changelog record fewer per event.
     */
    private void add(String recipient, FeedKind kind, FeedItem item) {
        String suffix = FeedKeys.sortSuffix(item.time(), item.id());
        String itemKey = FeedKeys.item(recipient, kind, suffix);
        if (items.get(itemKey) != null) {
            return; // already in this feed
        }
        items.put(itemKey, item);
        FeedMeta m = updateMeta(recipient, kind, 1, 0, 0);
        m = forgetEvictionBoundIfOlder(recipient, kind, m, suffix);
        emit(recipient, kind, "added", item.id(), item);
        if (m.size() > settings.cap()) {
            evictOverCap(recipient, kind);
        }
    }

    private void aggregate(String recipient, FeedItem activity, String group) {
        long ts = activity.time().toEpochMilli();
        long size = settings.window().toMillis();
        long start = ts - Math.floorMod(ts, size);
        long close = start + size + settings.grace().toMillis();
        if (eventTime >= close) {
            late.record();
            return;
        }
        String actor = activity.actors().get(0);
        String groupKey = FeedKeys.group(close, recipient, activity.verb(), group, start);
        AggregationGroup g = groups.get(groupKey);
        String itemId = g != null
                ? g.itemId()
                : UUID.nameUUIDFromBytes((recipient + "|" + activity.verb() + "|" + group + "|" + start)
                                .getBytes(StandardCharsets.UTF_8))
                        .toString();
        List<String> actors = new ArrayList<>(g == null ? List.of() : g.actors());
        long actorCount = g == null ? 0 : g.actorCount();
        if (!actors.contains(actor)) {
            actorCount++;
            if (actors.size() < settings.maxGroupActors()) {
                actors.add(actor);
            }
        }
        g = new AggregationGroup(itemId, actors, actorCount, (g == null ? 0 : g.activityCount()) + 1);
        groups.put(groupKey, g);

        FeedKind kind = FeedKind.AGGREGATED;
        String indexKey = FeedKeys.index(recipient, kind, itemId);
        String oldSuffix = index.get(indexKey);
        FeedItem prev = oldSuffix == null ? null : items.get(FeedKeys.item(recipient, kind, oldSuffix));
        Instant time = prev != null && prev.time().isAfter(activity.time()) ? prev.time() : activity.time();
        String lastEventId = prev != null && prev.time().isAfter(activity.time()) ? prev.lastEventId() : activity.id();
        FeedItem item = new FeedItem(
                itemId,
                kind.id(),
                activity.verb(),
                time,
                actors.subList(0, Math.min(settings.shownActors(), actors.size())),
                g.actorCount(),
                g.activityCount(),
                activity.object(),
                activity.source(),
                group,
                Instant.ofEpochMilli(start),
                lastEventId,
                false,
                false,
                activity.organizationId());
        String suffix = FeedKeys.sortSuffix(time, itemId);
        FeedMeta m;
        if (prev != null) {
            items.delete(FeedKeys.item(recipient, kind, oldSuffix));
            m = updateMeta(recipient, kind, 0, prev.isSeen() ? 1 : 0, prev.isRead() ? 1 : 0);
        } else {
            m = updateMeta(recipient, kind, 1, 1, 1);
        }
        items.put(FeedKeys.item(recipient, kind, suffix), item);
        index.put(indexKey, suffix);
        forgetEvictionBoundIfOlder(recipient, kind, m, suffix);
        emit(recipient, kind, prev != null ? "updated" : "added", itemId, item);
        if (prev == null) {
            evictOverCap(recipient, kind);
        }
    }

    private void mark(String recipient, String itemId, boolean read) {
        FeedKind kind = FeedKind.AGGREGATED;
        List<KeyValue<String, FeedItem>> targets = new ArrayList<>();
        if (itemId != null) {
            String suffix = index.get(FeedKeys.index(recipient, kind, itemId));
            if (suffix != null) {
                String key = FeedKeys.item(recipient, kind, suffix);
                FeedItem item = items.get(key);
                if (item != null) {
                    targets.add(KeyValue.pair(key, item));
                }
            }
        } else {
            String prefix = FeedKeys.prefix(recipient, kind);
            try (KeyValueIterator<String, FeedItem> it = items.range(prefix, prefix + FeedKeys.END)) {
                it.forEachRemaining(targets::add);
            }
        }
        long dUnseen = 0;
        long dUnread = 0;
        for (KeyValue<String, FeedItem> kv : targets) {
            FeedItem item = kv.value;
            boolean newSeen = true; // reading an item also sees it
            boolean newRead = read || item.isRead();
            if (newSeen == item.isSeen() && newRead == item.isRead()) {
                continue;
            }
            dUnseen -= item.isSeen() ? 0 : 1;
            dUnread -= newRead && !item.isRead() ? 1 : 0;
            items.put(kv.key, item.withState(newSeen, newRead));
        }
        if (dUnseen != 0 || dUnread != 0) {
            updateMeta(recipient, kind, 0, dUnseen, dUnread);
        }
        emit(recipient, kind, read ? "read" : "seen", itemId, null);
    }

    private void evictOverCap(String recipient, FeedKind kind) {
        FeedMeta m = meta.get(FeedKeys.meta(recipient, kind));
        String prefix = FeedKeys.prefix(recipient, kind);
        while (m != null && m.size() > settings.cap()) {
            KeyValue<String, FeedItem> oldest;
            String upper = prefix + (m.evictedFrom() == null ? FeedKeys.END : m.evictedFrom());
            try (KeyValueIterator<String, FeedItem> it = items.reverseRange(prefix, upper)) {
                if (!it.hasNext()) {
                    return;
                }
                oldest = it.next();
            }
            items.delete(oldest.key);
            String indexKey = FeedKeys.index(recipient, kind, oldest.value.id());
            // flat and timeline items have an index entry only if added before the index was limited to aggregated
            // items: read before deleting, so that no tombstone is written for an entry that never existed
            if (kind == FeedKind.AGGREGATED || index.get(indexKey) != null) {
                index.delete(indexKey);
            }
            m = updateMeta(
                    recipient,
                    kind,
                    -1,
                    oldest.value.isSeen() || kind != FeedKind.AGGREGATED ? 0 : -1,
                    oldest.value.isRead() || kind != FeedKind.AGGREGATED ? 0 : -1);
            m = m.withEvictedFrom(oldest.key.substring(prefix.length()));
            meta.put(FeedKeys.meta(recipient, kind), m);
            emit(recipient, kind, "removed", oldest.value.id(), null);
        }
    }

    /** An item sorting at or after the eviction bound (as old as an evicted one) makes the bound unknown again. */
    private FeedMeta forgetEvictionBoundIfOlder(String recipient, FeedKind kind, FeedMeta m, String suffix) {
        if (m.evictedFrom() == null || suffix.compareTo(m.evictedFrom()) < 0) {
            return m;
        }
        FeedMeta next = m.withEvictedFrom(null);
        meta.put(FeedKeys.meta(recipient, kind), next);
        return next;
    }

    private FeedMeta updateMeta(String recipient, FeedKind kind, long dSize, long dUnseen, long dUnread) {
        String key = FeedKeys.meta(recipient, kind);
        FeedMeta m = meta.get(key);
        FeedMeta next = (m == null ? FeedMeta.EMPTY : m)
                .plus(dSize, kind == FeedKind.AGGREGATED ? dUnseen : 0, kind == FeedKind.AGGREGATED ? dUnread : 0);
        meta.put(key, next);
        return next;
    }

    private void emit(String recipient, FeedKind kind, String op, String itemId, FeedItem item) {
        context.forward(new Record<>(
                recipient, FeedUpdate.of(recipient, kind, op, itemId, item), context.currentSystemTimeMs()));
    }

    /** Groups whose window closed can no longer change: forget them (their items stay in the feed). */
    private void dropClosedGroups() {
        if (eventTime == Long.MIN_VALUE) {
            return;
        }
        List<String> closed = new ArrayList<>();
        try (KeyValueIterator<String, AggregationGroup> it = groups.range(null, FeedKeys.pad19(eventTime + 1))) {
            while (it.hasNext()) {
                closed.add(it.next().key);
            }
        }
        closed.forEach(groups::delete);
    }
}
