package io.quintet.sink.app;

import io.quintet.model.topics.TopicCatalogue;
import io.quintet.sink.commit.SinkState;
import io.quintet.sink.commit.TableCommitter;
import io.quintet.sink.commit.TableCommitter.CommitResult;
import io.quintet.sink.commit.TableCommitter.PartitionClaim;
import io.quintet.sink.config.SinkConfig;
import io.quintet.sink.write.BatchPolicy;
import io.quintet.sink.write.EventRowMapper;
import io.quintet.sink.write.EventTableLayout;
import io.quintet.sink.write.MicroBatch;
import io.quintet.sink.write.ParquetBatchWriter;
import io.quintet.sink.write.RecordDecoder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sink instance: consumes {@code events.canonical} in a consumer group, turns events into rows, and commits
 * micro-batches of Parquet files to the Iceberg events table, exactly once.
 * <p>
 * The table, not the consumer group, is the source of truth for progress: every snapshot carries the offsets its
 * files cover (see {@link SinkState}); on partition assignment the instance claims the partitions (raising their
 * writer epoch in the table, which fences any previous owner) and seeks to the offsets the table holds. Consumer
 * group offsets are committed after each table commit only so that lag monitoring works.
 * <p>
 * {@link #run()} blocks on the calling thread until {@link #stop()} (from any thread) or a failure. A closed batch is
 * written and committed on a writer thread while the consumer thread reads the next one; at most one batch is in
 * flight and commits stay in order.
 */
public final class AnalyticsSink {
    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsSink.class);

    private final SinkConfig config;
    private final String topic;
    private final Table table;
    private final RecordDecoder decoder;
    private final ParquetBatchWriter writer;
    private final TableCommitter committer;
    private final SinkListener listener;
    private final BatchPolicy policy;
    private final Clock clock;
    private final SinkStats stats = new SinkStats();
    private final AtomicBoolean started = new AtomicBoolean();

    private final Map<TopicPartition, PartitionClaim> claims = new HashMap<>();
    private volatile Set<TopicPartition> owned = Set.of();
    private volatile boolean stopRequested;
    private KafkaConsumer<byte[], byte[]> consumer;
    private MicroBatch batch = new MicroBatch();
    private long batchSequence;
    /** Counts the times uncommitted records were dropped and partitions rewound (fencing, lost partitions). */
    private long rewinds;

    private boolean failed;
    /** Writes and commits one batch at a time while the consumer thread reads the next. */
    private final ExecutorService writerThread;
    /**
     * Threads that write some of a batch's partitions next to the writer thread (one per core beyond the first, up
     * to three): the last batch before a pause is written and committed sooner, and with several cores the writer
     * is not the one thread the others wait on.
     */
    private final int writeParallelism = Math.min(4, Runtime.getRuntime().availableProcessors());

    private final ExecutorService partitionWriters;
    private InFlight inFlight;

    public AnalyticsSink(SinkConfig config, Catalog catalog, SinkListener listener) {
        this(config, catalog, listener, Clock.systemUTC());
    }

    AnalyticsSink(SinkConfig config, Catalog catalog, SinkListener listener, Clock clock) {
        this.config = config;
        this.topic = TopicCatalogue.of(config.topicPrefix(), 1, (short) 1).name(TopicCatalogue.EVENTS_CANONICAL);
        this.table =
                EventTableLayout.createOrEvolve(catalog, tableIdentifier(config), config.partitionByOrganization());
        this.decoder = new RecordDecoder(new EventRowMapper(table.schema()), config.decodeThreads());
        this.writer = new ParquetBatchWriter(table, table.schema(), config.targetFileSizeBytes(), config.instanceId());
        this.committer = new TableCommitter(
                table, config.groupId(), config.instanceId(), config.commitMaxAttempts(), config.commitBackoff());
        this.listener = listener;
        this.policy = config.batchPolicy();
        this.clock = clock;
        this.writerThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sink-writer-" + config.instanceId());
            t.setDaemon(true);
            return t;
        });
        java.util.concurrent.atomic.AtomicInteger writers = new java.util.concurrent.atomic.AtomicInteger(1);
        this.partitionWriters = writeParallelism <= 1
                ? null
                : Executors.newFixedThreadPool(writeParallelism - 1, r -> {
                    Thread t = new Thread(r, "sink-writer-" + config.instanceId() + "-" + writers.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    public static TableIdentifier tableIdentifier(SinkConfig config) {
        return TableIdentifier.of(Namespace.of(config.tableNamespace().split("\\.")), config.tableName());
    }

    public String topic() {
        return topic;
    }

    public Table table() {
        return table;
    }

    public SinkStats stats() {
        return stats;
    }

    /** The Kafka consumer's metrics (lag, fetch and commit rates...), empty before {@link #run()} starts it. */
    public java.util.Map<org.apache.kafka.common.MetricName, ? extends org.apache.kafka.common.Metric> kafkaMetrics() {
        KafkaConsumer<byte[], byte[]> c = consumer;
        return c == null ? java.util.Map.of() : c.metrics();
    }

    /** The partitions this instance currently owns (claimed and not fenced). */
    public Set<TopicPartition> ownedPartitions() {
        return owned;
    }

    /** Asks {@link #run()} to commit what it holds and return; callable from any thread. */
    public void stop() {
        stopRequested = true;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /** Consumes and commits until {@link #stop()}; rethrows what made it fail (after closing the consumer). */
    public void run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("an AnalyticsSink runs once");
        }
        consumer = new KafkaConsumer<>(consumerProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        LOG.info(
                "sink instance {} reading {} into {} (group {})",
                config.instanceId(),
                topic,
                table.name(),
                config.groupId());
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
            while (!stopRequested) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(config.pollTimeout());
                } catch (WakeupException e) {
                    if (stopRequested) {
                        break;
                    }
                    throw e;
                }
                accept(records);
                completeIfDone();
                BatchPolicy.CloseReason reason = batch.reasonToClose(policy, clock.millis());
                if (reason != null) {
                    flush(reason, false);
                }
            }
            flush(BatchPolicy.CloseReason.SHUTDOWN, true);
        } catch (RuntimeException | Error e) {
            failed = true;
            LOG.error(
                    "sink instance {} stops on a failure; uncommitted records will be read again on restart: {}",
                    config.instanceId(),
                    e.toString());
            throw e;
        } finally {
            abandonInFlight();
            closeConsumer();
            decoder.close();
            writerThread.shutdownNow();
            if (partitionWriters != null) {
                partitionWriters.shutdownNow();
            }
        }
    }

    /**
     * Adds a poll's records to the batch. A batch closes as soon as it reaches its record or byte limit, also in the
     * middle of a poll (the rest of the poll starts the next batch), so batches hold exactly
     * {@code batch.max.records} records and a backlog does not leave a short last batch waiting for its age limit.
     */
    private void accept(ConsumerRecords<byte[], byte[]> records) {
        List<ConsumerRecord<byte[], byte[]>> ours = new ArrayList<>(records.count());
        List<TopicPartition> partitionOf = new ArrayList<>(records.count());
        for (TopicPartition tp : records.partitions()) {
            if (!claims.containsKey(tp)) {
                continue; // records of fenced-off or revoked partitions are another instance's to write
            }
            for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                ours.add(r);
                partitionOf.add(tp);
            }
        }
        List<RecordDecoder.Outcome> outcomes = decoder.decode(ours);
        long now = clock.millis();
        for (int i = 0; i < ours.size(); i++) {
            ConsumerRecord<byte[], byte[]> r = ours.get(i);
            TopicPartition tp = partitionOf.get(i);
            long size = Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize());
            stats.recordsRead.incrementAndGet();
            RecordDecoder.Outcome outcome = outcomes.get(i);
            if (outcome instanceof RecordDecoder.Outcome.Row row) {
                batch.add(tp, r.offset(), row.row(), size, row.eventMillis(), now);
            } else {
                if (outcome instanceof RecordDecoder.Outcome.Undecodable u) {
                    stats.skippedUndecodable.incrementAndGet();
                    LOG.warn(
                            "skipping a record that is not a canonical CloudEvent: topic={} partition={} offset={} reason={}",
                            r.topic(),
                            r.partition(),
                            r.offset(),
                            u.reason());
                } else {
                    stats.skippedIncomplete.incrementAndGet();
                    LOG.warn(
                            "skipping an event that cannot become a row: topic={} partition={} offset={} reason={}",
                            r.topic(),
                            r.partition(),
                            r.offset(),
                            ((RecordDecoder.Outcome.Incomplete) outcome).reason());
                }
                batch.add(tp, r.offset(), null, size, 0, now);
            }
            if (i + 1 < ours.size()) {
                BatchPolicy.CloseReason reason = batch.reasonToClose(policy, now);
                if (reason == BatchPolicy.CloseReason.RECORDS || reason == BatchPolicy.CloseReason.BYTES) {
                    long rewindsBefore = rewinds;
                    flush(reason, false);
                    if (rewinds != rewindsBefore) {
                        // the previous batch was fenced: everything uncommitted was dropped and the partitions it
                        // touched were rewound to the table's offsets; the rest of this poll is dropped as well and
                        // read again from there
                        rewindToClaims(ours.subList(i + 1, ours.size()));
                        return;
                    }
                }
            }
        }
    }

    /** Seeks the (still owned) partitions of records that are dropped unread to the offsets the table holds. */
    private void rewindToClaims(List<ConsumerRecord<byte[], byte[]>> dropped) {
        Set<TopicPartition> partitions = new java.util.LinkedHashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : dropped) {
            partitions.add(new TopicPartition(r.topic(), r.partition()));
        }
        for (TopicPartition tp : partitions) {
            PartitionClaim claim = claims.get(tp);
            if (claim != null) {
                seekToClaim(tp, claim);
            }
        }
    }

    /**
     * Closes the current batch and hands it to the writer thread (write Parquet, commit to the table), after the
     * previous batch's commit has completed and been accounted for: commits stay in order, at most one batch is in
     * flight, and the consumer thread goes on reading while a batch is written. With {@code wait}, returns only once
     * this batch is committed (rebalance, shutdown).
     */
    private void flush(BatchPolicy.CloseReason reason, boolean wait) {
        awaitInFlight();
        if (!batch.isEmpty()) {
            MicroBatch closing = batch;
            batch = new MicroBatch();
            SinkListener.BatchInfo info = new SinkListener.BatchInfo(
                    ++batchSequence,
                    closing.records(),
                    closing.rows().size(),
                    closing.bytes(),
                    reason,
                    closing.nextOffsets(),
                    closing.traces(SinkTelemetry.MAX_LINKS));
            Map<TopicPartition, PartitionClaim> held = Map.copyOf(claims);
            inFlight = new InFlight(
                    info,
                    closing,
                    CompletableFuture.supplyAsync(() -> writeAndCommit(info, closing, held), writerThread));
        }
        if (wait) {
            awaitInFlight();
        }
    }

    /** On the writer thread: the life of one batch up to its table commit. */
    private Outcome writeAndCommit(
            SinkListener.BatchInfo info, MicroBatch closing, Map<TopicPartition, PartitionClaim> held) {
        listener.batchClosing(info);
        List<DataFile> files = writer.write(closing.rows(), partitionWriters, writeParallelism);
        listener.filesWritten(info, files);
        CommitResult result = committer.commit(files, closing.nextOffsets(), held);
        if (result instanceof CommitResult.Committed committed) {
            LOG.info(
                    "batch {} committed: {} rows ({} records, {} bytes read, closed on {}) in {} files, snapshot {}",
                    info.sequence(),
                    info.rows(),
                    info.records(),
                    info.bytes(),
                    info.reason(),
                    files.size(),
                    committed.snapshotId());
            listener.batchCommitted(info, committed.snapshotId());
        } else {
            writer.delete(files);
            listener.batchFenced(info, ((CommitResult.Fenced) result).partitions());
        }
        return new Outcome(files, result);
    }

    /** What the writer thread did with a batch. */
    private record Outcome(List<DataFile> files, CommitResult result) {}

    /** The batch on the writer thread. */
    private record InFlight(SinkListener.BatchInfo info, MicroBatch batch, CompletableFuture<Outcome> outcome) {}

    /** Accounts for the in-flight batch if its commit is done, without waiting. */
    private void completeIfDone() {
        if (inFlight != null && inFlight.outcome().isDone()) {
            awaitInFlight();
        }
    }

    /**
     * Waits for the in-flight batch and applies its outcome on the consumer thread: advance the claims, count, commit
     * the consumer-group offsets; or, when fenced, drop what was read after it. A failure on the writer thread
     * (including a listener's) is rethrown here and stops the sink.
     */
    private void awaitInFlight() {
        if (inFlight == null) {
            return;
        }
        InFlight done = inFlight;
        inFlight = null;
        Outcome outcome;
        try {
            outcome = done.outcome().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
        Map<TopicPartition, Long> nextOffsets = done.batch().nextOffsets();
        if (outcome.result() instanceof CommitResult.Committed committed) {
            nextOffsets.forEach((tp, next) -> {
                PartitionClaim claim = claims.get(tp);
                if (claim != null) {
                    claims.put(tp, new PartitionClaim(claim.epoch(), next));
                }
            });
            stats.rowsCommitted.addAndGet(done.info().rows());
            stats.batchesCommitted.incrementAndGet();
            stats.filesCommitted.addAndGet(outcome.files().size());
            stats.fileBytesCommitted.addAndGet(outcome.files().stream()
                    .mapToLong(DataFile::fileSizeInBytes)
                    .sum());
            stats.commitRetries.addAndGet(committed.attempts() - 1);
            commitConsumerOffsets(nextOffsets);
        } else {
            stats.batchesFenced.incrementAndGet();
            dropAfterFencing(done.batch(), ((CommitResult.Fenced) outcome.result()).partitions());
        }
    }

    /** On failure: let a commit already under way finish (it is atomic either way), but account for nothing. */
    private void abandonInFlight() {
        if (inFlight != null) {
            try {
                inFlight.outcome().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("abandoned batch ended with {}", e.toString());
            }
            inFlight = null;
        }
    }

    /**
     * After a fenced commit: stop writing the fenced partitions; drop what was read after the fenced batch too (it
     * continues offsets that were never committed) and re-read the other partitions from their table offsets.
     */
    private void dropAfterFencing(MicroBatch fencedBatch, Set<TopicPartition> fenced) {
        rewinds++;
        MicroBatch readSince = batch;
        batch = new MicroBatch();
        for (TopicPartition tp : fenced) {
            claims.remove(tp);
        }
        consumer.pause(fenced);
        Set<TopicPartition> reread =
                new java.util.HashSet<>(fencedBatch.nextOffsets().keySet());
        reread.addAll(readSince.nextOffsets().keySet());
        for (TopicPartition tp : reread) {
            PartitionClaim claim = claims.get(tp);
            if (claim != null) {
                seekToClaim(tp, claim);
            }
        }
        owned = Set.copyOf(claims.keySet());
        LOG.warn("instance {} stopped writing {}: another instance claimed them", config.instanceId(), fenced);
    }

    private void commitConsumerOffsets(Map<TopicPartition, Long> nextOffsets) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        nextOffsets.forEach((tp, o) -> offsets.put(tp, new OffsetAndMetadata(o)));
        try {
            consumer.commitSync(offsets);
        } catch (WakeupException e) {
            stopRequested = true; // the wake-up was a stop request; the table holds the offsets anyway
        } catch (KafkaException e) {
            // the table holds the offsets; the group offsets only serve lag monitoring
            LOG.warn("consumer group offsets not committed (the table has them): {}", e.toString());
        }
    }

    private void seekToClaim(TopicPartition tp, PartitionClaim claim) {
        if (claim.committedOffset() != null) {
            consumer.seek(tp, claim.committedOffset());
        } else if ("latest".equals(config.startWithoutTableState())) {
            consumer.seekToEnd(List.of(tp));
        } else {
            consumer.seekToBeginning(List.of(tp));
        }
    }

    private Map<String, Object> consumerProperties() {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "quintet-sink-" + config.instanceId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, config.startWithoutTableState());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        p.putAll(config.kafkaClientOverrides());
        return p;
    }

    private void closeConsumer() {
        try {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(10)));
        } catch (RuntimeException e) {
            LOG.warn("closing the consumer failed: {}", e.toString());
        }
    }

    /** Claims on assignment, commits on revocation, drops on loss. Runs on the consumer thread inside poll/close. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!failed && !partitions.isEmpty()) {
                flush(BatchPolicy.CloseReason.REBALANCE, true);
            }
            partitions.forEach(claims::remove);
            owned = Set.copyOf(claims.keySet());
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // another instance may already own these: whatever we hold for them must not be committed; a commit
            // already under way is checked against the table like any other (and fenced if they moved on)
            if (!failed) {
                awaitInFlight();
            }
            rewinds++;
            MicroBatch lost = batch;
            batch = new MicroBatch();
            partitions.forEach(claims::remove);
            for (TopicPartition tp : lost.nextOffsets().keySet()) {
                PartitionClaim claim = claims.get(tp);
                if (claim != null) {
                    seekToClaim(tp, claim);
                }
            }
            owned = Set.copyOf(claims.keySet());
            LOG.warn("instance {} lost {}; dropped its uncommitted batch", config.instanceId(), partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (failed || partitions.isEmpty()) {
                return;
            }
            awaitInFlight(); // the table object is not shared with the writer thread: one commit at a time
            Map<TopicPartition, PartitionClaim> claimed = committer.claim(partitions);
            claims.putAll(claimed);
            claimed.forEach(AnalyticsSink.this::seekToClaim);
            consumer.resume(partitions);
            owned = Set.copyOf(claims.keySet());
        }
    }
}
