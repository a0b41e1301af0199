package io.quintet.sink.history;

import io.quintet.model.CanonicalEvent;
import io.quintet.sink.read.RowToEvent;
import io.quintet.sink.write.EventTableLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * The events of one entity in the warm store, newest first, a page at a time: "the recent activity of invoice
 * INV-2026-0042" over the whole retained history. The days that may hold the entity are found from the table's file
 * statistics (one planning pass filtered on {@code entity_type} / {@code entity_id}; files whose id range excludes it
 * are skipped), then read newest day first until the page is full, so a page of recent events reads only the most
 * recent days that have any. Order: event time descending, then event id descending. The cursor is the position of
 * the last event returned (opaque: URL-safe base64 of its time and id), stable when newer events arrive.
 */
public final class EntityHistory {
    public static final int MAX_LIMIT = 200;

    /** One page; {@code nextCursor} is null on the last page. */
    public record Page(List<CanonicalEvent> events, String nextCursor) {}

    /** A position in the order above: events strictly after it (older, or same time and smaller id) come next. */
    record Position(long micros, String eventId) {
        String encode() {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString((micros + ":" + eventId).getBytes(StandardCharsets.UTF_8));
        }

        static Position decode(String cursor) {
            try {
                String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                int colon = s.indexOf(':');
                return new Position(Long.parseLong(s.substring(0, colon)), s.substring(colon + 1));
            } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
                throw new IllegalArgumentException("cursor is not one this API gave out");
            }
        }
    }

    private static final Comparator<Record> NEWEST_FIRST = Comparator.comparing(
                    (Record r) -> (OffsetDateTime) r.getField(EventTableLayout.EVENT_TIMESTAMP))
            .reversed()
            .thenComparing((Record r) -> (String) r.getField(EventTableLayout.EVENT_ID), Comparator.reverseOrder());

    private EntityHistory() {}

    /**
     * @param cursor null for the first page
     * @throws IllegalArgumentException on a limit outside 1..{@value #MAX_LIMIT} or a cursor not given out here
     */
    public static Page page(Table table, String entityType, String entityId, int limit, String cursor) {
        return page(table, entityType, entityId, limit, cursor, null);
    }

    /**
     * As {@link #page(Table, String, String, int, String)}, keeping only the events of {@code organization} (the
     * {@code organization_id} column; null: every event).
     */
    public static Page page(
            Table table, String entityType, String entityId, int limit, String cursor, String organization) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
        }
        Position after = cursor == null || cursor.isEmpty() ? null : Position.decode(cursor);
        Expression entity = Expressions.and(
                Expressions.equal(EventTableLayout.ENTITY_TYPE, entityType),
                Expressions.equal(EventTableLayout.ENTITY_ID, entityId));
        if (organization != null) {
            entity = Expressions.and(entity, Expressions.equal(EventTableLayout.ORGANIZATION_ID, organization));
        }
        Expression bounded = after == null
                ? entity
                : Expressions.and(
                        entity, Expressions.lessThanOrEqual(EventTableLayout.EVENT_TIMESTAMP, after.micros()));
        List<Record> found = new ArrayList<>();
        for (LocalDate day : candidateDays(table, bounded).descendingSet()) {
            long dayStart = micros(day.atStartOfDay(ZoneOffset.UTC).toInstant());
            Expression slice = Expressions.and(
                    bounded,
                    Expressions.greaterThanOrEqual(EventTableLayout.EVENT_TIMESTAMP, dayStart),
                    Expressions.lessThan(
                            EventTableLayout.EVENT_TIMESTAMP,
                            dayStart + ChronoUnit.DAYS.getDuration().toNanos() / 1000));
            List<Record> dayRows = new ArrayList<>();
            try (CloseableIterable<Record> rows =
                    IcebergGenerics.read(table).where(slice).build()) {
                for (Record r : rows) {
                    // the scan filter also prunes by statistics; rows are checked here exactly
                    if (entityType.equals(r.getField(EventTableLayout.ENTITY_TYPE))
                            && entityId.equals(r.getField(EventTableLayout.ENTITY_ID))
                            && (organization == null
                                    || organization.equals(r.getField(EventTableLayout.ORGANIZATION_ID)))
                            && (after == null || isAfter(r, after))) {
                        dayRows.add(r.copy());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + table.name() + " for " + day + " failed", e);
            }
            dayRows.sort(NEWEST_FIRST);
            found.addAll(dayRows);
            if (found.size() > limit) {
                break;
            }
        }
        List<Record> page = found.subList(0, Math.min(limit, found.size()));
        String next = found.size() > limit ? position(page.get(page.size() - 1)).encode() : null;
        return new Page(page.stream().map(RowToEvent::of).toList(), next);
    }

    /** Days (UTC) of the files that may hold rows matching {@code filter}, from the table's metadata and statistics. */
    static NavigableSet<LocalDate> candidateDays(Table table, Expression filter) {
        int dayField = -1;
        List<PartitionField> fields = table.spec().fields();
        for (int i = 0; i < fields.size(); i++) {
            if (EventTableLayout.EVENT_DAY.equals(fields.get(i).name())) {
                dayField = i;
            }
        }
        if (dayField < 0) {
            throw new IllegalStateException(
                    "table " + table.name() + " is not partitioned by " + EventTableLayout.EVENT_DAY);
        }
        NavigableSet<LocalDate> days = new TreeSet<>();
        try (CloseableIterable<FileScanTask> tasks =
                table.newScan().filter(filter).planFiles()) {
            for (FileScanTask task : tasks) {
                Integer daysSinceEpoch = task.file().partition().get(dayField, Integer.class);
                if (daysSinceEpoch != null) {
                    days.add(LocalDate.ofEpochDay(daysSinceEpoch));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("planning " + table.name() + " failed", e);
        }
        return days;
    }

    private static boolean isAfter(Record r, Position p) {
        long t = micros(((OffsetDateTime) r.getField(EventTableLayout.EVENT_TIMESTAMP)).toInstant());
        return t < p.micros()
                || (t == p.micros() && ((String) r.getField(EventTableLayout.EVENT_ID)).compareTo(p.eventId()) < 0);
    }

    private static Position position(Record r) {
        return new Position(
                micros(((OffsetDateTime) r.getField(EventTableLayout.EVENT_TIMESTAMP)).toInstant()),
                (String) r.getField(EventTableLayout.EVENT_ID));
    }

    private static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }
}
