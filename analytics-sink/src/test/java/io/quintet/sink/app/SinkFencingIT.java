package io.quintet.sink.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quintet.sink.commit.TableCommitter;
import io.quintet.sink.config.SinkConfig;
import io.quintet.sink.fixtures.SinkHarness;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.data.Record;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Several instances on one table: shared partitions, and zombies that must not commit. */
@KafkaCluster
@Timeout(180)
class SinkFencingIT {

    @TempDir
    Path dir;

    /** Stalls its instance after the first batch's files are written, until released: a zombie in the making. */
    static final class StallAfterFirstWrite implements SinkListener {
        final CountDownLatch stalled = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<DataFile> stalledFiles = new CopyOnWriteArrayList<>();
        final List<Set<TopicPartition>> fenced = new CopyOnWriteArrayList<>();

        @Override
        public void filesWritten(BatchInfo batch, List<DataFile> files) {
            if (batch.sequence() == 1) {
                stalledFiles.addAll(files);
                stalled.countDown();
                try {
                    if (!release.await(120, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }

        @Override
        public void batchFenced(BatchInfo batch, Set<TopicPartition> partitions) {
            fenced.add(partitions);
        }
    }

    @Test
    void aZombieWriterCannotCommitAfterAnotherInstanceClaimedItsPartitions(RunningKafka kafka) throws Exception {
        int events = 3_000;
        try (SinkHarness h = new SinkHarness(kafka, dir, 3)) {
            h.produce(0, events);
            Map<String, String> settings = Map.of(
                    SinkConfig.BATCH_MAX_RECORDS,
                    "500",
                    SinkConfig.BATCH_MAX_EVENT_TIME_SPAN_MS,
                    String.valueOf(Duration.ofDays(30).toMillis()),
                    "kafka.client.max.poll.records",
                    "250",
                    // a stalled instance is put out of the group after 3 s without polling
                    "kafka.client.max.poll.interval.ms",
                    "3000");

            StallAfterFirstWrite zombieListener = new StallAfterFirstWrite();
            SinkHarness.Running zombie = h.start(h.config("zombie", settings), zombieListener);
            assertThat(zombieListener.stalled.await(60, TimeUnit.SECONDS))
                    .as("zombie wrote its first batch")
                    .isTrue();
            assertThat(zombieListener.stalledFiles).isNotEmpty();

            SinkHarness.Running successor = h.start(h.config("successor", settings), SinkListener.NONE);
            await("the successor owning every partition")
                    .atMost(Duration.ofSeconds(60))
                    .untilAsserted(
                            () -> assertThat(successor.sink().ownedPartitions()).hasSize(3));
            zombieListener.release.countDown();

            await("the zombie's commit being refused")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> !zombieListener.fenced.isEmpty()
                            && zombie.sink().stats().snapshot().batchesFenced() >= 1);
            for (DataFile f : zombieListener.stalledFiles) {
                assertThat(Path.of(f.location().replaceFirst("^file:", "")))
                        .as("fenced batch's file is removed")
                        .doesNotExist();
            }

            await("every event in the table")
                    .atMost(Duration.ofSeconds(90))
                    .untilAsserted(() -> assertThat(h.committedRowCount()).isGreaterThanOrEqualTo(events));
            zombie.stopAndWait();
            successor.stopAndWait();
            assertThat(zombie.done()).isCompleted();
            assertThat(successor.done()).isCompleted();
            assertExactlyOnce(h.rows(), events);
        }
    }

    @Test
    void twoInstancesShareThePartitionsAndCommitEveryEventOnce(RunningKafka kafka) throws Exception {
        int events = 4_000;
        try (SinkHarness h = new SinkHarness(kafka, dir, 4)) {
            Map<String, String> settings = Map.of(
                    SinkConfig.BATCH_MAX_RECORDS,
                    "400",
                    SinkConfig.BATCH_MAX_EVENT_TIME_SPAN_MS,
                    String.valueOf(Duration.ofDays(30).toMillis()),
                    "kafka.client.max.poll.records",
                    "200");
            SinkHarness.Running a = h.start(h.config("a", settings), SinkListener.NONE);
            SinkHarness.Running b = h.start(h.config("b", settings), SinkListener.NONE);
            await("both instances owning partitions")
                    .atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> {
                        assertThat(a.sink().ownedPartitions()).as("a's").isNotEmpty();
                        assertThat(b.sink().ownedPartitions()).as("b's").isNotEmpty();
                        assertThat(a.sink().ownedPartitions().size()
                                        + b.sink().ownedPartitions().size())
                                .as(
                                        "a=%s b=%s",
                                        a.sink().ownedPartitions(), b.sink().ownedPartitions())
                                .isEqualTo(4);
                    });
            Set<TopicPartition> overlap = new HashSet<>(a.sink().ownedPartitions());
            overlap.retainAll(b.sink().ownedPartitions());
            assertThat(overlap).isEmpty();

            h.produce(0, events);
            await("every event in the table")
                    .atMost(Duration.ofSeconds(90))
                    .untilAsserted(() -> assertThat(h.committedRowCount()).isGreaterThanOrEqualTo(events));
            a.stopAndWait();
            b.stopAndWait();

            long rowsA = a.sink().stats().snapshot().rowsCommitted();
            long rowsB = b.sink().stats().snapshot().rowsCommitted();
            assertThat(rowsA).isPositive();
            assertThat(rowsB).isPositive();
            assertThat(rowsA + rowsB).isEqualTo(events);
            Set<String> writers = new HashSet<>();
            for (Snapshot s : h.table().snapshots()) {
                if ("batch".equals(s.summary().get(TableCommitter.OPERATION))) {
                    writers.add(s.summary().get(TableCommitter.INSTANCE));
                }
            }
            assertThat(writers).containsExactlyInAnyOrder("a", "b");
            assertExactlyOnce(h.rows(), events);
        }
    }

    static void assertExactlyOnce(List<Record> rows, int events) {
        List<String> ids = new ArrayList<>();
        rows.forEach(r -> ids.add((String) r.getField("event_id")));
        Set<String> distinct = ids.stream().collect(Collectors.toSet());
        assertThat(ids).as("rows").hasSize(events);
        assertThat(distinct).as("distinct event ids").hasSize(events);
    }
}
