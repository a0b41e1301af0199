package io.quintet.sink.config;

import io.quintet.sink.write.BatchPolicy;
import io.quintet.support.config.ConfigLoader;
import io.quintet.support.config.ServiceConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;

/**
 * Typed configuration of the analytics sink. Loaded with {@link ConfigLoader} layering (defaults, properties file,
 * {@code QUINTET_SINK_*} environment variables), read through {@link ServiceConfig}'s typed getters. Two families of names pass through unchecked:
 * {@code kafka.client.*} (handed to the Kafka consumer) and {@code catalog.property.*} (handed to the Iceberg
 * catalog, e.g. {@code catalog.property.jdbc.user} or {@code catalog.property.io-impl}).
 */
public final class SinkConfig extends ServiceConfig {
    public static final String ENV_PREFIX = "QUINTET_SINK_";
    public static final String CATALOG_PROPERTY_PREFIX = "catalog.property.";
    public static final String JDBC_CATALOG = "org.apache.iceberg.jdbc.JdbcCatalog";

    public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    public static final String TOPIC_PREFIX = "topics.prefix";
    public static final String GROUP_ID = "sink.group.id";
    public static final String INSTANCE_ID = "sink.instance.id";
    public static final String START_WITHOUT_TABLE_STATE = "sink.start.without.table.state";
    public static final String CATALOG_NAME = "catalog.name";
    public static final String CATALOG_IMPL = "catalog.impl";
    public static final String CATALOG_URI = "catalog.uri";
    public static final String WAREHOUSE = "catalog.warehouse";
    public static final String TABLE_NAMESPACE = "table.namespace";
    public static final String TABLE_NAME = "table.name";
    public static final String TARGET_FILE_SIZE = "table.target.file.size.bytes";
    public static final String PARTITION_BY_ORGANIZATION = "table.partition.by.organization";
    public static final String BATCH_MAX_RECORDS = "batch.max.records";
    public static final String BATCH_MAX_BYTES = "batch.max.bytes";
    public static final String BATCH_MAX_EVENT_TIME_SPAN_MS = "batch.max.event.time.span.ms";
    public static final String BATCH_MAX_AGE_MS = "batch.max.age.ms";
    public static final String POLL_TIMEOUT_MS = "poll.timeout.ms";
    public static final String DECODE_THREADS = "decode.threads";
    public static final String COMMIT_MAX_ATTEMPTS = "commit.max.attempts";
    public static final String COMMIT_BACKOFF_MS = "commit.backoff.ms";
    public static final String HEALTH_PORT = "health.port";
    public static final String RETENTION_RULES = "retention.rules";
    public static final String SNAPSHOT_MAX_AGE_MS = "maintenance.snapshot.max.age.ms";
    public static final String SNAPSHOT_RETAIN_LAST = "maintenance.snapshot.retain.last";
    public static final String ORPHAN_MIN_AGE_MS = "maintenance.orphan.min.age.ms";
    public static final String COMPACT_MIN_FILES = "maintenance.compact.min.files";
    public static final String ARCHIVE_DIR = "archive.dir";
    public static final String ARCHIVE_AFTER_DAYS = "archive.after.days";
    public static final String SERVE_HOST = "serve.host";
    public static final String SERVE_PORT = "serve.port";
    public static final String SERVE_TOKEN = "serve.token";

    private final String instanceId;
    private final Map<String, String> catalogProperties;
    private final MaintenanceSettings maintenance;
    private final ServeSettings serve;

    /** {@code checked}: every declared and {@code kafka.client.*} setting; the catalog properties split off. */
    private SinkConfig(Map<String, String> checked, Map<String, String> catalogProperties) {
        super(definition(), checked);
        String instance = getString(INSTANCE_ID);
        this.instanceId = instance.isBlank() ? defaultInstanceId() : instance;
        this.catalogProperties = Map.copyOf(catalogProperties);
        this.maintenance = new MaintenanceSettings(
                MaintenanceSettings.RetentionRule.parseList(getString(RETENTION_RULES)),
                getMillis(SNAPSHOT_MAX_AGE_MS),
                getInt(SNAPSHOT_RETAIN_LAST),
                getMillis(ORPHAN_MIN_AGE_MS),
                getInt(COMPACT_MIN_FILES),
                getString(ARCHIVE_DIR),
                Duration.ofDays(getInt(ARCHIVE_AFTER_DAYS)));
        this.serve = new ServeSettings(getString(SERVE_HOST), getInt(SERVE_PORT), getSecret(SERVE_TOKEN));
    }

    public static ConfigDef definition() {
        return new ConfigDef()
                .define(BOOTSTRAP_SERVERS, Type.STRING, "localhost:9092", Importance.HIGH, "Kafka bootstrap servers")
                .define(
                        TOPIC_PREFIX,
                        Type.STRING,
                        "",
                        Importance.MEDIUM,
                        "prefix of every Quintet topic name (the sink reads <prefix>events.canonical)")
                .define(
                        GROUP_ID,
                        Type.STRING,
                        "quintet-analytics-sink",
                        Importance.HIGH,
                        "consumer group shared by all sink instances writing the same table; also names the offsets in the table")
                .define(
                        INSTANCE_ID,
                        Type.STRING,
                        "",
                        Importance.LOW,
                        "name of this instance in snapshot summaries and logs (default: host name + random suffix)")
                .define(
                        START_WITHOUT_TABLE_STATE,
                        Type.STRING,
                        "earliest",
                        ValidString.in("earliest", "latest"),
                        Importance.MEDIUM,
                        "where to start a partition the table has no committed offset for")
                .define(CATALOG_NAME, Type.STRING, "quintet", Importance.LOW, "Iceberg catalog name")
                .define(
                        CATALOG_IMPL,
                        Type.STRING,
                        JDBC_CATALOG,
                        Importance.HIGH,
                        "Iceberg catalog class: org.apache.iceberg.jdbc.JdbcCatalog (SQLite or PostgreSQL) or org.apache.iceberg.rest.RESTCatalog")
                .define(
                        CATALOG_URI,
                        Type.STRING,
                        "",
                        Importance.HIGH,
                        "catalog URI; empty = embedded SQLite file catalog.db inside the warehouse directory")
                .define(
                        WAREHOUSE,
                        Type.STRING,
                        "data/warehouse",
                        Importance.HIGH,
                        "warehouse location: a local directory (embedded default) or s3://bucket/path")
                .define(
                        TABLE_NAMESPACE,
                        Type.STRING,
                        "quintet",
                        Importance.MEDIUM,
                        "Iceberg namespace of the events table")
                .define(TABLE_NAME, Type.STRING, "events", Importance.MEDIUM, "Iceberg table name")
                .define(
                        TARGET_FILE_SIZE,
                        Type.LONG,
                        128L * 1024 * 1024,
                        Range.atLeast(1024 * 1024),
                        Importance.LOW,
                        "roll to a new Parquet file past this size")
                .define(
                        PARTITION_BY_ORGANIZATION,
                        Type.BOOLEAN,
                        false,
                        Importance.LOW,
                        "partition a new events table by organization_id too (after day and action domain); applies "
                                + "when the table is created, an existing table keeps its partition spec")
                .define(
                        BATCH_MAX_RECORDS,
                        Type.INT,
                        100_000,
                        Range.atLeast(1),
                        Importance.MEDIUM,
                        "close a micro-batch after this many records")
                .define(
                        BATCH_MAX_BYTES,
                        Type.LONG,
                        64L * 1024 * 1024,
                        Range.atLeast(1024),
                        Importance.MEDIUM,
                        "close a micro-batch after this many record bytes (key + value as read from Kafka)")
                .define(
                        BATCH_MAX_EVENT_TIME_SPAN_MS,
                        Type.LONG,
                        Duration.ofMinutes(5).toMillis(),
                        Range.atLeast(1000),
                        Importance.MEDIUM,
                        "close a micro-batch once the events of any one partition in it span this much event time")
                .define(
                        BATCH_MAX_AGE_MS,
                        Type.LONG,
                        Duration.ofMinutes(5).toMillis(),
                        Range.atLeast(1000),
                        Importance.MEDIUM,
                        "close a micro-batch this long (wall clock) after its first record, so quiet topics land too")
                .define(
                        POLL_TIMEOUT_MS,
                        Type.LONG,
                        500L,
                        Range.between(10, 60_000),
                        Importance.LOW,
                        "consumer poll timeout")
                .define(
                        DECODE_THREADS,
                        Type.INT,
                        Math.min(4, Runtime.getRuntime().availableProcessors()),
                        Range.between(1, 64),
                        Importance.LOW,
                        "threads that decode CloudEvents and build rows")
                .define(
                        COMMIT_MAX_ATTEMPTS,
                        Type.INT,
                        20,
                        Range.atLeast(1),
                        Importance.LOW,
                        "attempts of one table commit when other instances commit at the same time")
                .define(
                        COMMIT_BACKOFF_MS,
                        Type.LONG,
                        50L,
                        Range.atLeast(0),
                        Importance.LOW,
                        "base back-off between commit attempts (grows with attempts, randomised)")
                .define(
                        HEALTH_PORT,
                        Type.INT,
                        -1,
                        Range.between(-1, 65535),
                        Importance.LOW,
                        "port of GET /healthz and /readyz for probes (-1 = off, 0 = any free port)")
                .define(
                        RETENTION_RULES,
                        Type.STRING,
                        MaintenanceSettings.DEFAULT_RULES,
                        (name, value) -> MaintenanceSettings.RetentionRule.parseList((String) value),
                        Importance.MEDIUM,
                        "warm-tier retention per action pattern, first match wins: <pattern>[@<organization>]=<keep>[/<archive after>]"
                                + " (@<organization>: a per-tenant override, listed before the rule it overrides),"
                                + " durations <n>d, <n>h or <n>y (365 d); no archive after = archive.after.days;"
                                + " an action no rule matches is kept (see docs/analytics-sink.md, Retention rules)")
                .define(
                        SNAPSHOT_MAX_AGE_MS,
                        Type.LONG,
                        Duration.ofDays(7).toMillis(),
                        Range.atLeast(60_000),
                        Importance.LOW,
                        "maintenance expires snapshots older than this")
                .define(
                        SNAPSHOT_RETAIN_LAST,
                        Type.INT,
                        20,
                        Range.atLeast(1),
                        Importance.LOW,
                        "maintenance always keeps this many newest snapshots")
                .define(
                        ORPHAN_MIN_AGE_MS,
                        Type.LONG,
                        Duration.ofDays(3).toMillis(),
                        Range.atLeast(60_000),
                        Importance.LOW,
                        "maintenance removes unreferenced files older than this")
                .define(
                        COMPACT_MIN_FILES,
                        Type.INT,
                        8,
                        Range.atLeast(2),
                        Importance.LOW,
                        "maintenance rewrites a partition holding at least this many data files")
                .define(
                        ARCHIVE_DIR,
                        Type.STRING,
                        "",
                        Importance.LOW,
                        "cold tier: directory closed partitions are exported to (empty = no export)")
                .define(
                        ARCHIVE_AFTER_DAYS,
                        Type.INT,
                        35,
                        Range.atLeast(1),
                        Importance.LOW,
                        "a partition is closed (exported) once its day is this many days old, for rules without their own archive after")
                .define(
                        SERVE_HOST,
                        Type.STRING,
                        "127.0.0.1",
                        Importance.LOW,
                        "bind address of the warm-store HTTP server (WarmStoreServerMain: Iceberg REST catalog, entity history)")
                .define(
                        SERVE_PORT,
                        Type.INT,
                        8181,
                        Range.between(0, 65535),
                        Importance.LOW,
                        "port of the warm-store HTTP server (0 = any free port)")
                .define(
                        SERVE_TOKEN,
                        Type.PASSWORD,
                        "",
                        Importance.MEDIUM,
                        "bearer token every request to the warm-store HTTP server must carry (empty = none; set it whenever serve.host is not a loopback address)");
    }

    /** Loads from an optional properties file and the environment (prefix {@value #ENV_PREFIX}). */
    public static SinkConfig load(Path file, Map<String, String> env) {
        return fromRaw(ConfigLoader.raw(file, env, ENV_PREFIX));
    }

    /** Parses raw settings (name to text); {@code catalog.property.*} are split off before validation. */
    public static SinkConfig fromRaw(Map<String, String> raw) {
        Map<String, String> checked = new LinkedHashMap<>();
        Map<String, String> catalogProps = new LinkedHashMap<>();
        raw.forEach((k, v) -> {
            if (k.startsWith(CATALOG_PROPERTY_PREFIX) && k.length() > CATALOG_PROPERTY_PREFIX.length()) {
                catalogProps.put(k.substring(CATALOG_PROPERTY_PREFIX.length()), v);
            } else {
                checked.put(k, v);
            }
        });
        return new SinkConfig(checked, catalogProps);
    }

    public String bootstrapServers() {
        return getString(BOOTSTRAP_SERVERS);
    }

    public String topicPrefix() {
        return getString(TOPIC_PREFIX);
    }

    public String groupId() {
        return getString(GROUP_ID);
    }

    /** {@value #INSTANCE_ID}, or when blank one made up at load time (host name and a random suffix). */
    public String instanceId() {
        return instanceId;
    }

    public String startWithoutTableState() {
        return getString(START_WITHOUT_TABLE_STATE);
    }

    public String catalogName() {
        return getString(CATALOG_NAME);
    }

    public String catalogImpl() {
        return getString(CATALOG_IMPL);
    }

    public String catalogUri() {
        return getString(CATALOG_URI);
    }

    public String warehouse() {
        return getString(WAREHOUSE);
    }

    public String tableNamespace() {
        return getString(TABLE_NAMESPACE);
    }

    public String tableName() {
        return getString(TABLE_NAME);
    }

    public long targetFileSizeBytes() {
        return getLong(TARGET_FILE_SIZE);
    }

    public boolean partitionByOrganization() {
        return getBoolean(PARTITION_BY_ORGANIZATION);
    }

    public int batchMaxRecords() {
        return getInt(BATCH_MAX_RECORDS);
    }

    public long batchMaxBytes() {
        return getLong(BATCH_MAX_BYTES);
    }

    public Duration batchMaxEventTimeSpan() {
        return getMillis(BATCH_MAX_EVENT_TIME_SPAN_MS);
    }

    public Duration batchMaxAge() {
        return getMillis(BATCH_MAX_AGE_MS);
    }

    public Duration pollTimeout() {
        return getMillis(POLL_TIMEOUT_MS);
    }

    public int decodeThreads() {
        return getInt(DECODE_THREADS);
    }

    public int commitMaxAttempts() {
        return getInt(COMMIT_MAX_ATTEMPTS);
    }

    public Duration commitBackoff() {
        return getMillis(COMMIT_BACKOFF_MS);
    }

    public MaintenanceSettings maintenance() {
        return maintenance;
    }

    /** {@value #CATALOG_PROPERTY_PREFIX}{@code *} settings with the prefix removed, handed to the Iceberg catalog. */
    public Map<String, String> catalogProperties() {
        return catalogProperties;
    }

    public int healthPort() {
        return getInt(HEALTH_PORT);
    }

    public ServeSettings serve() {
        return serve;
    }

    /** The batch-closing policy these settings describe. */
    public BatchPolicy batchPolicy() {
        return new BatchPolicy(batchMaxRecords(), batchMaxBytes(), batchMaxEventTimeSpan(), batchMaxAge());
    }

    /** A copy with other settings; for callers that assemble configuration in code (tests, benchmarks). */
    public SinkConfig with(Map<String, String> overrides) {
        Map<String, String> raw = new LinkedHashMap<>(toRaw());
        raw.putAll(overrides);
        return fromRaw(raw);
    }

    /** The settings as raw text, the inverse of {@link #fromRaw(Map)}. */
    public Map<String, String> toRaw() {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put(BOOTSTRAP_SERVERS, bootstrapServers());
        raw.put(TOPIC_PREFIX, topicPrefix());
        raw.put(GROUP_ID, groupId());
        raw.put(INSTANCE_ID, instanceId);
        raw.put(START_WITHOUT_TABLE_STATE, startWithoutTableState());
        raw.put(CATALOG_NAME, catalogName());
        raw.put(CATALOG_IMPL, catalogImpl());
        raw.put(CATALOG_URI, catalogUri());
        raw.put(WAREHOUSE, warehouse());
        raw.put(TABLE_NAMESPACE, tableNamespace());
        raw.put(TABLE_NAME, tableName());
        raw.put(TARGET_FILE_SIZE, String.valueOf(targetFileSizeBytes()));
        raw.put(PARTITION_BY_ORGANIZATION, String.valueOf(partitionByOrganization()));
        raw.put(BATCH_MAX_RECORDS, String.valueOf(batchMaxRecords()));
        raw.put(BATCH_MAX_BYTES, String.valueOf(batchMaxBytes()));
        raw.put(
                BATCH_MAX_EVENT_TIME_SPAN_MS,
                String.valueOf(batchMaxEventTimeSpan().toMillis()));
        raw.put(BATCH_MAX_AGE_MS, String.valueOf(batchMaxAge().toMillis()));
        raw.put(POLL_TIMEOUT_MS, String.valueOf(pollTimeout().toMillis()));
        raw.put(DECODE_THREADS, String.valueOf(decodeThreads()));
        raw.put(COMMIT_MAX_ATTEMPTS, String.valueOf(commitMaxAttempts()));
        raw.put(COMMIT_BACKOFF_MS, String.valueOf(commitBackoff().toMillis()));
        raw.put(HEALTH_PORT, String.valueOf(healthPort()));
        raw.put(
                RETENTION_RULES,
                String.join(
                        ",",
                        maintenance.retention().stream()
                                .map(MaintenanceSettings.RetentionRule::format)
                                .toList()));
        raw.put(SNAPSHOT_MAX_AGE_MS, String.valueOf(maintenance.snapshotMaxAge().toMillis()));
        raw.put(SNAPSHOT_RETAIN_LAST, String.valueOf(maintenance.snapshotRetainLast()));
        raw.put(ORPHAN_MIN_AGE_MS, String.valueOf(maintenance.orphanMinAge().toMillis()));
        raw.put(COMPACT_MIN_FILES, String.valueOf(maintenance.compactMinFiles()));
        raw.put(ARCHIVE_DIR, maintenance.archiveDir());
        raw.put(ARCHIVE_AFTER_DAYS, String.valueOf(maintenance.archiveAfter().toDays()));
        raw.put(SERVE_HOST, serve.host());
        raw.put(SERVE_PORT, String.valueOf(serve.port()));
        raw.put(SERVE_TOKEN, serve.token());
        catalogProperties.forEach((k, v) -> raw.put(CATALOG_PROPERTY_PREFIX + k, v));
        kafkaClientOverrides().forEach((k, v) -> raw.put(KAFKA_CLIENT_PREFIX + k, String.valueOf(v)));
        return raw;
    }

    private static String defaultInstanceId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "sink";
        }
        return host + "-"
                + Integer.toHexString(
                        java.util.concurrent.ThreadLocalRandom.current().nextInt(0x1000000));
    }

    /** Equal when every setting is (the values {@link #toRaw()} gives). */
    @Override
    public boolean equals(Object o) {
        return o instanceof SinkConfig other && toRaw().equals(other.toRaw());
    }

    @Override
    public int hashCode() {
        return toRaw().hashCode();
    }

    @Override
    public String toString() {
        // catalog properties may hold credentials (jdbc.password, s3 keys): print their names only
        return "SinkConfig{bootstrap=" + bootstrapServers() + ", group=" + groupId() + ", instance=" + instanceId
                + ", catalog=" + catalogImpl() + ", warehouse=" + warehouse() + ", table=" + tableNamespace() + "."
                + tableName()
                + ", batch=" + batchPolicy() + ", catalogProperties=" + catalogProperties.keySet() + "}";
    }

    /**
     * For the sink's command-line mains: the configuration file named by the first argument (none: defaults) and the
     * environment; when invalid, prints every problem and exits with status 2.
     */
    public static SinkConfig loadOrExit(java.nio.file.Path file) {
        try {
            return load(file, System.getenv());
        } catch (io.quintet.support.config.ConfigLoader.InvalidConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            throw e; // not reached
        }
    }
}
