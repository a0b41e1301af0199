package io.quintet.support.streams;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A key-value store that keeps writes as objects until the task commits, then writes each key once into the store it
 * wraps (serialized, cached, changelogged). For a processor that rewrites the same few keys on every record (the
 * metrics combiner's partial aggregates: three per event, a few dozen keys per commit), every write but the last per
 * key and commit costs a map put instead of a serialization.
 * <p>
 * Exactly once: Kafka Streams flushes the caches of its stores before it flushes the producer and commits the
 * transaction with the input offsets ({@code ProcessorStateManager.flushCache()} calls {@link #flushCache()} on every
 * registered store that is a {@link CachedStateStore}); this store registers itself (it passes itself as the root
 * when it initializes the wrapped store), so its pending writes reach the changelog in the transaction that commits
 * the offsets of the records that made them. A task closed without a commit drops them with the transaction.
 * {@link CachedStateStore} is in Kafka Streams' internal package: a test ({@code CommitTimeStoreIT}) checks that a
 * commit writes the pending values to the changelog, so an upgrade that changed this hook would fail it.
 * <p>
 * Optionally ({@link #builder(StoreBuilder, int)}) it also keeps up to N committed values as objects (least recently
 * used go first), so that reading a key it wrote or read before costs a map lookup instead of the record cache's
 * sorted-map lookup, a deserialization and, on a miss, a RocksDB read. Only for immutable values (a reader gets the
 * cached instance), and only the owning stream thread uses it; a task closed or a cache cleared drops it.
 */
public final class CommitTimeStore<K, V> implements KeyValueStore<K, V>, CachedStateStore<K, V> {
    /** A pending delete (the map holds no nulls). */
    private static final Object DELETED = new Object();

    private final KeyValueStore<K, V> inner;
    /**
     * Writes since the last commit; {@link #DELETED} marks a delete. Only the stream thread writes; interactive queries
     * may read it from other threads (they see the pending values, as they see a caching store's).
     */
    private final Map<K, Object> pending = new ConcurrentHashMap<>();
    /**
     * Committed values (and {@link #DELETED} for keys known absent) as objects, owner thread only; null when not
     * configured. Always what the wrapped store holds for the key.
     */
    private final Map<K, Object> committed;
    /** The stream thread that initialized the store: the only one that writes, to this store and to the wrapped one. */
    private volatile Thread owner;

    private CommitTimeStore(KeyValueStore<K, V> inner, int committedValues) {
        this.inner = inner;
        this.committed = committedValues <= 0
                ? null
                : new LinkedHashMap<>(Math.min(committedValues, 1024), 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<K, Object> eldest) {
                        return size() > committedValues;
                    }
                };
    }

    /** Builds a {@link CommitTimeStore} around what {@code builder} builds (keep its caching and logging on). */
    public static <K, V> StoreBuilder<CommitTimeStore<K, V>> builder(StoreBuilder<KeyValueStore<K, V>> builder) {
        return builder(builder, 0);
    }

    /**
     * As {@link #builder(StoreBuilder)}, and each store instance (one per task) also keeps up to
     * {@code committedValues} committed values as objects. The values must be immutable.
     */
    public static <K, V> StoreBuilder<CommitTimeStore<K, V>> builder(
            StoreBuilder<KeyValueStore<K, V>> builder, int committedValues) {
        return new StoreBuilder<>() {
            @Override
            public StoreBuilder<CommitTimeStore<K, V>> withCachingEnabled() {
                builder.withCachingEnabled();
                return this;
            }

            @Override
            public StoreBuilder<CommitTimeStore<K, V>> withCachingDisabled() {
                builder.withCachingDisabled();
                return this;
            }

            @Override
            public StoreBuilder<CommitTimeStore<K, V>> withLoggingEnabled(Map<String, String> config) {
                builder.withLoggingEnabled(config);
                return this;
            }

            @Override
            public StoreBuilder<CommitTimeStore<K, V>> withLoggingDisabled() {
                builder.withLoggingDisabled();
                return this;
            }

            @Override
            public CommitTimeStore<K, V> build() {
                return new CommitTimeStore<>(builder.build(), committedValues);
            }

            @Override
            public Map<String, String> logConfig() {
                return builder.logConfig();
            }

            @Override
            public boolean loggingEnabled() {
                return builder.loggingEnabled();
            }

            @Override
            public String name() {
                return builder.name();
            }
        };
    }

    /**
     * Writes the pending values into the wrapped store, one write per key. Only on the owning stream thread: a range
     * scan from an interactive query sees the wrapped store as of the last commit (point reads see pending values).
     */
    private void writePending() {
        if (pending.isEmpty() || Thread.currentThread() != owner) {
            return;
        }
        for (Map.Entry<K, Object> e : pending.entrySet()) {
            inner.put(e.getKey(), e.getValue() == DELETED ? null : value(e.getValue()));
            if (committed != null) {
                committed.put(e.getKey(), e.getValue());
            }
        }
        pending.clear();
    }

    @SuppressWarnings("unchecked")
    private V value(Object o) {
        return (V) o;
    }

    @Override
    public void put(K key, V value) {
        pending.put(key, value == null ? DELETED : value);
    }

    @Override
    public V putIfAbsent(K key, V value) {
        V old = get(key);
        if (old == null) {
            put(key, value);
        }
        return old;
    }

    @Override
    public void putAll(List<KeyValue<K, V>> entries) {
        entries.forEach(kv -> put(kv.key, kv.value));
    }

    @Override
    public V delete(K key) {
        V old = get(key);
        pending.put(key, DELETED);
        return old;
    }

    @Override
    public V get(K key) {
        Object p = pending.get(key);
        if (p == null) {
            if (committed == null || Thread.currentThread() != owner) {
                return inner.get(key);
            }
            p = committed.get(key);
            if (p == null) {
                V v = inner.get(key);
                committed.put(key, v == null ? DELETED : v);
                return v;
            }
        }
        return p == DELETED ? null : value(p);
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        writePending();
        return inner.range(from, to);
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(K from, K to) {
        writePending();
        return inner.reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<K, V> all() {
        writePending();
        return inner.all();
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        writePending();
        return inner.reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix, PS prefixKeySerializer) {
        writePending();
        return inner.prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return inner.approximateNumEntries() + pending.size();
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        owner = Thread.currentThread();
        if (committed != null) {
            committed.clear();
        }
        inner.init(context, root);
    }

    @Override
    public void flushCache() {
        writePending();
        if (inner instanceof CachedStateStore<?, ?> cached) {
            cached.flushCache();
        }
    }

    @Override
    public void clearCache() {
        pending.clear();
        if (committed != null && Thread.currentThread() == owner) {
            committed.clear();
        }
        if (inner instanceof CachedStateStore<?, ?> cached) {
            cached.clearCache();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean setFlushListener(CacheFlushListener<K, V> listener, boolean sendOldValues) {
        return inner instanceof CachedStateStore<?, ?> cached
                && ((CachedStateStore<K, V>) cached).setFlushListener(listener, sendOldValues);
    }

    @Override
    public void flush() {
        writePending();
        inner.flush();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        writePending();
        inner.commit(changelogOffsets);
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return inner.committedOffset(partition);
    }

    @Override
    public boolean managesOffsets() {
        return inner.managesOffsets();
    }

    @Override
    public void close() {
        pending.clear();
        if (committed != null && Thread.currentThread() == owner) {
            committed.clear();
        }
        inner.close();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return inner.query(query, positionBound, config);
    }

    @Override
    public Position getPosition() {
        return inner.getPosition();
    }
}
