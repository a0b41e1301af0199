package io.quintet.sink.write;

import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.quintet.model.EventDecodingException;
import io.quintet.model.cloudevents.CloudEventMapper;
import io.quintet.model.cloudevents.CloudEventSerde;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns consumed records into table rows: CloudEvent decoding ({@link CloudEventSerde#decode}), the canonical JSON
 * read straight into flat values ({@link CanonicalRowReader}; the domain binding for what is not plain) and the row
 * ({@link EventRowMapper}). Large polls are split over a few threads (decoding is most of the sink's CPU time);
 * results come back in record order.
 */
public final class RecordDecoder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RecordDecoder.class);
    private static final int MIN_RECORDS_PER_TASK = 256;

    private final EventRowMapper mapper;
    private final CanonicalRowReader rows = new CanonicalRowReader();
    private final int threads;
    private final ExecutorService pool;

    public RecordDecoder(EventRowMapper mapper, int threads) {
        this.mapper = mapper;
        this.threads = threads;
        AtomicInteger n = new AtomicInteger();
        this.pool = threads <= 1
                ? null
                : Executors.newFixedThreadPool(threads, r -> {
                    Thread t = new Thread(r, "sink-decoder-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** What became of one record. */
    public sealed interface Outcome {
        /** A row, with the event time (epoch millis) of its event. */
        record Row(Record row, long eventMillis) implements Outcome {}

        /** Not a canonical CloudEvent; {@code reason} is the typed decoding failure, never content. */
        record Undecodable(String reason) implements Outcome {}

        /** A canonical event that cannot become a row (lacks id, time or action name). */
        record Incomplete(String reason) implements Outcome {}
    }

    public List<Outcome> decode(List<ConsumerRecord<byte[], byte[]>> records) {
        int n = records.size();
        Outcome[] out = new Outcome[n];
        int tasks = pool == null ? 1 : Math.min(threads, Math.max(1, n / MIN_RECORDS_PER_TASK));
        if (tasks <= 1) {
            for (int i = 0; i < n; i++) {
                out[i] = decode(records.get(i));
            }
            return Arrays.asList(out);
        }
        List<CompletableFuture<Void>> futures = new ArrayList<>(tasks);
        int chunk = (n + tasks - 1) / tasks;
        for (int from = 0; from < n; from += chunk) {
            int start = from;
            int end = Math.min(n, from + chunk);
            futures.add(CompletableFuture.runAsync(
                    () -> {
                        for (int i = start; i < end; i++) {
                            out[i] = decode(records.get(i));
                        }
                    },
                    pool));
        }
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
        return Arrays.asList(out);
    }

    Outcome decode(ConsumerRecord<byte[], byte[]> r) {
        CloudEvent cloudEvent;
        FlatEvent event;
        try {
            // what CloudEventSerde.decode does, keeping the envelope for the audit chain extensions
            cloudEvent = CloudEventSerde.readCloudEvent(r.headers(), r.value());
            event = plain(cloudEvent);
            if (event == null) {
                event = FlatEvent.of(CloudEventMapper.fromCloudEvent(cloudEvent));
            }
        } catch (EventDecodingException e) {
            return new Outcome.Undecodable(e.reason().name());
        }
        ChainColumns chain = ChainColumns.of(cloudEvent);
        if (chain.problem() != null) {
            LOG.warn(
                    "record {}-{}@{} has malformed audit chain extensions ({}); stored without chain columns",
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    chain.problem());
        }
        EventRowMapper.RowResult row = mapper.toRow(event, r.partition(), r.offset(), chain);
        if (row instanceof EventRowMapper.RowResult.Rejected rejected) {
            return new Outcome.Incomplete(rejected.reason());
        }
        return new Outcome.Row(((EventRowMapper.RowResult.Row) row).record(), event.eventTimestamp.toEpochMilli());
    }

    /**
     * The flat event of a CloudEvent whose data is plain canonical JSON ({@link CanonicalRowReader}) and whose envelope
     * agrees with it with nothing to fill in: {@link CloudEventMapper#fromCloudEvent(CloudEvent)} would return the
     * bound data unchanged. Null in every other case (other content types, JSON that is not plain, an envelope that
     * contradicts the data or supplies a missing id, source, type, time or trace context): the caller then decodes
     * the general way, which fills in, or throws the typed failure.
     */
    FlatEvent plain(CloudEvent ce) {
        CloudEventData data = ce.getData();
        String contentType = ce.getDataContentType();
        if (data == null || (contentType != null && !contentType.equals(CloudEventMapper.CONTENT_TYPE))) {
            return null;
        }
        FlatEvent f = rows.read(data.toBytes());
        if (f == null
                || f.id == null
                || !f.id.equals(ce.getId())
                || f.source == null
                || ce.getSource() == null
                || !f.source.equals(ce.getSource().toString())
                || f.actionName == null
                || !f.actionName.equals(ce.getType())) {
            return null;
        }
        if (ce.getTime() != null
                && (f.eventTimestamp == null
                        || !f.eventTimestamp.equals(ce.getTime().toInstant()))) {
            return null;
        }
        if (f.traceId == null && f.spanId == null && ce.getExtension(CloudEventMapper.TRACEPARENT) != null) {
            return null; // the envelope's trace context may fill the telemetry
        }
        return f;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
