package io.quintet.enricher;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

/**
 * RocksDB settings for every enricher store: periodic compaction, so that entries deleted by an erasure (vault,
 * profiles) are also purged from the local SST files within a bounded time, not only from the changelog topics.
 */
public final class StateStoreSettings implements RocksDBConfigSetter {
    /** Files older than this are compacted again, dropping deleted entries. */
    public static final Duration PERIODIC_COMPACTION = Duration.ofDays(1);

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        options.setPeriodicCompactionSeconds(PERIODIC_COMPACTION.toSeconds());
    }

    @Override
    public void close(String storeName, Options options) {
        // nothing allocated
    }
}
