package io.quintet.sink.commit;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.model.fixtures.EventFixtures;
import io.quintet.sink.app.AnalyticsSink;
import io.quintet.sink.commit.TableCommitter.CommitResult;
import io.quintet.sink.commit.TableCommitter.PartitionClaim;
import io.quintet.sink.config.SinkConfig;
import io.quintet.sink.fixtures.TestCatalogs;
import io.quintet.sink.write.EventRowMapper;
import io.quintet.sink.write.EventTableLayout;
import io.quintet.sink.write.ParquetBatchWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableCommitterTest {
    private static final String GROUP = "sink-group";
    private static final TopicPartition P0 = new TopicPartition("events.canonical", 0);
    private static final TopicPartition P1 = new TopicPartition("events.canonical", 1);

    @TempDir
    Path dir;

    SinkConfig config;
    Table table;
    EventRowMapper mapper;
    ParquetBatchWriter writer;

    @BeforeEach
    void createTable() {
        config = TestCatalogs.config(dir, Map.of());
        table = EventTableLayout.createOrEvolve(TestCatalogs.catalog(config), AnalyticsSink.tableIdentifier(config));
        mapper = new EventRowMapper(table.schema());
        writer = new ParquetBatchWriter(table, table.schema(), 64L << 20, "w");
    }

    private TableCommitter committer(String instance) {
        return new TableCommitter(table, GROUP, instance, 5, Duration.ofMillis(1));
    }

    /** A committer with its own catalog connection and table object, as a separate sink instance has. */
    private TableCommitter separateCommitter(String instance) {
        Catalog own = TestCatalogs.catalog(config);
        return new TableCommitter(
                own.loadTable(AnalyticsSink.tableIdentifier(config)), GROUP, instance, 20, Duration.ofMillis(5));
    }

    private List<DataFile> files(int partition, long fromOffset, int count) {
        List<Record> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(mapper.toRecord(
                    EventFixtures.invoiceCreated().toBuilder()
                            .id("e-" + partition + "-" + (fromOffset + i))
                            .build(),
                    partition,
                    fromOffset + i));
        }
        return writer.write(rows);
    }

    @Test
    void aClaimRaisesEpochsAndReportsTheOffsetsTheTableHolds() {
        Map<TopicPartition, PartitionClaim> first = committer("a").claim(List.of(P0, P1));
        assertThat(first).containsEntry(P0, new PartitionClaim(1, null)).containsEntry(P1, new PartitionClaim(1, null));

        CommitResult r = committer("a").commit(files(0, 0, 3), Map.of(P0, 3L), first);
        assertThat(r).isInstanceOf(CommitResult.Committed.class);

        Map<TopicPartition, PartitionClaim> second = committer("b").claim(List.of(P0));
        assertThat(second).containsEntry(P0, new PartitionClaim(2, 3L));
        table.refresh();
        SinkState state = SinkState.read(table, GROUP);
        assertThat(state.offsets()).containsEntry(P0, 3L).doesNotContainKey(P1);
        assertThat(state.epochs()).containsEntry(P0, 2L).containsEntry(P1, 1L);
        assertThat(table.currentSnapshot().summary())
                .containsEntry("quintet.kafka.offsets." + GROUP, "{\"events.canonical\":{\"0\":3}}");
    }

    @Test
    void aZombieWhosePartitionWasClaimedAgainCannotCommit() throws IOException {
        Map<TopicPartition, PartitionClaim> zombie = committer("old").claim(List.of(P0));
        committer("new").claim(List.of(P0)); // a restarted instance takes P0 over

        List<DataFile> zombieFiles = files(0, 0, 5);
        CommitResult r = committer("old").commit(zombieFiles, Map.of(P0, 5L), zombie);

        assertThat(r).isEqualTo(new CommitResult.Fenced(java.util.Set.of(P0)));
        assertThat(rowCount()).isZero();
    }

    @Test
    void aCommitWhoseStartOffsetIsNoLongerTheTablesIsFenced() throws IOException {
        Map<TopicPartition, PartitionClaim> held = committer("a").claim(List.of(P0));
        assertThat(committer("a").commit(files(0, 0, 2), Map.of(P0, 2L), held))
                .isInstanceOf(CommitResult.Committed.class);

        // same epoch, but the claim still says the batch starts at "no offset": committing would duplicate rows
        CommitResult again = committer("a").commit(files(0, 0, 2), Map.of(P0, 2L), held);
        assertThat(again).isInstanceOf(CommitResult.Fenced.class);
        assertThat(rowCount()).isEqualTo(2);
    }

    @Test
    void commitsOfTwoInstancesOnDifferentPartitionsBothLandWithTheirOffsets() throws Exception {
        TableCommitter instanceA = separateCommitter("a");
        TableCommitter instanceB = separateCommitter("b");
        Map<TopicPartition, PartitionClaim> a = instanceA.claim(List.of(P0));
        Map<TopicPartition, PartitionClaim> b = instanceB.claim(List.of(P1));
        List<List<DataFile>> filesA = new ArrayList<>();
        List<List<DataFile>> filesB = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            filesA.add(files(0, i * 10L, 10));
            filesB.add(files(1, i * 10L, 10));
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var fa = pool.submit(() -> {
                Map<TopicPartition, PartitionClaim> held = a;
                for (int i = 0; i < 5; i++) {
                    CommitResult r = instanceA.commit(filesA.get(i), Map.of(P0, (i + 1) * 10L), held);
                    assertThat(r).isInstanceOf(CommitResult.Committed.class);
                    held = Map.of(P0, new PartitionClaim(1, (i + 1) * 10L));
                }
                return null;
            });
            var fb = pool.submit(() -> {
                Map<TopicPartition, PartitionClaim> held = b;
                for (int i = 0; i < 5; i++) {
                    CommitResult r = instanceB.commit(filesB.get(i), Map.of(P1, (i + 1) * 10L), held);
                    assertThat(r).isInstanceOf(CommitResult.Committed.class);
                    held = Map.of(P1, new PartitionClaim(1, (i + 1) * 10L));
                }
                return null;
            });
            fa.get();
            fb.get();
        } finally {
            pool.shutdownNow();
        }
        table.refresh();
        assertThat(SinkState.read(table, GROUP).offsets())
                .containsEntry(P0, 50L)
                .containsEntry(P1, 50L);
        assertThat(rowCount()).isEqualTo(100);
    }

    private long rowCount() throws IOException {
        table.refresh();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
            long n = 0;
            for (Record ignored : rows) {
                n++;
            }
            return n;
        }
    }
}
