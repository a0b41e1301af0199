package io.quintet.sink.write;

import io.quintet.sink.commit.TableCommitter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.SortOrderComparators;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.ClusteredDataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Comparators;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.StructLikeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the rows of one micro-batch as Parquet data files of the table, through Iceberg's writer API
 * ({@link GenericFileWriterFactory} and a {@link ClusteredDataWriter}). Rows are sorted by partition, then by the
 * table's sort order (action name, event time), so each partition gets one sorted file per batch (more past the
 * target file size). The files are not part of the table until {@link TableCommitter} commits them.
 */
public final class ParquetBatchWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ParquetBatchWriter.class);

    private final Table table;
    private final Schema schema;
    private final long targetFileSizeBytes;
    private final String instanceId;
    private long batchSequence;

    /** Rows handed to {@link #write} are records of {@code schema} (the schema the sink's row mapper was built for). */
    public ParquetBatchWriter(Table table, Schema schema, long targetFileSizeBytes, String instanceId) {
        this.table = table;
        this.schema = schema;
        this.targetFileSizeBytes = targetFileSizeBytes;
        this.instanceId = instanceId;
    }

    /**
     * Writes the rows; returns the data files (none for no rows). The batch's partitions are split into up to
     * {@code pool}'s parallelism groups of about equal row counts, written at the same time, each by its own
     * {@link ClusteredDataWriter} (one file per partition, more past the target size, as with one writer). If any
     * group fails, the files of all groups are deleted and the failure is thrown.
     */
    public List<DataFile> write(List<Record> rows, ExecutorService pool, int parallelism) {
        if (rows.isEmpty()) {
            return List.of();
        }
        PartitionSpec spec = table.spec();
        SortOrder sortOrder = table.sortOrder();
        List<Keyed> keyed = keyAndSort(rows, schema, spec, sortOrder, true);
        long sequence = ++batchSequence;
        String operationId = instanceId + "-" + UUID.randomUUID();
        List<List<Keyed>> groups = groups(keyed, parallelism);
        List<ClusteredDataWriter<Record>> groupWriters = new ArrayList<>(groups.size());
        List<CompletableFuture<Void>> done = new ArrayList<>(groups.size());
        for (int g = 0; g < groups.size(); g++) {
            // a distinct partition id per group: the file names of the groups cannot collide
            OutputFileFactory files = OutputFileFactory.builderFor(table, g, sequence)
                    .format(FileFormat.PARQUET)
                    .operationId(operationId)
                    .build();
            GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
                    .dataFileFormat(FileFormat.PARQUET)
                    .dataSchema(schema)
                    .dataSortOrder(sortOrder)
                    .build();
            ClusteredDataWriter<Record> writer =
                    new ClusteredDataWriter<>(writers, files, table.io(), targetFileSizeBytes);
            groupWriters.add(writer);
            List<Keyed> group = groups.get(g);
            Runnable task = () -> writeGroup(writer, group, spec);
            if (g < groups.size() - 1) {
                done.add(CompletableFuture.runAsync(task, pool));
            } else {
                try {
                    task.run(); // the last group on this thread
                    done.add(CompletableFuture.completedFuture(null));
                } catch (RuntimeException | Error e) {
                    done.add(CompletableFuture.failedFuture(e));
                }
            }
        }
        Throwable failure = null;
        for (CompletableFuture<Void> f : done) {
            try {
                f.join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure != null) {
            groupWriters.forEach(this::deleteQuietly);
            if (failure instanceof RuntimeException re) {
                throw re;
            }
            if (failure instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("writing a micro-batch failed", failure);
        }
        List<DataFile> result = new ArrayList<>();
        for (ClusteredDataWriter<Record> w : groupWriters) {
            result.addAll(w.result().dataFiles());
        }
        return result;
    }

    /** Writes the rows on one thread (tests, and a sink with one core). */
    public List<DataFile> write(List<Record> rows) {
        return write(rows, null, 1);
    }

    private static void writeGroup(ClusteredDataWriter<Record> writer, List<Keyed> rows, PartitionSpec spec) {
        try {
            try (writer) {
                for (Keyed k : rows) {
                    writer.write(k.row(), spec, k.partition());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write Parquet files of a micro-batch", e);
        }
    }

    /**
     * The sorted rows cut into at most {@code parallelism} runs of whole partitions with about equal row counts
     * (a partition is never split between groups, so each still gets one file per batch).
     */
    private static List<List<Keyed>> groups(List<Keyed> sorted, int parallelism) {
        if (parallelism <= 1) {
            return List.of(sorted);
        }
        long target = (sorted.size() + parallelism - 1) / parallelism;
        List<List<Keyed>> groups = new ArrayList<>(parallelism);
        int from = 0;
        for (int i = 1; i <= sorted.size(); i++) {
            boolean partitionEnds = i == sorted.size()
                    || sorted.get(i).partitionRank() != sorted.get(i - 1).partitionRank();
            boolean lastGroup = groups.size() == parallelism - 1;
            if (partitionEnds && (i == sorted.size() || (!lastGroup && i - from >= target))) {
                groups.add(sorted.subList(from, i));
                from = i;
            }
        }
        return groups;
    }

    /** Removes files written for a batch that will not be committed. */
    public void delete(List<DataFile> dataFiles) {
        for (DataFile f : dataFiles) {
            try {
                table.io().deleteFile(f.location());
            } catch (RuntimeException e) {
                LOG.warn(
                        "could not delete uncommitted data file {} (the orphan-file clean-up removes it later): {}",
                        f.location(),
                        e.toString());
            }
        }
    }

    /** A row with its partition and what it sorts by: {@code sortKeys} when primitive keys apply, else {@code sortable}. */
    record Keyed(Record row, StructLike partition, int partitionRank, StructLike sortable, long[] sortKeys) {}

    /**
     * The rows with their partition, in write order: by partition, then by the table's sort order. Each distinct
     * partition is ranked once, so rows compare by an int and then by their sort fields (by {@link PrimitiveSortKeys}
     * when {@code primitiveKeys} and they apply; the sink always asks for them, tests compare both ways). The values
     * the partition and the sort read are converted to Iceberg's internal form once per row (timestamps to micros).
     */
    static List<Keyed> keyAndSort(
            List<Record> rows, Schema schema, PartitionSpec spec, SortOrder sortOrder, boolean primitiveKeys) {
        InternalRecordWrapper internal = new InternalRecordWrapper(schema.asStruct());
        PartitionKey key = new PartitionKey(spec, schema);
        int[] positions = readPositions(schema, spec, sortOrder);
        boolean[] timestamptz = new boolean[schema.columns().size()];
        for (int c = 0; c < timestamptz.length; c++) {
            Types.NestedField f = schema.columns().get(c);
            timestamptz[c] = f.type() instanceof Types.TimestampType t && t.shouldAdjustToUTC();
        }
        StructLikeMap<StructLike> partitions = StructLikeMap.create(spec.partitionType());
        PartitionSources sources = PartitionSources.of(schema, spec);
        Map<List<Object>, StructLike> partitionBySources = new HashMap<>();
        List<StructLike> partitionOfRow = new ArrayList<>(rows.size());
        List<StructLike> sortableOfRow = new ArrayList<>(rows.size());
        for (Record r : rows) {
            Frozen frozen = Frozen.of(r, internal.wrap(r), positions, timestamptz);
            List<Object> sourceValues = sources.of(frozen);
            StructLike partition = partitionBySources.get(sourceValues);
            if (partition == null) {
                key.partition(frozen);
                partition = partitions.get(key);
                if (partition == null) {
                    partition = key.copy();
                    partitions.put(partition, partition);
                }
                partitionBySources.put(sourceValues, partition);
            }
            partitionOfRow.add(partition);
            sortableOfRow.add(sortOrder.isUnsorted() ? null : frozen);
        }
        List<StructLike> distinct = new ArrayList<>(partitions.values());
        distinct.sort(Comparators.forType(spec.partitionType()));
        Map<StructLike, Integer> rank = new IdentityHashMap<>();
        for (int i = 0; i < distinct.size(); i++) {
            rank.put(distinct.get(i), i);
        }
        long[][] primitive = primitiveKeys ? PrimitiveSortKeys.of(schema, sortOrder, sortableOfRow) : null;
        List<Keyed> keyed = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            StructLike partition = partitionOfRow.get(i);
            keyed.add(new Keyed(
                    rows.get(i),
                    partition,
                    rank.get(partition),
                    sortableOfRow.get(i),
                    primitive == null ? null : primitive[i]));
        }
        Comparator<Keyed> order = Comparator.comparingInt(Keyed::partitionRank);
        if (primitive != null) {
            order = order.thenComparing(Keyed::sortKeys, java.util.Arrays::compare);
        } else if (!sortOrder.isUnsorted()) {
            order = order.thenComparing(Keyed::sortable, SortOrderComparators.forSchema(schema, sortOrder));
        }
        keyed.sort(order);
        return keyed;
    }

    /** Position of the top-level column with this field id among {@code columns}, -1 for a nested or unknown field. */
    private static int columnPosition(List<Types.NestedField> columns, int fieldId) {
        for (int c = 0; c < columns.size(); c++) {
            if (columns.get(c).fieldId() == fieldId) {
                return c;
            }
        }
        return -1;
    }

    /**
     * The table's sort order as one {@code long} per sort field and row, when that gives exactly the order of
     * Iceberg's comparator ({@link SortOrderComparators}): every field an ascending identity of a top-level string,
     * timestamp, long, int or date column, and no value null in this batch. Strings become their rank among the
     * batch's distinct values, ranked by Iceberg's own comparator for the type; the others their internal value.
     * Rows then compare by a few longs instead of field by field through struct wrappers (sorting was most of the
     * single-threaded time before a batch's files are written in parallel). Null when that does not hold.
     */
    private static final class PrimitiveSortKeys {
        static long[][] of(Schema schema, SortOrder sortOrder, List<StructLike> sortables) {
            if (sortOrder.isUnsorted()) {
                return null;
            }
            List<Types.NestedField> columns = schema.columns();
            int fields = sortOrder.fields().size();
            int[] positions = new int[fields];
            boolean[] text = new boolean[fields];
            for (int f = 0; f < fields; f++) {
                org.apache.iceberg.SortField sf = sortOrder.fields().get(f);
                if (!sf.transform().isIdentity() || sf.direction() != org.apache.iceberg.SortDirection.ASC) {
                    return null;
                }
                positions[f] = columnPosition(columns, sf.sourceId());
                if (positions[f] < 0) {
                    return null;
                }
                org.apache.iceberg.types.Type type = columns.get(positions[f]).type();
                switch (type.typeId()) {
                    case STRING -> text[f] = true;
                    case TIMESTAMP, LONG, INTEGER, DATE -> text[f] = false;
                    default -> {
                        return null;
                    }
                }
            }
            long[][] keys = new long[sortables.size()][fields];
            for (int f = 0; f < fields; f++) {
                Map<CharSequence, Integer> ranks = text[f] ? new HashMap<>() : null;
                for (int i = 0; i < keys.length; i++) {
                    Object v = ((Frozen) sortables.get(i)).values()[positions[f]];
                    if (v == null) {
                        return null;
                    }
                    if (ranks != null) {
                        if (!(v instanceof String)) {
                            return null; // ranks are by String equality; other CharSequences take the general way
                        }
                        ranks.putIfAbsent((String) v, 0);
                    } else {
                        keys[i][f] = ((Number) v).longValue();
                    }
                }
                if (ranks != null) {
                    List<CharSequence> distinct = new ArrayList<>(ranks.keySet());
                    distinct.sort(Comparators.charSequences());
                    for (int r = 0; r < distinct.size(); r++) {
                        ranks.put(distinct.get(r), r);
                    }
                    for (int i = 0; i < keys.length; i++) {
                        keys[i][f] = ranks.get((String) ((Frozen) sortables.get(i)).values()[positions[f]]);
                    }
                }
            }
            return keys;
        }
    }

    /**
     * What a row's partition depends on, as a hashable list: the source values of the partition fields, with
     * timestamps under a {@code day} transform cut to their day (the day transform gives the same partition value for
     * every timestamp of a UTC day). Rows with equal lists have equal partitions, so the transforms (Iceberg's day
     * transform goes through {@code OffsetDateTime}) run once per distinct list instead of once per row.
     */
    private record PartitionSources(int[] positions, boolean[] toDay) {
        private static final long MICROS_PER_DAY = 86_400_000_000L;

        static PartitionSources of(Schema schema, PartitionSpec spec) {
            List<Types.NestedField> columns = schema.columns();
            int n = spec.fields().size();
            int[] positions = new int[n];
            boolean[] toDay = new boolean[n];
            for (int i = 0; i < n; i++) {
                org.apache.iceberg.PartitionField f = spec.fields().get(i);
                positions[i] = columnPosition(columns, f.sourceId());
                toDay[i] = positions[i] >= 0
                        && "day".equals(f.transform().toString())
                        && columns.get(positions[i]).type() instanceof Types.TimestampType;
            }
            return new PartitionSources(positions, toDay);
        }

        /** The list for a row whose internal values {@code frozen} holds (null where a source is not top-level). */
        List<Object> of(Frozen frozen) {
            Object[] values = new Object[positions.length];
            for (int i = 0; i < values.length; i++) {
                if (positions[i] < 0) {
                    values[i] = frozen; // a nested source: no sharing, this row's list equals only itself
                    continue;
                }
                Object v = frozen.values()[positions[i]];
                values[i] = toDay[i] && v instanceof Long micros ? Math.floorDiv(micros, MICROS_PER_DAY) : v;
            }
            return java.util.Arrays.asList(values);
        }
    }

    /**
     * Positions of the top-level columns the partition spec and the sort order read, or null (read all) if one of
     * them reads a nested column.
     */
    private static int[] readPositions(Schema schema, PartitionSpec spec, SortOrder sortOrder) {
        List<Integer> sourceIds = new ArrayList<>();
        spec.fields().forEach(f -> sourceIds.add(f.sourceId()));
        sortOrder.fields().forEach(f -> sourceIds.add(f.sourceId()));
        List<Types.NestedField> columns = schema.columns();
        int[] positions = new int[sourceIds.size()];
        for (int i = 0; i < positions.length; i++) {
            int position = -1;
            for (int c = 0; c < columns.size(); c++) {
                if (columns.get(c).fieldId() == sourceIds.get(i)) {
                    position = c;
                }
            }
            if (position < 0) {
                return null;
            }
            positions[i] = position;
        }
        return positions;
    }

    /**
     * The internal values (timestamps as micros) of the fields a row's partition and sort read, converted once:
     * comparators read fields many times per row while sorting, and {@link InternalRecordWrapper} converts on every
     * read.
     */
    private record Frozen(Object[] values) implements StructLike {
        /**
         * The internal values at {@code positions} (all of them when null); the others read as null. Timestamps with
         * zone in whole microseconds (all the mapper writes) are converted here directly, to the same value Iceberg's
         * converter gives by way of {@code ChronoUnit.between}.
         */
        static Frozen of(Record row, StructLike internal, int[] positions, boolean[] timestamptz) {
            Object[] v = new Object[row.size()];
            if (positions == null) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = internalValue(row, internal, i, timestamptz);
                }
            } else {
                for (int p : positions) {
                    v[p] = internalValue(row, internal, p, timestamptz);
                }
            }
            return new Frozen(v);
        }

        private static Object internalValue(Record row, StructLike internal, int pos, boolean[] timestamptz) {
            if (timestamptz[pos] && row.get(pos) instanceof OffsetDateTime t && t.getNano() % 1000 == 0) {
                return Math.addExact(Math.multiplyExact(t.toEpochSecond(), 1_000_000L), t.getNano() / 1000);
            }
            return internal.get(pos, Object.class);
        }

        @Override
        public int size() {
            return values.length;
        }

        @Override
        public <T> T get(int pos, Class<T> javaClass) {
            return javaClass.cast(values[pos]);
        }

        @Override
        public <T> void set(int pos, T value) {
            throw new UnsupportedOperationException("read-only");
        }
    }

    private void deleteQuietly(ClusteredDataWriter<Record> writer) {
        try {
            delete(writer.result().dataFiles());
        } catch (RuntimeException e) {
            LOG.warn("could not list the files of a failed write: {}", e.toString());
        }
    }
}
