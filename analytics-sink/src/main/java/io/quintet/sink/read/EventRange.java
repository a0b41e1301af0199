package io.quintet.sink.read;

import io.quintet.model.ActionPattern;
import io.quintet.sink.write.EventTableLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * The rows of the events table whose {@code event_timestamp} is in {@code [from, to)} and, optionally, whose action
 * matches a pattern, read one UTC day at a time, oldest day first. Each day is one scan filtered on the event time
 * (Iceberg prunes the other day partitions) and, where the pattern allows it, on the action: a literal pattern filters
 * {@code action_name} (file statistics; files are sorted by it), a pattern with a literal first segment filters
 * {@code action_domain} (a partition column); the pattern itself is then applied to every row. A day's rows are
 * handed on sorted by event time, then Kafka partition and offset (the log order of one partition for equal times), so
 * the whole range comes out in event-time order. One day's matching rows are held in memory at a time.
 */
public final class EventRange {
    private final Instant from;
    private final Instant to;
    private final ActionPattern pattern;

    /** @param pattern null = every action */
    public EventRange(Instant from, Instant to, ActionPattern pattern) {
        this.from = Objects.requireNonNull(from, "from");
        this.to = Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("the range is empty: from " + from + " is not before to " + to);
        }
        this.pattern = pattern;
    }

    public Instant from() {
        return from;
    }

    public Instant to() {
        return to;
    }

    public ActionPattern pattern() {
        return pattern;
    }

    private static final Comparator<Record> EVENT_ORDER = Comparator.comparing(
                    (Record r) -> (java.time.OffsetDateTime) r.getField(EventTableLayout.EVENT_TIMESTAMP))
            .thenComparing(
                    r -> (Integer) r.getField(EventTableLayout.KAFKA_PARTITION),
                    Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(
                    r -> (Long) r.getField(EventTableLayout.KAFKA_OFFSET),
                    Comparator.nullsFirst(Comparator.naturalOrder()));

    /**
     * Reads the range, handing each matching row to {@code rows} in event-time order.
     *
     * @return rows read from the table (before the pattern was applied)
     */
    public long read(Table table, Consumer<Record> rows) {
        long scanned = 0;
        LocalDate last = to.minus(1, ChronoUnit.MICROS).atZone(ZoneOffset.UTC).toLocalDate();
        for (LocalDate day = from.atZone(ZoneOffset.UTC).toLocalDate(); !day.isAfter(last); day = day.plusDays(1)) {
            Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant start = max(from, dayStart);
            Instant end = min(to, dayStart.plus(1, ChronoUnit.DAYS));
            List<Record> matching = new ArrayList<>();
            try (CloseableIterable<Record> scan =
                    IcebergGenerics.read(table).where(filter(start, end)).build()) {
                for (Record r : scan) {
                    scanned++;
                    if (pattern == null || pattern.matches((String) r.getField(EventTableLayout.ACTION_NAME))) {
                        matching.add(r.copy());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + table.name() + " for " + day + " failed", e);
            }
            matching.sort(EVENT_ORDER);
            matching.forEach(rows);
        }
        return scanned;
    }

    /** The scan filter for one slice: time bounds and what of the pattern the table can use. */
    Expression filter(Instant start, Instant end) {
        Expression time = Expressions.and(
                Expressions.greaterThanOrEqual(EventTableLayout.EVENT_TIMESTAMP, micros(start)),
                Expressions.lessThan(EventTableLayout.EVENT_TIMESTAMP, micros(end)));
        if (pattern == null) {
            return time;
        }
        if (pattern.isLiteral()) {
            return Expressions.and(time, Expressions.equal(EventTableLayout.ACTION_NAME, pattern.toString()));
        }
        String first = pattern.toString().split("\\.", -1)[0];
        if (!"*".equals(first)) {
            return Expressions.and(time, Expressions.equal(EventTableLayout.ACTION_DOMAIN, first));
        }
        return time;
    }

    private static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    @Override
    public String toString() {
        return "[" + from + ", " + to + ")" + (pattern == null ? "" : " action " + pattern);
    }
}
