package io.quintet.sink.write;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;

import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The layout of the warm-store events table: flattened canonical columns, JSON text columns for the free-form maps,
 * Kafka lineage columns; partitioned by day of {@code event_timestamp} and action domain; files sorted by action
 * name and event time.
 * <p>
 * Schema evolution: the table is created from {@link #SCHEMA}; when a newer sink version adds columns here, start-up
 * adds them to the existing table by name ({@code unionByNameWith}); old rows read them as null. New columns must be
 * optional. Canonical fields this version does not know yet are kept in the {@code extensions} JSON column.
 */
public final class EventTableLayout {
    private static final Logger LOG = LoggerFactory.getLogger(EventTableLayout.class);

    public static final String EVENT_ID = "event_id";
    public static final String EVENT_TIMESTAMP = "event_timestamp";
    public static final String OBSERVED_TIMESTAMP = "observed_timestamp";
    public static final String SOURCE = "source";
    public static final String SPEC_VERSION = "spec_version";
    public static final String ACTION_NAME = "action_name";
    public static final String ACTION_TYPE = "action_type";
    public static final String ACTION_DOMAIN = "action_domain";
    public static final String ACTOR_ID = "actor_id";
    public static final String ACTOR_TYPE = "actor_type";
    public static final String ACTOR_PSEUDONYM = "actor_pseudonym";
    public static final String ACTOR_DETAILS = "actor_details";
    public static final String ENTITY_ID = "entity_id";
    public static final String ENTITY_TYPE = "entity_type";
    public static final String ENTITY_DETAILS = "entity_details";
    public static final String STATUS = "status";
    public static final String ERROR_CODE = "error_code";
    public static final String ERROR_MESSAGE = "error_message";
    public static final String TRACE_ID = "trace_id";
    public static final String SPAN_ID = "span_id";
    public static final String DURATION_MS = "duration_ms";
    public static final String CLIENT_USER_AGENT = "client_user_agent";
    public static final String CLIENT_SESSION_ID = "client_session_id";
    public static final String CORRELATION_ID = "correlation_id";
    public static final String CAUSATION_ID = "causation_id";
    public static final String ATTRIBUTES = "attributes";
    public static final String PROPERTIES = "properties";
    public static final String USER_STATE_SNAPSHOT = "user_state_snapshot";
    public static final String AUDIT_REQUEST = "audit_request";
    public static final String AUDIT_RESPONSE = "audit_response";
    public static final String EXTENSIONS = "extensions";
    public static final String KAFKA_PARTITION = "kafka_partition";
    public static final String KAFKA_OFFSET = "kafka_offset";
    public static final String CHAIN_PARTITION = "chainpart";
    public static final String CHAIN_SEQ = "chainseq";
    public static final String CHAIN_PREV = "chainprev";
    public static final String CHAIN_HASH = "chainhash";
    public static final String CHAIN_KEY_ID = "chainkeyid";
    public static final String EVENT_JSON = "event_json";
    public static final String ORGANIZATION_ID = "organization_id";

    /** Name of the day partition field. */
    public static final String EVENT_DAY = "event_day";

    private static final Types.StringType STRING = Types.StringType.get();
    private static final Types.TimestampType TIMESTAMPTZ = Types.TimestampType.withZone();

    public static final Schema SCHEMA = new Schema(
            required(1, EVENT_ID, STRING, "canonical event id (the CloudEvents id)"),
            required(2, EVENT_TIMESTAMP, TIMESTAMPTZ, "when the action happened (UTC, microseconds)"),
            optional(3, OBSERVED_TIMESTAMP, TIMESTAMPTZ, "when the event was first observed"),
            optional(4, SOURCE, STRING, "producing system"),
            optional(5, SPEC_VERSION, STRING, "canonical spec version"),
            required(6, ACTION_NAME, STRING, "Domain.Entity.Action, e.g. billing.invoice.created"),
            optional(7, ACTION_TYPE, STRING, "create, read, update, delete, execute, access, communicate, other"),
            required(8, ACTION_DOMAIN, STRING, "first segment of action_name (partition column)"),
            optional(9, ACTOR_ID, STRING, "actor id as on events.canonical (a pseudonym for users)"),
            optional(10, ACTOR_TYPE, STRING, "user, service, anonymous, system"),
            optional(11, ACTOR_PSEUDONYM, STRING, "actor pseudonym"),
            optional(12, ACTOR_DETAILS, STRING, "actor details as JSON"),
            optional(13, ENTITY_ID, STRING, "entity id"),
            optional(14, ENTITY_TYPE, STRING, "entity type"),
            optional(15, ENTITY_DETAILS, STRING, "entity details as JSON"),
            optional(16, STATUS, STRING, "SUCCESS, FAILURE, PENDING, UNKNOWN"),
            optional(17, ERROR_CODE, STRING, "error code when status is FAILURE"),
            optional(18, ERROR_MESSAGE, STRING, "error message when status is FAILURE"),
            optional(19, TRACE_ID, STRING, "W3C trace id"),
            optional(20, SPAN_ID, STRING, "W3C span id"),
            optional(21, DURATION_MS, Types.DoubleType.get(), "duration of the operation in milliseconds"),
            optional(22, CLIENT_USER_AGENT, STRING, "client user agent"),
            optional(23, CLIENT_SESSION_ID, STRING, "client session id"),
            optional(24, CORRELATION_ID, STRING, "correlation id (event-sourcing lineage)"),
            optional(25, CAUSATION_ID, STRING, "causation id (event-sourcing lineage)"),
            optional(26, ATTRIBUTES, STRING, "context.attributes as JSON"),
            optional(27, PROPERTIES, STRING, "context.domain_specific.analytics.properties as JSON"),
            optional(28, USER_STATE_SNAPSHOT, STRING, "context.domain_specific.analytics.user_state_snapshot as JSON"),
            optional(29, AUDIT_REQUEST, STRING, "context.domain_specific.audit.request as JSON"),
            optional(30, AUDIT_RESPONSE, STRING, "context.domain_specific.audit.response as JSON"),
            optional(31, EXTENSIONS, STRING, "top-level canonical fields unknown to this sink version, as JSON"),
            required(32, KAFKA_PARTITION, Types.IntegerType.get(), "events.canonical partition the row was read from"),
            required(33, KAFKA_OFFSET, Types.LongType.get(), "offset of the record in that partition"),
            optional(
                    34,
                    CHAIN_PARTITION,
                    Types.IntegerType.get(),
                    "audit chain partition (CloudEvents extension chainpart)"),
            optional(35, CHAIN_SEQ, Types.LongType.get(), "sequence number in the audit chain (chainseq), from 1"),
            optional(36, CHAIN_PREV, STRING, "previous chain hash, 64 hex digits (chainprev)"),
            optional(37, CHAIN_HASH, STRING, "this event's chain hash, 64 hex digits (chainhash)"),
            optional(38, CHAIN_KEY_ID, STRING, "id of the HMAC chain key (chainkeyid)"),
            optional(
                    39,
                    EVENT_JSON,
                    STRING,
                    "the canonical event JSON exactly as on events.canonical (CloudEvent data), "
                            + "kept for chained events: the bytes the audit chain hashes"),
            optional(
                    40,
                    ORGANIZATION_ID,
                    STRING,
                    "the organisation (tenant) of the event; not personal data; null for "
                            + "events without one and for rows written before the column existed"));

    /** Every column that holds JSON text. */
    public static final List<String> JSON_COLUMNS = List.of(
            ACTOR_DETAILS,
            ENTITY_DETAILS,
            ATTRIBUTES,
            PROPERTIES,
            USER_STATE_SNAPSHOT,
            AUDIT_REQUEST,
            AUDIT_RESPONSE,
            EXTENSIONS,
            EVENT_JSON);

    /** The audit chain columns (null for events written before chaining was enabled). */
    public static final List<String> CHAIN_COLUMNS =
            List.of(CHAIN_PARTITION, CHAIN_SEQ, CHAIN_PREV, CHAIN_HASH, CHAIN_KEY_ID);

    public static final PartitionSpec SPEC = spec(false);

    /**
     * The partition spec of a new table: day of {@code event_timestamp}, action domain and, with
     * {@code table.partition.by.organization}, the organisation (a third identity field, so the day and the domain
     * stay the first two fields of every partition). Applied when the table is created; an existing table keeps its
     * spec (see docs/analytics-sink.md).
     */
    public static PartitionSpec spec(boolean byOrganization) {
        PartitionSpec.Builder b =
                PartitionSpec.builderFor(SCHEMA).day(EVENT_TIMESTAMP, EVENT_DAY).identity(ACTION_DOMAIN);
        return (byOrganization ? b.identity(ORGANIZATION_ID) : b).build();
    }

    public static final SortOrder SORT_ORDER =
            SortOrder.builderFor(SCHEMA).asc(ACTION_NAME).asc(EVENT_TIMESTAMP).build();

    /**
     * Columns whose values are (nearly) unique per row: a Parquet dictionary never pays off for them (the writer
     * hashes every value into the dictionary, then falls back to plain encoding when the file closes), so it is off.
     * The JSON columns are in: their texts rarely repeat whole, and zstd still compresses what they share.
     */
    public static final List<String> UNIQUE_PER_ROW = java.util.stream.Stream.concat(
                    java.util.stream.Stream.of(
                            EVENT_ID,
                            EVENT_TIMESTAMP,
                            OBSERVED_TIMESTAMP,
                            KAFKA_OFFSET,
                            TRACE_ID,
                            SPAN_ID,
                            CORRELATION_ID,
                            CAUSATION_ID,
                            DURATION_MS,
                            CLIENT_SESSION_ID,
                            CHAIN_SEQ,
                            CHAIN_PREV,
                            CHAIN_HASH),
                    JSON_COLUMNS.stream())
            .toList();

    /**
     * Columns that take many values (actors, entities) without being unique per row: a Parquet dictionary per file
     * hardly repeats a value, and zstd compresses the plain values as well. Measured on the benchmark's events
     * (10,000 actors, about 13,000 rows per file): the files are as large with the dictionary off (these three columns
     * smaller), and writing a row cost roughly a tenth less CPU (a noisy single-thread measurement). Dictionary encoding stays on for the low-cardinality
     * columns (source, action, types, status, error code, user agent, partition).
     */
    public static final List<String> HIGH_CARDINALITY = List.of(ACTOR_ID, ACTOR_PSEUDONYM, ENTITY_ID);

    /**
     * Table properties set at creation. Column statistics (min/max in manifests) are kept for the columns queries
     * filter on and left out for JSON text and unique ids, where they only cost write time and manifest size.
     */
    public static final Map<String, String> PROPERTIES_AT_CREATION = propertiesAtCreation();

    private static Map<String, String> propertiesAtCreation() {
        Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put(TableProperties.FORMAT_VERSION, "2");
        p.put(TableProperties.DEFAULT_FILE_FORMAT, "parquet");
        p.put(TableProperties.PARQUET_COMPRESSION, "zstd");
        p.put(TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true");
        p.put(TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "100");
        for (String column : JSON_COLUMNS) {
            p.put(TableProperties.METRICS_MODE_COLUMN_CONF_PREFIX + column, "counts");
        }
        for (String column :
                List.of(SPAN_ID, CLIENT_SESSION_ID, ERROR_MESSAGE, CLIENT_USER_AGENT, CHAIN_PREV, CHAIN_HASH)) {
            p.put(TableProperties.METRICS_MODE_COLUMN_CONF_PREFIX + column, "counts");
        }
        for (String column : UNIQUE_PER_ROW) {
            p.put(TableProperties.PARQUET_DICT_ENCODING_ENABLED_COLUMN_PREFIX + column, "false");
        }
        for (String column : HIGH_CARDINALITY) {
            p.put(TableProperties.PARQUET_DICT_ENCODING_ENABLED_COLUMN_PREFIX + column, "false");
        }
        return Map.copyOf(p);
    }

    private EventTableLayout() {}

    /**
     * Loads the events table, creating it (and its namespace) when missing and adding columns this version knows
     * that the table lacks. Safe to call from several instances at once.
     */
    public static Table createOrEvolve(Catalog catalog, TableIdentifier id) {
        return createOrEvolve(catalog, id, false);
    }

    /** {@link #createOrEvolve(Catalog, TableIdentifier)}; a new table partitioned by organisation too when asked. */
    public static Table createOrEvolve(Catalog catalog, TableIdentifier id, boolean partitionByOrganization) {
        if (!catalog.tableExists(id)) {
            createNamespace(catalog, id.namespace());
            try {
                Table created = catalog.buildTable(id, SCHEMA)
                        .withPartitionSpec(spec(partitionByOrganization))
                        .withSortOrder(SORT_ORDER)
                        .withProperties(PROPERTIES_AT_CREATION)
                        .create();
                LOG.info("created Iceberg table {} at {}", id, created.location());
                return created;
            } catch (AlreadyExistsException e) {
                LOG.info("table {} was created concurrently by another instance", id);
            }
        }
        Table table = catalog.loadTable(id);
        evolve(table);
        return table;
    }

    /** Adds the columns of {@link #SCHEMA} that the table does not have yet. */
    static void evolve(Table table) {
        List<String> missing = SCHEMA.columns().stream()
                .map(Types.NestedField::name)
                .filter(n -> table.schema().findField(n) == null)
                .toList();
        if (missing.isEmpty()) {
            return;
        }
        table.updateSchema().unionByNameWith(SCHEMA).commit();
        LOG.info("schema of {} evolved: added columns {}", table.name(), missing);
    }

    private static void createNamespace(Catalog catalog, Namespace ns) {
        if (ns.isEmpty() || !(catalog instanceof SupportsNamespaces namespaces) || namespaces.namespaceExists(ns)) {
            return;
        }
        try {
            namespaces.createNamespace(ns);
        } catch (AlreadyExistsException e) {
            // created concurrently: fine
        }
    }
}
