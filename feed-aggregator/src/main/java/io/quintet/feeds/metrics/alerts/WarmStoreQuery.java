package io.quintet.feeds.metrics.alerts;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A ready SQL query over the warm store (Iceberg table {@value #TABLE}, columns as in docs/analytics-sink.md) that
 * lists the events behind an alert: the rule's action pattern, its filter, the alert's group and window (event time,
 * {@code [start, end)}). Written for DuckDB (the engine of the docs' sample queries); plain SQL apart from
 * {@code json_extract_string} for fields that live in the table's JSON columns.
 * <p>
 * A group or filter field the table has no column for (the client IP of {@code ip_prefix}: the sink never writes it)
 * cannot be filtered on; the query then says so in a comment and lists every event of the rule in the window.
 */
public final class WarmStoreQuery {
    public static final String TABLE = "quintet.events";
    private static final DateTimeFormatter TS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    /** JSON pointer prefix -> the table's JSON column holding that object. */
    private static final Map<String, String> JSON_COLUMNS = Map.of(
            "/context/attributes/", "attributes",
            "/context/domain_specific/analytics/properties/", "properties",
            "/context/domain_specific/analytics/user_state_snapshot/", "user_state_snapshot",
            "/entity/details/", "entity_details",
            "/actor/details/", "actor_details");
    /** JSON pointer -> the flattened column. */
    private static final Map<String, String> COLUMNS = Map.ofEntries(
            Map.entry("/id", "event_id"),
            Map.entry("/source", "source"),
            Map.entry("/spec_version", "spec_version"),
            Map.entry("/action/name", "action_name"),
            Map.entry("/action/type", "action_type"),
            Map.entry("/actor/id", "actor_id"),
            Map.entry("/actor/type", "actor_type"),
            Map.entry("/actor/pseudonym", "actor_pseudonym"),
            Map.entry("/entity/id", "entity_id"),
            Map.entry("/entity/type", "entity_type"),
            Map.entry("/context/status", "status"),
            Map.entry("/context/error/code", "error_code"),
            Map.entry("/context/telemetry/trace_id", "trace_id"),
            Map.entry("/context/telemetry/span_id", "span_id"),
            Map.entry("/context/client/user_agent", "client_user_agent"),
            Map.entry("/context/client/session_id", "client_session_id"),
            Map.entry("/correlation_id", "correlation_id"),
            Map.entry("/causation_id", "causation_id"));

    private WarmStoreQuery() {}

    /** The events the rule counted for {@code group} in the window {@code [start, end)}. */
    public static String of(AlertRule rule, String group, Instant start, Instant end) {
        List<String> where = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String pattern = rule.pattern().toString();
        String first = pattern.substring(0, pattern.indexOf('.') < 0 ? pattern.length() : pattern.indexOf('.'));
        if (!first.equals("*")) {
            where.add("action_domain = " + literal(first)); // partition pruning
        }
        where.add(
                pattern.contains("*")
                        ? "action_name LIKE " + literal(likePattern(pattern)) + " ESCAPE '\\'"
                        : "action_name = " + literal(pattern));
        for (Map.Entry<String, Set<String>> f : new java.util.TreeMap<>(rule.filter()).entrySet()) {
            Optional<String> column = column(f.getKey());
            if (column.isEmpty()) {
                notes.add("filter " + f.getKey() + " has no column in the warm store: not applied");
                continue;
            }
            Set<String> values = new TreeSet<>(f.getValue());
            where.add(
                    values.size() == 1
                            ? column.get() + " = " + literal(values.iterator().next())
                            : column.get() + " IN ("
                                    + String.join(
                                            ", ",
                                            values.stream()
                                                    .map(WarmStoreQuery::literal)
                                                    .toList()) + ")");
        }
        Optional<String> groupColumn = switch (rule.groupBy().spec()) {
            case "actor" -> Optional.of("actor_id");
            case "source" -> Optional.of("source");
            case "entity" -> Optional.of("entity_id");
            case "ip_prefix" -> Optional.empty();
            default -> column(rule.groupBy().spec());
        };
        if (groupColumn.isPresent()) {
            where.add(groupColumn.get() + " = " + literal(group));
        } else {
            notes.add("group_by " + rule.groupBy().spec() + " has no column in the warm store (the client IP is never "
                    + "written): every group's events are listed");
        }
        where.add("event_timestamp >= TIMESTAMPTZ " + literal(TS.format(start) + "+00"));
        where.add("event_timestamp < TIMESTAMPTZ " + literal(TS.format(end) + "+00"));
        StringBuilder sql = new StringBuilder();
        for (String note : notes) {
            sql.append("-- ").append(note).append('\n');
        }
        sql.append("SELECT event_id, event_timestamp, action_name, actor_id, source, entity_type, entity_id, status, ")
                .append("correlation_id, trace_id, span_id\nFROM ")
                .append(TABLE)
                .append("\nWHERE ")
                .append(String.join("\n  AND ", where))
                .append("\nORDER BY event_timestamp, event_id");
        return sql.toString();
    }

    /**
     * The events of one metric series (an anomaly rule's alert) in the window {@code [start, end)}: one action
     * ({@code action}), every action of a domain ({@code domain}, value {@code billing.*}) or one source.
     */
    public static String ofSeries(
            io.quintet.feeds.metrics.MetricDimension dimension, String value, Instant start, Instant end) {
        List<String> where = new ArrayList<>();
        switch (dimension) {
            case ACTION -> {
                int dot = value.indexOf('.');
                if (dot > 0) {
                    where.add("action_domain = " + literal(value.substring(0, dot))); // partition pruning
                }
                where.add("action_name = " + literal(value));
            }
            case DOMAIN ->
                where.add("action_domain = "
                        + literal(value.endsWith(".*") ? value.substring(0, value.length() - 2) : value));
            case SOURCE -> where.add("source = " + literal(value));
        }
        where.add("event_timestamp >= TIMESTAMPTZ " + literal(TS.format(start) + "+00"));
        where.add("event_timestamp < TIMESTAMPTZ " + literal(TS.format(end) + "+00"));
        return "SELECT event_id, event_timestamp, action_name, actor_id, source, entity_type, entity_id, status, "
                + "correlation_id, trace_id, span_id\nFROM " + TABLE + "\nWHERE " + String.join("\n  AND ", where)
                + "\nORDER BY event_timestamp, event_id";
    }

    /** The column (or JSON extraction) holding the field at a JSON pointer of the canonical event, if the table has one. */
    static Optional<String> column(String pointer) {
        String flat = COLUMNS.get(pointer);
        if (flat != null) {
            return Optional.of(flat);
        }
        for (Map.Entry<String, String> json : new java.util.TreeMap<>(JSON_COLUMNS).entrySet()) {
            if (pointer.startsWith(json.getKey())
                    && pointer.length() > json.getKey().length()) {
                List<String> path = new ArrayList<>();
                for (String token : pointer.substring(json.getKey().length()).split("/", -1)) {
                    String name = token.replace("~1", "/").replace("~0", "~");
                    path.add(name.matches("[A-Za-z_][A-Za-z0-9_]*") ? name : "\"" + name.replace("\"", "\\\"") + "\"");
                }
                return Optional.of(
                        "json_extract_string(" + json.getValue() + ", " + literal("$." + String.join(".", path)) + ")");
            }
        }
        return Optional.empty();
    }

    /** An action pattern as a LIKE pattern: {@code *} (one or more whole segments) becomes {@code %}; {@code _} and {@code %} are escaped. */
    static String likePattern(String pattern) {
        StringBuilder b = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> b.append('%');
                case '_', '%', '\\' -> b.append('\\').append(c);
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
