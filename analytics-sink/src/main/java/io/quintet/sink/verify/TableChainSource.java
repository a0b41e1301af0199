package io.quintet.sink.verify;

import static io.quintet.sink.write.EventTableLayout.*;

import io.quintet.audit.chain.ChainLink;
import io.quintet.audit.chain.Hash32;
import io.quintet.audit.verify.ChainedEventSource;
import io.quintet.audit.verify.ChainedRecord;
import io.quintet.audit.verify.Position;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.EventDecodingException;
import io.quintet.model.json.CanonicalJson;
import io.quintet.sink.write.EventRowMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.TypeUtil;

/**
 * The events table as a {@link ChainedEventSource} for the audit verifier: every row that carries audit chain
 * columns or the event JSON (rows of events from before chaining was enabled have neither and are left out), per
 * {@code kafka_partition} in {@code kafka_offset} order, which is the order of {@code events.canonical}: a row
 * whose sequence number does not follow is reported where it sits (missing, reordered, duplicated).
 * <p>
 * Each row becomes {@link ChainedRecord#ofRow} with the chain columns and {@code event_json} (the bytes the chain
 * hash covers), after a check that the row's flattened columns are what {@code event_json} gives: a changed
 * {@code entity_id} is reported at its row even though the hash covers only the JSON. A row with a missing or
 * malformed chain column, or columns that disagree with its JSON, is {@link ChainedRecord#broken} with its chain
 * link when it has one, so the report names its sequence number.
 * <p>
 * The rows of one partition are held in memory while it is checked (their canonical bytes: about the size of the
 * events); partitions are read one after another.
 */
public final class TableChainSource implements ChainedEventSource {
    private final Table table;
    private final Set<Integer> partitions;
    private final boolean readsToEnd;

    /**
     * @param partitions the Kafka partitions to check, or null for every partition holding chained rows
     * @param readsToEnd whether the table has caught up with the topic, so that a checkpoint beyond its last row
     *                   means rows were removed (false while the sink still lags the checkpoints)
     */
    public TableChainSource(Table table, Set<Integer> partitions, boolean readsToEnd) {
        this.table = table;
        this.partitions = partitions == null ? null : Set.copyOf(partitions);
        this.readsToEnd = readsToEnd;
    }

    @Override
    public String describe() {
        return "table " + table.name();
    }

    @Override
    public Optional<Set<Integer>> partitions() {
        return Optional.ofNullable(partitions);
    }

    @Override
    public boolean readsToEnd() {
        return readsToEnd;
    }

    private static Expression chainedRows() {
        return Expressions.or(Expressions.notNull(CHAIN_SEQ), Expressions.notNull(EVENT_JSON));
    }

    @Override
    public void read(Consumer<ChainedRecord> sink) throws IOException {
        table.refresh();
        if (table.currentSnapshot() == null) {
            return;
        }
        for (int p : partitions != null ? new TreeSet<>(partitions) : chainedPartitions()) {
            readPartition(p, sink);
        }
    }

    private Set<Integer> chainedPartitions() throws IOException {
        Set<Integer> found = new TreeSet<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table)
                .where(chainedRows())
                .select(KAFKA_PARTITION)
                .build()) {
            for (Record r : rows) {
                found.add((Integer) r.getField(KAFKA_PARTITION));
            }
        }
        return found;
    }

    private record Row(long offset, ChainedRecord record) {}

    private void readPartition(int partition, Consumer<ChainedRecord> sink) throws IOException {
        Schema projection =
                TypeUtil.join(table.schema(), new Schema(MetadataColumns.FILE_PATH, MetadataColumns.ROW_POSITION));
        EventRowMapper mapper = new EventRowMapper(table.schema());
        List<Row> rows = new ArrayList<>();
        try (CloseableIterable<Record> scan = IcebergGenerics.read(table)
                .where(Expressions.and(Expressions.equal(KAFKA_PARTITION, partition), chainedRows()))
                .project(projection)
                .build()) {
            for (Record r : scan) {
                long offset = (Long) r.getField(KAFKA_OFFSET);
                Position position = new Position(
                        offset,
                        "row kafka_offset " + offset + " (event_id " + r.getField(EVENT_ID) + ", " + fileName(r)
                                + " row " + r.getField(MetadataColumns.ROW_POSITION.name()) + ")");
                rows.add(new Row(offset, toChainedRecord(partition, position, r, mapper)));
            }
        }
        rows.sort(Comparator.comparingLong(Row::offset));
        rows.forEach(row -> sink.accept(row.record()));
    }

    private static String fileName(Record r) {
        Object path = r.getField(MetadataColumns.FILE_PATH.name());
        if (path == null) {
            return "unknown file";
        }
        String s = path.toString();
        int data = s.lastIndexOf("/data/");
        return data < 0 ? s : s.substring(data + 1);
    }

    static ChainedRecord toChainedRecord(int partition, Position position, Record r, EventRowMapper mapper) {
        ChainLink link;
        try {
            link = link(r);
        } catch (IllegalArgumentException e) {
            return ChainedRecord.broken(partition, position, "chain columns: " + e.getMessage());
        }
        Object json = r.getField(EVENT_JSON);
        if (json == null) {
            return new ChainedRecord(partition, position, link, null, "event_json is null");
        }
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        CanonicalEvent event;
        try {
            event = CanonicalJson.fromBytes(bytes);
        } catch (EventDecodingException e) {
            return new ChainedRecord(
                    partition, position, link, null, "event_json is not a canonical event: " + e.getMessage());
        }
        List<String> differing = mapper.differingColumns(r, event);
        if (!differing.isEmpty()) {
            return ChainedRecord.altered(
                    partition,
                    position,
                    link,
                    "column(s) " + String.join(", ", differing)
                            + " differ from the hashed event_json (the row was changed)");
        }
        return ChainedRecord.ofRow(partition, position, link, bytes);
    }

    private static ChainLink link(Record r) {
        List<String> missing = new ArrayList<>();
        for (String c : CHAIN_COLUMNS) {
            if (r.getField(c) == null) {
                missing.add(c);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", missing) + " null");
        }
        int part = (Integer) r.getField(CHAIN_PARTITION);
        long seq = (Long) r.getField(CHAIN_SEQ);
        if (part < 0 || seq < 1) {
            throw new IllegalArgumentException("chainpart negative or chainseq below 1");
        }
        try {
            return new ChainLink(
                    part,
                    seq,
                    Hash32.fromHex(r.getField(CHAIN_PREV).toString()),
                    Hash32.fromHex(r.getField(CHAIN_HASH).toString()),
                    r.getField(CHAIN_KEY_ID).toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("chainprev or chainhash is not 64 hex digits", e);
        }
    }
}
