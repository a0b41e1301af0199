package io.quintet.sink.maintenance;

import io.quintet.sink.commit.GuardedTableOperations;
import io.quintet.sink.commit.SinkState;
import io.quintet.sink.config.MaintenanceSettings;
import io.quintet.sink.config.MaintenanceSettings.RetentionRule;
import io.quintet.sink.write.EventTableLayout;
import io.quintet.sink.write.ParquetBatchWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ReachableFileUtil;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the warm store in shape; run it on a schedule ({@link MaintenanceMain}), next to running sinks:
 * <ol>
 *   <li>retention: per action pattern, the first matching rule of {@code retention.rules}; whole day partitions
 *   are deleted when every rule of their domain has expired, and rewritten without the expired rows when only some
 *   have;</li>
 *   <li>compaction: rewrites a partition made of many small micro-batch files into few large sorted ones;</li>
 *   <li>cold export: copies closed partitions (older than the shortest archive-after of the rules of their
 *   domain) to an archive directory with a manifest of SHA-256 hashes;</li>
 *   <li>snapshot expiry, then removal of files no snapshot references (older than a safety age).</li>
 * </ol>
 * Its own snapshots carry the sinks' offsets and epochs forward, so the table's current snapshot always holds them
 * and expiry never loses them; like the sink, it commits only on the snapshot it planned against and retries when a
 * sink commits in between.
 */
public final class TableMaintenance {
    private static final Logger LOG = LoggerFactory.getLogger(TableMaintenance.class);
    private static final int MAX_ATTEMPTS = 20;

    private final Table table;
    private final MaintenanceSettings settings;
    private final long targetFileSizeBytes;
    private final Clock clock;

    public TableMaintenance(Table table, MaintenanceSettings settings, long targetFileSizeBytes, Clock clock) {
        this.table = table;
        this.settings = settings;
        this.targetFileSizeBytes = targetFileSizeBytes;
        this.clock = clock;
    }

    /** What one run did. */
    public record Report(
            int filesDeletedByRetention,
            long rowsDeletedByRetention,
            int partitionsRewrittenByRetention,
            int partitionsCompacted,
            int filesCompacted,
            int partitionsExported,
            int snapshotsExpired,
            int orphanFilesRemoved) {}

    public Report run() {
        long[] retention = applyRetention();
        int[] compaction = compact();
        int exported = exportClosedPartitions();
        int expired = expireSnapshots();
        int orphans = removeOrphanFiles();
        Report r = new Report(
                (int) retention[0],
                retention[1],
                (int) retention[2],
                compaction[0],
                compaction[1],
                exported,
                expired,
                orphans);
        LOG.info("maintenance of {}: {}", table.name(), r);
        return r;
    }

    /**
     * Applies the retention rules to every day partition; returns {files removed or replaced, rows deleted,
     * partitions rewritten}. A partition where every rule that can apply to its domain has expired is deleted whole
     * (no data is read); one where only some have (say {@code auth.*} after 2 years while {@code
     * auth.user.login_failed} is kept 7) is read, and its files are replaced by files holding only the rows whose
     * rule has not expired; one where no rule has expired is not touched.
     */
    public long[] applyRetention() {
        table.refresh();
        Snapshot base = table.currentSnapshot();
        if (base == null) {
            return new long[] {0, 0, 0};
        }
        List<Expression> whole = new ArrayList<>();
        List<DataFile> doomed = new ArrayList<>();
        Map<String, List<DataFile>> mixed = new TreeMap<>();
        Map<String, Set<RetentionRule>> expiredIn = new TreeMap<>();
        for (Map.Entry<String, List<DataFile>> e : filesByPartition().entrySet()) {
            DataFile first = e.getValue().get(0);
            StructLike partition = first.partition();
            int day = partition.get(0, Integer.class);
            String domain = partition.get(1, String.class);
            boolean byOrganization = partitionedByOrganization(first);
            MaintenanceSettings.DomainRules rules = settings.rulesForPartition(
                    domain, byOrganization, byOrganization ? partition.get(2, String.class) : null);
            Set<RetentionRule> expired = new HashSet<>();
            rules.rules().stream().filter(r -> expired(day, r)).forEach(expired::add);
            if (expired.isEmpty()) {
                continue;
            }
            if (rules.complete() && expired.size() == rules.rules().size()) {
                whole.add(inPartition(first));
                doomed.addAll(e.getValue());
            } else {
                mixed.put(e.getKey(), e.getValue());
                expiredIn.put(e.getKey(), expired);
            }
        }
        long files = 0;
        long rows = 0;
        if (!doomed.isEmpty()) {
            Expression filter = whole.stream().reduce(Expressions.alwaysFalse(), Expressions::or);
            commitCarryingState(t -> t.newDelete().deleteFromRowFilter(filter).set("quintet.maintenance", "retention"));
            files += doomed.size();
            rows += doomed.stream().mapToLong(DataFile::recordCount).sum();
            LOG.info("retention removed {} whole partitions ({} files, {} rows)", whole.size(), files, rows);
        }
        int rewritten = 0;
        for (Map.Entry<String, List<DataFile>> e : mixed.entrySet()) {
            long dropped = dropExpiredRows(base, e.getKey(), e.getValue(), expiredIn.get(e.getKey()));
            if (dropped > 0) {
                files += e.getValue().size();
                rows += dropped;
                rewritten++;
            }
        }
        return new long[] {files, rows, rewritten};
    }

    /**
     * Rewrites one partition without the rows whose first matching rule is in {@code expired}; reads only the
     * action names first, and nothing is written when no row is due. Returns the rows dropped.
     */
    private long dropExpiredRows(Snapshot base, String key, List<DataFile> files, Set<RetentionRule> expired) {
        Expression where = inPartition(files.get(0));
        boolean hasOrganization = table.schema().findField(EventTableLayout.ORGANIZATION_ID) != null;
        List<String> columns = hasOrganization
                ? List.of(EventTableLayout.ACTION_NAME, EventTableLayout.ORGANIZATION_ID)
                : List.of(EventTableLayout.ACTION_NAME);
        long due = 0;
        try (CloseableIterable<Record> names = IcebergGenerics.read(table)
                .useSnapshot(base.snapshotId())
                .where(where)
                .select(columns.toArray(String[]::new))
                .build()) {
            for (Record r : names) {
                if (isExpired(r, expired)) {
                    due++;
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        if (due == 0) {
            return 0;
        }
        List<Record> keep = new ArrayList<>();
        long read = 0;
        try (CloseableIterable<Record> in = IcebergGenerics.read(table)
                .useSnapshot(base.snapshotId())
                .where(where)
                .build()) {
            for (Record r : in) {
                read++;
                if (!isExpired(r, expired)) {
                    keep.add(r.copy());
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        long expected = files.stream().mapToLong(DataFile::recordCount).sum();
        if (read != expected) {
            throw new IllegalStateException("partition " + key + " read " + read + " rows, files hold " + expected);
        }
        ParquetBatchWriter writer = new ParquetBatchWriter(table, table.schema(), targetFileSizeBytes, "maintenance");
        List<DataFile> written = keep.isEmpty() ? List.of() : writer.write(keep);
        try {
            commitCarryingState(t -> t.newRewrite()
                    .validateFromSnapshot(base.snapshotId())
                    .rewriteFiles(new HashSet<>(files), new HashSet<>(written))
                    .set("quintet.maintenance", "retention"));
        } catch (RuntimeException ex) {
            writer.delete(written);
            throw ex;
        }
        LOG.info(
                "retention rewrote {}: {} rows dropped, {} kept in {} files",
                key,
                read - keep.size(),
                keep.size(),
                written.size());
        return read - keep.size();
    }

    private boolean isExpired(Record row, Set<RetentionRule> expired) {
        String organization = row.struct().field(EventTableLayout.ORGANIZATION_ID) == null
                ? null
                : (String) row.getField(EventTableLayout.ORGANIZATION_ID);
        return settings.ruleFor((String) row.getField(EventTableLayout.ACTION_NAME), organization)
                .filter(expired::contains)
                .isPresent();
    }

    /** Whether the day partition {@code day} (days since epoch) ended before now minus the rule's keep. */
    private boolean expired(int day, RetentionRule rule) {
        LocalDate firstKept = LocalDate.ofInstant(clock.instant().minus(rule.keep()), ZoneOffset.UTC);
        return LocalDate.ofEpochDay(day).isBefore(firstKept);
    }

    /**
     * The rows of a data file's partition: its day and action domain, and its organisation when the file's spec
     * partitions by organisation ({@code table.partition.by.organization}: a third field after day and domain).
     */
    private Expression inPartition(DataFile file) {
        StructLike p = file.partition();
        Expression e = Expressions.and(
                Expressions.equal(Expressions.day(EventTableLayout.EVENT_TIMESTAMP), p.get(0, Integer.class)),
                Expressions.equal(EventTableLayout.ACTION_DOMAIN, p.get(1, String.class)));
        if (!partitionedByOrganization(file)) {
            return e;
        }
        String organization = p.get(2, String.class);
        return Expressions.and(
                e,
                organization == null
                        ? Expressions.isNull(EventTableLayout.ORGANIZATION_ID)
                        : Expressions.equal(EventTableLayout.ORGANIZATION_ID, organization));
    }

    private boolean partitionedByOrganization(DataFile file) {
        return table.specs().get(file.specId()).fields().size() > 2;
    }

    /** Rewrites partitions holding at least {@code compactMinFiles} files; returns {partitions, files replaced}. */
    public int[] compact() {
        table.refresh();
        Snapshot base = table.currentSnapshot();
        if (base == null) {
            return new int[] {0, 0};
        }
        Map<String, List<DataFile>> byPartition = filesByPartition();
        int partitions = 0;
        int replaced = 0;
        for (Map.Entry<String, List<DataFile>> e : byPartition.entrySet()) {
            List<DataFile> files = e.getValue();
            if (files.size() < settings.compactMinFiles()) {
                continue;
            }
            Expression inPartition = inPartition(files.get(0));
            List<Record> rows = new ArrayList<>();
            try (CloseableIterable<Record> in = IcebergGenerics.read(table)
                    .useSnapshot(base.snapshotId())
                    .where(inPartition)
                    .build()) {
                in.forEach(r -> rows.add(r.copy()));
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            long expected = files.stream().mapToLong(DataFile::recordCount).sum();
            if (rows.size() != expected) {
                throw new IllegalStateException(
                        "partition " + e.getKey() + " read " + rows.size() + " rows, files hold " + expected);
            }
            ParquetBatchWriter writer =
                    new ParquetBatchWriter(table, table.schema(), targetFileSizeBytes, "maintenance");
            List<DataFile> written = writer.write(rows);
            try {
                commitCarryingState(t -> t.newRewrite()
                        .validateFromSnapshot(base.snapshotId())
                        .rewriteFiles(new HashSet<>(files), new HashSet<>(written))
                        .set("quintet.maintenance", "compaction"));
            } catch (RuntimeException ex) {
                writer.delete(written);
                throw ex;
            }
            partitions++;
            replaced += files.size();
            LOG.info("compacted {}: {} files into {}", e.getKey(), files.size(), written.size());
        }
        return new int[] {partitions, replaced};
    }

    /**
     * Copies the data files of closed partitions (day older than {@link MaintenanceSettings#archiveAfterFor}) to
     * {@code <archiveDir>/<namespace.table>/<partition path>/} with a {@code manifest.json} listing each file's
     * size, row count and SHA-256. Partitions whose manifest already exists are skipped.
     */
    public int exportClosedPartitions() {
        if (settings.archiveDir().isBlank()) {
            return 0;
        }
        table.refresh();
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        Path root = Path.of(settings.archiveDir()).resolve(table.name());
        int exported = 0;
        for (Map.Entry<String, List<DataFile>> e : filesByPartition().entrySet()) {
            List<DataFile> files = e.getValue();
            int day = files.get(0).partition().get(0, Integer.class);
            String domain = files.get(0).partition().get(1, String.class);
            LocalDate closedBefore =
                    today.minusDays(settings.archiveAfterFor(domain).toDays());
            if (!LocalDate.ofEpochDay(day).isBefore(closedBefore)) {
                continue;
            }
            Path dir = root.resolve(e.getKey());
            Path manifest = dir.resolve("manifest.json");
            if (Files.exists(manifest)) {
                continue;
            }
            try {
                Files.createDirectories(dir);
                StringBuilder json = new StringBuilder("{\"table\":\"")
                        .append(table.name())
                        .append("\",\"partition\":\"")
                        .append(e.getKey())
                        .append("\",\"exported_at\":\"")
                        .append(Instant.now(clock))
                        .append("\",\"files\":[");
                for (int i = 0; i < files.size(); i++) {
                    DataFile f = files.get(i);
                    String name = Path.of(f.location()).getFileName().toString();
                    String sha = copyWithHash(table.io().newInputFile(f.location()), dir.resolve(name));
                    json.append(i == 0 ? "" : ",")
                            .append("{\"file\":\"")
                            .append(name)
                            .append("\",\"bytes\":")
                            .append(f.fileSizeInBytes())
                            .append(",\"records\":")
                            .append(f.recordCount())
                            .append(",\"sha256\":\"")
                            .append(sha)
                            .append("\"}");
                }
                json.append("]}\n");
                Path tmp = dir.resolve("manifest.json.tmp");
                Files.writeString(tmp, json, StandardCharsets.UTF_8);
                Files.move(tmp, manifest, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException ex) {
                throw new UncheckedIOException("exporting " + e.getKey() + " failed", ex);
            }
            exported++;
        }
        return exported;
    }

    /** Expires old snapshots (and the files only they referenced); returns how many. */
    public int expireSnapshots() {
        table.refresh();
        int before = size(table.snapshots());
        table.expireSnapshots()
                .expireOlderThan(clock.millis() - settings.snapshotMaxAge().toMillis())
                .retainLast(settings.snapshotRetainLast())
                .commit();
        table.refresh();
        return before - size(table.snapshots());
    }

    /** Deletes files under the table location that no snapshot or metadata file references; returns how many. */
    public int removeOrphanFiles() {
        table.refresh();
        FileIO io = table.io();
        if (!(io instanceof SupportsPrefixOperations prefixes)) {
            LOG.warn(
                    "{} cannot list files; orphan clean-up skipped",
                    io.getClass().getSimpleName());
            return 0;
        }
        Set<String> reachable = reachableFiles();
        long olderThan = clock.millis() - settings.orphanMinAge().toMillis();
        int removed = 0;
        for (FileInfo f : prefixes.listPrefix(table.location())) {
            if (f.createdAtMillis() < olderThan && !reachable.contains(normalize(f.location()))) {
                io.deleteFile(f.location());
                removed++;
            }
        }
        if (removed > 0) {
            LOG.info("removed {} orphan files of {}", removed, table.name());
        }
        return removed;
    }

    private Set<String> reachableFiles() {
        Set<String> out = new HashSet<>();
        ReachableFileUtil.metadataFileLocations(table, true).forEach(p -> out.add(normalize(p)));
        ReachableFileUtil.manifestListLocations(table).forEach(p -> out.add(normalize(p)));
        ReachableFileUtil.statisticsFilesLocations(table).forEach(p -> out.add(normalize(p)));
        String hint = ReachableFileUtil.versionHintLocation(table);
        out.add(normalize(hint));
        Set<String> manifests = new HashSet<>();
        for (Snapshot s : table.snapshots()) {
            for (ManifestFile m : s.allManifests(table.io())) {
                if (manifests.add(m.path())) {
                    out.add(normalize(m.path()));
                    try (CloseableIterable<String> paths = ManifestFiles.readPaths(m, table.io(), table.specs())) {
                        paths.forEach(p -> out.add(normalize(p)));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        return out;
    }

    /** {@code file:/a/b}, {@code file:///a/b} and {@code /a/b} are the same local file. */
    static String normalize(String location) {
        if (location.startsWith("file:")) {
            String rest = location.substring("file:".length());
            while (rest.startsWith("//")) {
                rest = rest.substring(1);
            }
            return rest;
        }
        return location;
    }

    /** Current data files by partition path ({@code event_day=2026-11-02/action_domain=billing}). */
    private Map<String, List<DataFile>> filesByPartition() {
        Map<String, List<DataFile>> out = new TreeMap<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask t : tasks) {
                DataFile f = t.file();
                out.computeIfAbsent(
                                table.specs().get(f.specId()).partitionToPath(f.partition()), k -> new ArrayList<>())
                        .add(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Commits a maintenance snapshot on exactly the snapshot it was planned against, with the sink state copied in. */
    private void commitCarryingState(Function<Table, SnapshotUpdate<?>> update) {
        for (int attempt = 1; ; attempt++) {
            table.refresh();
            Snapshot current = table.currentSnapshot();
            Map<String, String> carried = new LinkedHashMap<>(SinkState.carriedSummary(table));
            Table guarded = new BaseTable(
                    new GuardedTableOperations(
                            ((HasTableOperations) table).operations(), current == null ? null : current.snapshotId()),
                    table.name());
            SnapshotUpdate<?> op = update.apply(guarded);
            carried.forEach(op::set);
            try {
                op.commit();
                table.refresh();
                return;
            } catch (GuardedTableOperations.StaleBaseException | CommitFailedException e) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw new IllegalStateException("maintenance commit failed after " + attempt + " attempts", e);
                }
            }
        }
    }

    private static String copyWithHash(InputFile in, Path target) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream is = in.newStream();
                OutputStream os = new DigestOutputStream(Files.newOutputStream(target), sha)) {
            is.transferTo(os);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static int size(Iterable<?> it) {
        int n = 0;
        for (Object ignored : it) {
            n++;
        }
        return n;
    }
}
