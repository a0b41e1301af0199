package io.quintet.sink.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.model.CanonicalEvent;
import io.quintet.model.fixtures.EventFixtures;
import io.quintet.sink.app.AnalyticsSink;
import io.quintet.sink.commit.SinkState;
import io.quintet.sink.commit.TableCommitter;
import io.quintet.sink.commit.TableCommitter.CommitResult;
import io.quintet.sink.commit.TableCommitter.PartitionClaim;
import io.quintet.sink.config.MaintenanceSettings;
import io.quintet.sink.config.MaintenanceSettings.RetentionRule;
import io.quintet.sink.config.SinkConfig;
import io.quintet.sink.fixtures.TestCatalogs;
import io.quintet.sink.write.EventRowMapper;
import io.quintet.sink.write.EventTableLayout;
import io.quintet.sink.write.ParquetBatchWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableMaintenanceTest {
    private static final String GROUP = "g";
    private static final TopicPartition P0 = new TopicPartition("events.canonical", 0);
    private static final Instant NOW = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    Table table;
    TableCommitter committer;
    Map<TopicPartition, PartitionClaim> claims;
    long offset;

    @BeforeEach
    void table() {
        SinkConfig config = TestCatalogs.config(dir, Map.of());
        table = EventTableLayout.createOrEvolve(TestCatalogs.catalog(config), AnalyticsSink.tableIdentifier(config));
        committer = new TableCommitter(table, GROUP, "sink", 5, Duration.ofMillis(1));
        claims = committer.claim(List.of(P0));
    }

    /** One committed micro-batch of {@code count} events of {@code action}, {@code daysAgo} days old. */
    private void batch(String action, int daysAgo, int count) {
        EventRowMapper mapper = new EventRowMapper(table.schema());
        List<Record> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            CanonicalEvent e = EventFixtures.invoiceCreated().toBuilder()
                    .id(action + "-" + daysAgo + "-" + offset)
                    .action(action, "other")
                    .eventTimestamp(NOW.minus(Duration.ofDays(daysAgo)).plusSeconds(i))
                    .build();
            rows.add(mapper.toRecord(e, 0, offset++));
        }
        List<DataFile> files = new ParquetBatchWriter(table, table.schema(), 64L << 20, "sink").write(rows);
        CommitResult r = committer.commit(files, Map.of(P0, offset), claims);
        assertThat(r).isInstanceOf(CommitResult.Committed.class);
        claims = Map.of(P0, new PartitionClaim(claims.get(P0).epoch(), offset));
    }

    /** One committed micro-batch of {@code count} events of {@code action} of {@code organization}, {@code daysAgo} days old. */
    private void tenantBatch(String action, String organization, int daysAgo, int count) {
        EventRowMapper mapper = new EventRowMapper(table.schema());
        List<Record> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            CanonicalEvent e = EventFixtures.invoiceCreated().toBuilder()
                    .id(organization + "-" + action + "-" + daysAgo + "-" + offset)
                    .action(action, "other")
                    .organizationId(organization)
                    .eventTimestamp(NOW.minus(Duration.ofDays(daysAgo)).plusSeconds(i))
                    .build();
            rows.add(mapper.toRecord(e, 0, offset++));
        }
        List<DataFile> files = new ParquetBatchWriter(table, table.schema(), 64L << 20, "sink").write(rows);
        CommitResult r = committer.commit(files, Map.of(P0, offset), claims);
        assertThat(r).isInstanceOf(CommitResult.Committed.class);
        claims = Map.of(P0, new PartitionClaim(claims.get(P0).epoch(), offset));
    }

    /** A fresh table partitioned by organisation too ({@code table.partition.by.organization=true}). */
    private void tablePartitionedByOrganization() {
        SinkConfig config =
                TestCatalogs.config(dir.resolve("by-org"), Map.of(SinkConfig.PARTITION_BY_ORGANIZATION, "true"));
        table = EventTableLayout.createOrEvolve(
                TestCatalogs.catalog(config), AnalyticsSink.tableIdentifier(config), config.partitionByOrganization());
        committer = new TableCommitter(table, GROUP, "sink", 5, Duration.ofMillis(1));
        claims = committer.claim(List.of(P0));
        offset = 0;
    }

    @Test
    void aPerOrganizationOverrideKeepsOneTenantsRowsLongerAndTheOthersFollowTheGeneralRule() {
        tenantBatch("billing.invoice.created", "org-acme", 400, 2);
        tenantBatch("billing.invoice.created", "org-globex", 400, 2);
        batch("billing.invoice.created", 400, 2);
        tenantBatch("billing.invoice.created", "org-globex", 10, 1);

        long[] deleted = new TableMaintenance(
                        table, settings("billing.*@org-acme=3y,billing.*=1y", ""), 64L << 20, CLOCK)
                .applyRetention();

        assertThat(deleted[1]).as("rows deleted").isEqualTo(4);
        assertThat(ids())
                .hasSize(3)
                .allMatch(id -> id.startsWith("org-acme-") || id.startsWith("org-globex-billing.invoice.created-10-"));
    }

    @Test
    void aTablePartitionedByOrganizationGetsAPartitionPerTenantAndMaintenanceWorksPerTenantPartition() {
        tablePartitionedByOrganization();
        assertThat(table.spec().fields())
                .extracting(org.apache.iceberg.PartitionField::name)
                .containsExactly(
                        EventTableLayout.EVENT_DAY, EventTableLayout.ACTION_DOMAIN, EventTableLayout.ORGANIZATION_ID);
        for (int i = 0; i < 4; i++) {
            tenantBatch("billing.invoice.created", "org-acme", 400, 1);
            tenantBatch("billing.invoice.created", "org-globex", 400, 1);
            batch("billing.invoice.created", 400, 1);
        }
        table.refresh();
        Set<String> paths = new java.util.TreeSet<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            tasks.forEach(t -> paths.add(table.spec().partitionToPath(t.file().partition())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(paths)
                .hasSize(3)
                .anyMatch(p -> p.endsWith("organization_id=org-acme"))
                .anyMatch(p -> p.endsWith("organization_id=org-globex"))
                .anyMatch(p -> p.endsWith("organization_id=null"));

        int[] compacted = new TableMaintenance(table, settings("*=10y", ""), 64L << 20, CLOCK).compact();
        assertThat(compacted).as("each tenant's partition compacted on its own").containsExactly(3, 12);
        assertThat(ids()).hasSize(12);

        long[] deleted = new TableMaintenance(
                        table, settings("billing.*@org-acme=3y,billing.*=1y", ""), 64L << 20, CLOCK)
                .applyRetention();
        assertThat(deleted)
                .as("whole partitions of the other tenants, not one row read")
                .containsExactly(2, 8, 0);
        assertThat(ids()).hasSize(4).allMatch(id -> id.startsWith("org-acme-"));
    }

    /** One committed micro-batch (one file per partition) holding {@code count} events of each action. */
    private void mixedBatch(List<String> actions, int daysAgo, int count) {
        EventRowMapper mapper = new EventRowMapper(table.schema());
        List<Record> rows = new ArrayList<>();
        for (String action : actions) {
            for (int i = 0; i < count; i++) {
                CanonicalEvent e = EventFixtures.invoiceCreated().toBuilder()
                        .id(action + "-" + daysAgo + "-" + offset)
                        .action(action, "other")
                        .eventTimestamp(NOW.minus(Duration.ofDays(daysAgo)).plusSeconds(i))
                        .build();
                rows.add(mapper.toRecord(e, 0, offset++));
            }
        }
        List<DataFile> files = new ParquetBatchWriter(table, table.schema(), 64L << 20, "sink").write(rows);
        CommitResult r = committer.commit(files, Map.of(P0, offset), claims);
        assertThat(r).isInstanceOf(CommitResult.Committed.class);
        claims = Map.of(P0, new PartitionClaim(claims.get(P0).epoch(), offset));
    }

    private MaintenanceSettings settings(String rules, String archive) {
        return new MaintenanceSettings(
                RetentionRule.parseList(rules),
                Duration.ofMinutes(1),
                1,
                Duration.ofHours(1),
                4,
                archive,
                Duration.ofDays(35));
    }

    private Set<String> ids() {
        table.refresh();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
            List<String> ids = new ArrayList<>();
            rows.forEach(r -> ids.add((String) r.getField("event_id")));
            assertThat(ids).doesNotHaveDuplicates();
            return Set.copyOf(ids);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int dataFileCount() {
        table.refresh();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            int n = 0;
            for (FileScanTask ignored : tasks) {
                n++;
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void retentionDeletesWholeExpiredDaysPerDomainAndKeepsTheSinkOffsets() {
        batch("user.profile.updated", 800, 3);
        batch("user.profile.updated", 10, 3);
        batch("workflow.execution.failed", 400, 2);
        batch("workflow.execution.failed", 100, 2);
        batch("billing.invoice.created", 3000, 2);
        long offsetsBefore = SinkState.read(table, GROUP).offset(P0);

        long[] deleted = new TableMaintenance(table, settings("user.*=730d,workflow.*=365d", ""), 64L << 20, CLOCK)
                .applyRetention();

        assertThat(deleted).containsExactly(2, 5, 0);
        Set<String> ids = ids();
        assertThat(ids).hasSize(7);
        assertThat(ids)
                .noneMatch(id ->
                        id.startsWith("user.profile.updated-800-") || id.startsWith("workflow.execution.failed-400-"));
        assertThat(ids)
                .anyMatch(id -> id.startsWith("billing.invoice.created-3000-"))
                .as("no rule for billing: kept");
        assertThat(table.currentSnapshot().summary()).containsEntry("quintet.maintenance", "retention");
        assertThat(SinkState.read(table, GROUP).offset(P0)).isEqualTo(offsetsBefore);
        assertThat(table.currentSnapshot().summary()).containsKey("quintet.kafka.offsets." + GROUP);
    }

    @Test
    void aRuleForSomeActionsOfADomainDropsOnlyTheExpiredRowsOfItsDayAndKeepsTheRest() {
        mixedBatch(List.of("auth.user.login_failed", "auth.user.logged_out", "auth.session.expired"), 800, 2);
        mixedBatch(List.of("auth.user.logged_out"), 10, 2);
        assertThat(dataFileCount()).isEqualTo(2);
        long offsetsBefore = SinkState.read(table, GROUP).offset(P0);
        TableMaintenance maintenance = new TableMaintenance(
                table, settings("auth.user.login_failed=7y/2y,auth.*=2y/1y", ""), 64L << 20, CLOCK);

        long[] deleted = maintenance.applyRetention();

        assertThat(deleted)
                .as("files replaced, rows dropped, partitions rewritten")
                .containsExactly(1, 4, 1);
        assertThat(ids())
                .hasSize(4)
                .anyMatch(id -> id.startsWith("auth.user.login_failed-800-"))
                .noneMatch(
                        id -> id.startsWith("auth.user.logged_out-800-") || id.startsWith("auth.session.expired-800-"))
                .anyMatch(id -> id.startsWith("auth.user.logged_out-10-"));
        assertThat(table.currentSnapshot().summary()).containsEntry("quintet.maintenance", "retention");
        assertThat(SinkState.read(table, GROUP).offset(P0)).isEqualTo(offsetsBefore);

        long snapshot = table.currentSnapshot().snapshotId();
        assertThat(maintenance.applyRetention())
                .as("a second run finds nothing due")
                .containsExactly(0, 0, 0);
        table.refresh();
        assertThat(table.currentSnapshot().snapshotId())
                .as("and commits nothing")
                .isEqualTo(snapshot);
    }

    @Test
    void aDayWhoseRulesHaveAllExpiredIsDeletedWholeEvenWhenTheDomainHasSeveralRules() {
        mixedBatch(List.of("auth.user.login_failed", "auth.user.logged_out"), 3000, 2);
        mixedBatch(List.of("auth.user.login_failed", "auth.user.logged_out"), 1000, 2);

        long[] deleted = new TableMaintenance(
                        table, settings("auth.user.login_failed=7y/2y,auth.*=2y/1y", ""), 64L << 20, CLOCK)
                .applyRetention();

        assertThat(deleted)
                .as("the 3000-day file deleted, the 1000-day one rewritten")
                .containsExactly(2, 6, 1);
        assertThat(ids()).containsExactlyInAnyOrder("auth.user.login_failed-1000-4", "auth.user.login_failed-1000-5");
    }

    @Test
    void aDomainNotEveryActionOfWhichHasARuleKeepsItsUnmatchedRows() {
        mixedBatch(List.of("auth.user.login_failed", "auth.user.logged_out"), 3000, 2);

        long[] deleted = new TableMaintenance(table, settings("auth.user.login_failed=7y/2y", ""), 64L << 20, CLOCK)
                .applyRetention();

        assertThat(deleted).containsExactly(1, 2, 1);
        assertThat(ids()).containsExactlyInAnyOrder("auth.user.logged_out-3000-2", "auth.user.logged_out-3000-3");
    }

    @Test
    void eachDomainIsExportedOnceItsShortestArchiveAfterHasPassed() throws Exception {
        batch("workflow.execution.failed", 200, 2); // workflow.* archives after 182 days: exported
        batch("auth.user.logged_out", 200, 2); // auth.* after 1 year: not yet
        batch("messaging.email.opened", 400, 2); // '*' after 2 years: not yet
        batch("user.profile.updated", 40, 2); // old-form rule without its own: archive.after.days (35)
        Path archive = dir.resolve("archive");

        int exported = new TableMaintenance(
                        table,
                        settings("workflow.*=1y/182d,auth.*=2y/1y,user.*=730d,*=7y/2y", archive.toString()),
                        64L << 20,
                        CLOCK)
                .exportClosedPartitions();

        assertThat(exported).isEqualTo(2);
        try (Stream<Path> files = Files.walk(archive)) {
            assertThat(files.filter(p -> p.getFileName().toString().equals("manifest.json"))
                            .map(p -> p.getParent().getFileName().toString()))
                    .containsExactlyInAnyOrder("action_domain=workflow", "action_domain=user");
        }
    }

    @Test
    void compactionRewritesAPartitionOfManySmallFilesIntoOneWithTheSameRows() {
        for (int i = 0; i < 5; i++) {
            batch("billing.invoice.created", 2, 10);
        }
        batch("auth.user.login_failed", 2, 5);
        Set<String> before = ids();
        assertThat(dataFileCount()).isEqualTo(6);

        int[] compacted = new TableMaintenance(table, settings("", ""), 64L << 20, CLOCK).compact();

        assertThat(compacted).containsExactly(1, 5);
        assertThat(dataFileCount()).isEqualTo(2);
        assertThat(ids()).isEqualTo(before);
        assertThat(SinkState.read(table, GROUP).offset(P0)).isEqualTo(55L);
    }

    @Test
    void closedPartitionsAreExportedWithAManifestOfFileHashes() throws Exception {
        batch("billing.invoice.created", 40, 4);
        batch("billing.invoice.created", 1, 4);
        Path archive = dir.resolve("archive");

        int exported = new TableMaintenance(table, settings("", archive.toString()), 64L << 20, CLOCK)
                .exportClosedPartitions();

        assertThat(exported).isEqualTo(1);
        List<Path> manifests;
        try (Stream<Path> files = Files.walk(archive)) {
            manifests = files.filter(p -> p.getFileName().toString().equals("manifest.json"))
                    .toList();
        }
        assertThat(manifests).hasSize(1);
        Path partitionDir = manifests.get(0).getParent();
        assertThat(partitionDir.toString())
                .contains("event_day="
                        + NOW.minus(Duration.ofDays(40)).atZone(ZoneOffset.UTC).toLocalDate())
                .contains("action_domain=billing");
        String manifest = Files.readString(manifests.get(0));
        List<Path> parquet;
        try (Stream<Path> files = Files.list(partitionDir)) {
            parquet = files.filter(p -> p.toString().endsWith(".parquet")).toList();
        }
        assertThat(parquet).hasSize(1);
        assertThat(manifest).contains("\"records\":4").contains("\"sha256\":\"" + sha256(parquet.get(0)) + "\"");
    }

    @Test
    void expiryKeepsTheOffsetsAndOrphanCleanupRemovesOnlyOldUnreferencedFiles() throws Exception {
        batch("billing.invoice.created", 2, 3);
        batch("billing.invoice.created", 2, 3);
        new TableMaintenance(table, settings("", ""), 64L << 20, CLOCK).compact(); // no-op: 2 files < 4
        Path data = Path.of(TableMaintenance.normalize(table.location())).resolve("data");
        Path oldOrphan = data.resolve("stray-old.parquet");
        Path newOrphan = data.resolve("stray-new.parquet");
        Files.writeString(oldOrphan, "left by a crashed writer");
        Files.writeString(newOrphan, "being written right now");
        Files.setLastModifiedTime(oldOrphan, FileTime.from(NOW.minus(Duration.ofDays(2))));
        Clock later = Clock.offset(CLOCK, Duration.ofMinutes(5));

        TableMaintenance maintenance = new TableMaintenance(table, settings("", ""), 64L << 20, later);
        int expired = maintenance.expireSnapshots();
        int removed = maintenance.removeOrphanFiles();

        assertThat(expired).isEqualTo(2); // the claim and the first batch; the newest is retained
        assertThat(SinkState.read(table, GROUP).offset(P0)).isEqualTo(6L);
        assertThat(removed).isEqualTo(1);
        assertThat(oldOrphan).doesNotExist();
        assertThat(newOrphan).exists();
        assertThat(ids()).hasSize(6);
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            sha.update(in.readAllBytes());
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
