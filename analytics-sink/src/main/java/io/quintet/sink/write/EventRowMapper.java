package io.quintet.sink.write;

import static io.quintet.sink.write.EventTableLayout.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.json.CanonicalJson;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;

/**
 * Flattens a canonical event into a row of the events table (see {@link EventTableLayout}). Maps become JSON text;
 * timestamps are UTC with microsecond precision. Columns the target schema lacks are left out, columns this mapper
 * does not know stay null. The client IP address is never written, whatever the event holds.
 */
public final class EventRowMapper {

    /** An event and where it was read from; {@code strings} shares the values of the low-cardinality columns. */
    record Source(FlatEvent event, int partition, long offset, ChainColumns chain, SharedStrings strings) {
        String shared(String value) {
            return strings.shared(value);
        }
    }

    /**
     * One instance per distinct value of the columns that take few values (source, action name, type and domain,
     * actor and entity type, error code, chain key id), so that the rows a batch holds until it is written do not
     * each carry their own copies: less memory held per row, less for the garbage collector to copy. Bounded: past
     * {@link #MAX} distinct values, values are returned as they are. Thread-safe (the decoder threads share it).
     */
    static final class SharedStrings {
        static final int MAX = 10_000;
        private final java.util.concurrent.ConcurrentHashMap<String, String> values =
                new java.util.concurrent.ConcurrentHashMap<>();

        String shared(String value) {
            if (value == null) {
                return null;
            }
            String known = values.get(value);
            if (known != null) {
                return known;
            }
            if (values.size() >= MAX) {
                return value;
            }
            known = values.putIfAbsent(value, value);
            return known == null ? value : known;
        }
    }

    private static final ObjectWriter JSON = CanonicalJson.newMapper().writer();
    private static final Map<String, Function<Source, Object>> COLUMNS = columns();

    private final GenericRecord template;
    private final SharedStrings strings = new SharedStrings();
    private final int[] positions;
    private final List<Function<Source, Object>> extractors;

    public EventRowMapper(Schema tableSchema) {
        this.template = GenericRecord.create(tableSchema);
        List<Types.NestedField> fields = tableSchema.columns();
        List<Integer> pos = new ArrayList<>();
        List<Function<Source, Object>> ex = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            Function<Source, Object> f = COLUMNS.get(fields.get(i).name());
            if (f != null) {
                pos.add(i);
                ex.add(f);
            }
        }
        this.positions = pos.stream().mapToInt(Integer::intValue).toArray();
        this.extractors = List.copyOf(ex);
    }

    /**
     * The row for an event, or the reason it cannot be one (it lacks id, event time or action name).
     */
    public RowResult toRow(CanonicalEvent event, int partition, long offset) {
        return toRow(event, partition, offset, ChainColumns.NONE);
    }

    /** The row for an event with its audit chain fields (and the event JSON they hash). */
    RowResult toRow(CanonicalEvent event, int partition, long offset, ChainColumns chain) {
        return toRow(FlatEvent.of(event), partition, offset, chain);
    }

    /** The row for the flat values of an event with its audit chain fields. */
    RowResult toRow(FlatEvent event, int partition, long offset, ChainColumns chain) {
        String missing = missingRequired(event);
        if (missing != null) {
            return new RowResult.Rejected(missing);
        }
        Source s = new Source(event, partition, offset, chain, strings);
        GenericRecord r = template.copy();
        for (int i = 0; i < positions.length; i++) {
            r.set(positions[i], extractors.get(i).apply(s));
        }
        return new RowResult.Row(r);
    }

    /** Convenience for callers that know the event is complete; throws when it is not. */
    public Record toRecord(CanonicalEvent event, int partition, long offset) {
        RowResult result = toRow(event, partition, offset);
        if (result instanceof RowResult.Rejected rejected) {
            throw new IllegalArgumentException("event cannot become a row: " + rejected.reason());
        }
        return ((RowResult.Row) result).record();
    }

    /**
     * The columns of a stored row that differ from what this mapper makes of {@code event} (the event its
     * {@code event_json} holds): names only, never values. Lineage, chain and {@code event_json} columns are not
     * derived from the event and are not compared.
     */
    public List<String> differingColumns(Record stored, CanonicalEvent event) {
        String missing = missingRequired(event);
        if (missing != null) {
            return List.of("event_json (" + missing + ")");
        }
        FlatEvent expected = FlatEvent.of(event);
        if (writtenBeforeOrganizationColumn(stored, event)) {
            expected.organizationId = null;
            expected.extensions = (String) stored.getField(EXTENSIONS);
        }
        Source s = new Source(expected, -1, -1, ChainColumns.NONE, strings);
        List<String> differing = new ArrayList<>();
        List<Types.NestedField> fields = template.struct().fields();
        for (int i = 0; i < positions.length; i++) {
            String name = fields.get(positions[i]).name();
            if (NOT_FROM_EVENT.contains(name)) {
                continue;
            }
            if (!java.util.Objects.equals(extractors.get(i).apply(s), stored.getField(name))) {
                differing.add(name);
            }
        }
        return differing;
    }

    /**
     * Whether {@code stored} is the row a sink version before the {@code organization_id} column wrote for this event:
     * no organisation in the column (or no column), and the field among the unknown top-level fields of the
     * {@code extensions} column with the event's other extensions (compared as maps: the order of the unknown fields
     * was the JSON's). Such a row is what that version wrote, not an altered one.
     */
    private static boolean writtenBeforeOrganizationColumn(Record stored, CanonicalEvent event) {
        if (event.organizationId() == null
                || !(storedField(stored, EXTENSIONS) instanceof String extensions)
                || storedField(stored, ORGANIZATION_ID) != null) {
            return false;
        }
        Map<String, Object> legacy = new java.util.HashMap<>(event.extensions());
        legacy.put(ORGANIZATION_ID, event.organizationId());
        try {
            return legacy.equals(LEGACY_JSON.readValue(extensions, Map.class));
        } catch (JsonProcessingException notJson) {
            return false; // then the extensions column differs, and is reported so
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper LEGACY_JSON = CanonicalJson.newMapper();

    private static Object storedField(Record stored, String name) {
        return stored.struct().field(name) == null ? null : stored.getField(name);
    }

    private static final java.util.Set<String> NOT_FROM_EVENT = java.util.Set.of(
            KAFKA_PARTITION,
            KAFKA_OFFSET,
            CHAIN_PARTITION,
            CHAIN_SEQ,
            CHAIN_PREV,
            CHAIN_HASH,
            CHAIN_KEY_ID,
            EVENT_JSON);

    /** A row, or why an event could not become one (names the missing field, never content). */
    public sealed interface RowResult {
        record Row(Record record) implements RowResult {}

        record Rejected(String reason) implements RowResult {}
    }

    static String missingRequired(CanonicalEvent e) {
        return missingRequired(
                e.id(),
                e.eventTimestamp(),
                e.action() == null ? null : e.action().name());
    }

    static String missingRequired(FlatEvent e) {
        return missingRequired(e.id, e.eventTimestamp, e.actionName);
    }

    private static String missingRequired(String id, Instant eventTimestamp, String actionName) {
        if (id == null || id.isBlank()) {
            return "missing id";
        }
        if (eventTimestamp == null) {
            return "missing event_timestamp";
        }
        if (actionName == null || actionName.isBlank()) {
            return "missing action.name";
        }
        return null;
    }

    /** The first segment of an action name: {@code billing} for {@code billing.invoice.created}. */
    public static String domainOf(String actionName) {
        int dot = actionName.indexOf('.');
        return dot < 0 ? actionName : actionName.substring(0, dot);
    }

    /**
     * {@code t} truncated to microseconds, at UTC. Built from the epoch second directly: {@code OffsetDateTime.ofInstant}
     * asks the offset for its {@code ZoneRules}, which Java 17 allocates anew on every call.
     */
    static OffsetDateTime utcMicros(Instant t) {
        if (t == null) {
            return null;
        }
        int micros = t.getNano() / 1000;
        return OffsetDateTime.of(
                LocalDateTime.ofEpochSecond(t.getEpochSecond(), micros * 1000, ZoneOffset.UTC), ZoneOffset.UTC);
    }

    public static String json(Map<String, ?> map) {
        if (map == null || map.isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("map value cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Map<String, Function<Source, Object>> columns() {
        Map<String, Function<Source, Object>> c = new LinkedHashMap<>();
        c.put(EVENT_ID, s -> s.event().id);
        c.put(EVENT_TIMESTAMP, s -> utcMicros(s.event().eventTimestamp));
        c.put(OBSERVED_TIMESTAMP, s -> utcMicros(s.event().observedTimestamp));
        c.put(SOURCE, s -> s.shared(s.event().source));
        c.put(SPEC_VERSION, s -> s.shared(s.event().specVersion));
        c.put(ACTION_NAME, s -> s.shared(s.event().actionName));
        c.put(ACTION_TYPE, s -> s.shared(s.event().actionType));
        c.put(ACTION_DOMAIN, s -> s.shared(domainOf(s.event().actionName)));
        c.put(ACTOR_ID, s -> s.event().actorId);
        c.put(ACTOR_TYPE, s -> s.shared(s.event().actorType));
        c.put(ACTOR_PSEUDONYM, s -> s.event().actorPseudonym);
        c.put(ACTOR_DETAILS, s -> s.event().actorDetails);
        c.put(ENTITY_ID, s -> s.event().entityId);
        c.put(ENTITY_TYPE, s -> s.shared(s.event().entityType));
        c.put(ENTITY_DETAILS, s -> s.event().entityDetails);
        c.put(STATUS, s -> s.event().status);
        c.put(ERROR_CODE, s -> s.shared(s.event().errorCode));
        c.put(ERROR_MESSAGE, s -> s.event().errorMessage);
        c.put(TRACE_ID, s -> s.event().traceId);
        c.put(SPAN_ID, s -> s.event().spanId);
        c.put(DURATION_MS, s -> s.event().durationMs);
        c.put(CLIENT_USER_AGENT, s -> s.event().clientUserAgent);
        c.put(CLIENT_SESSION_ID, s -> s.event().clientSessionId);
        c.put(CORRELATION_ID, s -> s.event().correlationId);
        c.put(CAUSATION_ID, s -> s.event().causationId);
        c.put(ATTRIBUTES, s -> s.event().attributes);
        c.put(PROPERTIES, s -> s.event().properties);
        c.put(USER_STATE_SNAPSHOT, s -> s.event().userStateSnapshot);
        c.put(AUDIT_REQUEST, s -> s.event().auditRequest);
        c.put(AUDIT_RESPONSE, s -> s.event().auditResponse);
        c.put(EXTENSIONS, s -> s.event().extensions);
        c.put(KAFKA_PARTITION, Source::partition);
        c.put(KAFKA_OFFSET, Source::offset);
        c.put(
                CHAIN_PARTITION,
                s -> s.chain().link() == null ? null : s.chain().link().partition());
        c.put(CHAIN_SEQ, s -> s.chain().link() == null ? null : s.chain().link().seq());
        c.put(
                CHAIN_PREV,
                s -> s.chain().link() == null ? null : s.chain().link().prev().hex());
        c.put(
                CHAIN_HASH,
                s -> s.chain().link() == null ? null : s.chain().link().hash().hex());
        c.put(
                CHAIN_KEY_ID,
                s -> s.chain().link() == null ? null : s.shared(s.chain().link().keyId()));
        c.put(EVENT_JSON, s -> s.chain().eventJson());
        c.put(ORGANIZATION_ID, s -> s.shared(s.event().organizationId));
        return Map.copyOf(c);
    }
}
