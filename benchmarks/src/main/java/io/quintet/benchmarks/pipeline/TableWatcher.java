package io.quintet.benchmarks.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quintet.demo.PipelineProcesses;
import io.quintet.sink.config.CatalogFactory;
import io.quintet.sink.config.SinkConfig;
import io.quintet.sink.write.EventTableLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Polls the sink's Iceberg table every {@link #POLL_MILLIS} ms for new committed snapshots. Each sink snapshot holds
 * in its summary ({@code quintet.kafka.offsets.<group>}) the next offset of every events.canonical partition it
 * covers: every record before it is in the table. So an event at (partition, offset) is in a committed snapshot from
 * the first snapshot seen whose offset for that partition is greater. Latency (d) is measured to the poll that saw
 * that snapshot (resolution {@link #POLL_MILLIS} ms).
 */
final class TableWatcher implements AutoCloseable {
    static final long POLL_MILLIS = 250;

    /** A committed snapshot as first seen: when, and the next canonical offset per partition. */
    record Seen(long nanos, long[] nextOffsets) {}

    private final ObjectMapper json = new ObjectMapper();
    private final Catalog catalog;
    private final TableIdentifier id;
    private final String canonicalTopic;
    private final String offsetsKey = "quintet.kafka.offsets." + PipelineProcesses.SINK_GROUP;
    private final int partitions;
    private final Thread thread;
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;
    private Table table;
    private long lastSnapshot = -1;

    TableWatcher(Path sinkConfig, String canonicalTopic, int partitions) {
        SinkConfig config = SinkConfig.load(sinkConfig, Map.of());
        this.catalog = CatalogFactory.create(config);
        this.id = TableIdentifier.of(config.tableNamespace(), config.tableName());
        this.canonicalTopic = canonicalTopic;
        this.partitions = partitions;
        this.thread = new Thread(this::loop, "pipeline-bench-table");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (!stopped) {
            try {
                poll();
            } catch (Exception e) {
                // the table does not exist before the first commit, or a metadata file is being replaced: poll again
            }
            try {
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void poll() throws Exception {
        if (table == null) {
            if (!catalog.tableExists(id)) {
                return;
            }
            table = catalog.loadTable(id);
        }
        table.refresh();
        Snapshot s = table.currentSnapshot();
        if (s == null || s.snapshotId() == lastSnapshot) {
            return;
        }
        long now = System.nanoTime();
        lastSnapshot = s.snapshotId();
        String offsets = s.summary().get(offsetsKey);
        if (offsets == null) {
            return;
        }
        long[] next = new long[partitions];
        JsonNode parts = json.readTree(offsets).path(canonicalTopic);
        parts.fields().forEachRemaining(e -> {
            int p = Integer.parseInt(e.getKey());
            if (p < partitions) {
                next[p] = e.getValue().asLong();
            }
        });
        seen.add(new Seen(now, next));
    }

    /** When the first snapshot covering (partition, offset) was seen, or 0 if none yet. */
    long committedAt(int partition, long offset) {
        List<Seen> list = seen;
        int lo = 0;
        int hi = list.size() - 1;
        long found = 0;
        while (lo <= hi) { // offsets only grow from snapshot to snapshot: binary search for the first covering one
            int mid = (lo + hi) >>> 1;
            if (list.get(mid).nextOffsets()[partition] > offset) {
                found = list.get(mid).nanos();
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        return found;
    }

    /** The newest next-offset per partition seen in a snapshot. */
    long[] latestOffsets() {
        return seen.isEmpty()
                ? new long[partitions]
                : Arrays.copyOf(seen.get(seen.size() - 1).nextOffsets(), partitions);
    }

    /** Every event id in the table's current snapshot, duplicates kept. */
    List<String> ids() throws Exception {
        List<String> out = new ArrayList<>();
        if (table == null) {
            return out;
        }
        table.refresh();
        try (CloseableIterable<Record> rows =
                IcebergGenerics.read(table).select(EventTableLayout.EVENT_ID).build()) {
            for (Record r : rows) {
                out.add(String.valueOf(r.getField(EventTableLayout.EVENT_ID)));
            }
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        stopped = true;
        thread.interrupt();
        thread.join(10_000);
        if (catalog instanceof AutoCloseable c) {
            c.close();
        }
    }
}
