package io.quintet.feeds.entities;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * Keys of the entity history stores (UTF-8 strings, compared byte-wise by RocksDB):
 * <ul>
 *   <li>entity: {@code type \0 id} (neither may hold {@code \0}); the repartition's partitioning key and the key of
 *       interactive-query routing;
 *   <li>event: {@code type \0 id \0 T eventId}, {@code T} = the event time in microseconds as 16 hex digits (sign bit
 *       flipped, so they sort as numbers): an entity's events are one key range in time order, then by event id;
 *   <li>expiry: {@code T} followed by the event key: every event in time order, for the retention sweep.
 * </ul>
 * A cursor is the warm store's ({@code io.quintet.sink.history.EntityHistory}): URL-safe base64 of
 * {@code micros:eventId}, the position of the last event of a page, so a page's cursor continues on either tier.
 */
public final class EntityKeys {
    static final char SEP = '\u0000';
    private static final int TIME_DIGITS = 16;

    private EntityKeys() {}

    /** Whether an entity can be kept: a type and an id without {@code \0}. */
    public static boolean storable(String type, String id) {
        return type != null
                && id != null
                && !type.isEmpty()
                && !id.isEmpty()
                && type.indexOf(SEP) < 0
                && id.indexOf(SEP) < 0;
    }

    public static String entity(String type, String id) {
        return type + SEP + id;
    }

    public static String event(String entity, long micros, String eventId) {
        return entity + SEP + time(micros) + eventId;
    }

    /** The smallest key of an entity's events. */
    static String first(String entity) {
        return entity + SEP;
    }

    /** A bound above every event key of the entity. */
    static String last(String entity) {
        return entity + '\u0001';
    }

    /** The entity part of an event key. */
    public static String entityOf(String eventKey) {
        return eventKey.substring(0, eventKey.indexOf(SEP, eventKey.indexOf(SEP) + 1));
    }

    static long microsOf(String eventKey) {
        int at = entityOf(eventKey).length() + 1;
        return Long.parseUnsignedLong(eventKey.substring(at, at + TIME_DIGITS), 16) ^ Long.MIN_VALUE;
    }

    static String eventIdOf(String eventKey) {
        return eventKey.substring(entityOf(eventKey).length() + 1 + TIME_DIGITS);
    }

    static String expiry(String eventKey) {
        return time(microsOf(eventKey)) + eventKey;
    }

    static String eventOfExpiry(String expiryKey) {
        return expiryKey.substring(TIME_DIGITS);
    }

    static String time(long micros) {
        String hex = Long.toHexString(micros ^ Long.MIN_VALUE);
        return "0".repeat(TIME_DIGITS - hex.length()) + hex;
    }

    public static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    /** The cursor after the event of {@code eventKey}: the warm store's format. */
    static String cursor(String eventKey) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((microsOf(eventKey) + ":" + eventIdOf(eventKey)).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The event key a cursor points at, for {@code entity}.
     *
     * @throws IllegalArgumentException when it is not a cursor of this API or the warm store's
     */
    static String fromCursor(String entity, String cursor) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = s.indexOf(':');
            return event(entity, Long.parseLong(s.substring(0, colon)), s.substring(colon + 1));
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("query parameter cursor: not a cursor this API gave out");
        }
    }
}
