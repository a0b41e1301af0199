package io.quintet.sink;

import io.quintet.model.CanonicalEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.apache.kafka.common.TopicPartition;

/**
 * For tests outside this package (catalog, replay, history): a warm-store table in a temporary directory, filled
 * through the sink's own row mapper, Parquet writer and fenced committer, exactly as the sink writes it.
 */
public final class TableFixtures {
    private TableFixtures() {}

    /** Sink settings with the embedded SQLite catalog and a warehouse under {@code dir}. */
    public static SinkConfig config(Path dir, Map<String, String> overrides) {
        return TestCatalogs.config(dir, overrides);
    }

    /** The events table (created when absent). */
    public static Table table(Catalog catalog, SinkConfig config) {
        return EventTableLayout.createOrEvolve(catalog, AnalyticsSink.tableIdentifier(config));
    }

    /**
     * Appends the events as one micro-batch of Kafka partition {@code partition} starting at {@code firstOffset}
     * (offset i for the i-th event), committed with the sink's offsets; returns the refreshed table.
     */
    public static Table append(Table table, int partition, long firstOffset, List<CanonicalEvent> events) {
        TopicPartition tp = new TopicPartition("events.canonical", partition);
        EventRowMapper mapper = new EventRowMapper(table.schema());
        List<Record> rows = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            rows.add(mapper.toRecord(events.get(i), partition, firstOffset + i));
        }
        List<DataFile> files = new ParquetBatchWriter(table, table.schema(), 64L << 20, "fixture").write(rows, null, 1);
        TableCommitter committer = new TableCommitter(table, "fixture-group", "fixture", 3, Duration.ofMillis(1));
        var claims = committer.claim(List.of(tp));
        TableCommitter.CommitResult result = committer.commit(files, Map.of(tp, firstOffset + events.size()), claims);
        if (!(result instanceof TableCommitter.CommitResult.Committed)) {
            throw new IllegalStateException("fixture commit failed: " + result);
        }
        table.refresh();
        return table;
    }
}
