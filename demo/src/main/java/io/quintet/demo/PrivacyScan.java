package io.quintet.demo;

import io.quintet.model.topics.TopicCatalogue;
import io.quintet.sink.config.CatalogFactory;
import io.quintet.sink.config.SinkConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The privacy invariant, checked on a running pipeline: none of the raw personal values a run sent (ids, emails,
 * names, phones, full IP addresses: {@link PersonalData}) appears in any byte downstream of the enricher.
 * <ul>
 *   <li>Kafka: every record (key, every header's name and value, value) of {@code events.canonical},
 *       {@code feeds.updates}, {@code feeds.commands}, {@code metrics}, {@code alerts}, {@code audit.checkpoints} and
 *       of every internal topic of the feed-aggregator (changelogs, repartitions: the topics named after its
 *       application id), read with {@code read_uncommitted} so aborted transactions' bytes count too;</li>
 *   <li>the warm store: every cell of every row of the Iceberg table read back through Iceberg (current snapshot;
 *       the sink only appends), and every file under the warehouse: raw bytes (Parquet footers hold column
 *       statistics uncompressed), Avro manifests and manifest lists decoded as well (their column bounds can hold
 *       values and the files may be compressed), gzip files unpacked.</li>
 * </ul>
 * Each finding names the place precisely (topic/partition@offset and key/header/value; table row and column; file);
 * {@link Finding#toString()} masks the value itself. Not thread-safe: one scan per thread.
 */
public final class PrivacyScan {
    /** One raw personal value found somewhere it must not be. */
    public record Finding(String where, String value) {
        @Override
        public String toString() {
            return where + ": " + mask(value);
        }

        static String mask(String v) {
            return v.length() <= 4 ? "****" : v.substring(0, 3) + "***(" + v.length() + " chars)";
        }
    }

    private final SecretMatcher matcher;
    private final Map<String, Long> recordsPerTopic = new TreeMap<>();
    private final List<Finding> findings = new ArrayList<>();
    private long warehouseRows;
    private int warehouseFiles;

    public PrivacyScan(Collection<String> personalValues) {
        this.matcher = new SecretMatcher(personalValues);
    }

    /** The topics downstream of the enricher that exist on the broker, including the feed-aggregator's internal ones. */
    public static List<String> downstreamTopics(Admin admin, TopicCatalogue catalogue, String feedsApplicationId)
            throws Exception {
        Set<String> existing = admin.listTopics(new ListTopicsOptions().listInternal(false))
                .names()
                .get(30, TimeUnit.SECONDS);
        Set<String> out = new TreeSet<>();
        for (String logical : List.of(
                TopicCatalogue.EVENTS_CANONICAL,
                TopicCatalogue.FEEDS_UPDATES,
                TopicCatalogue.FEEDS_COMMANDS,
                TopicCatalogue.METRICS,
                TopicCatalogue.ALERTS,
                TopicCatalogue.AUDIT_CHECKPOINTS)) {
            String name = catalogue.name(logical);
            if (existing.contains(name)) {
                out.add(name);
            }
        }
        existing.stream().filter(t -> t.startsWith(feedsApplicationId + "-")).forEach(out::add);
        return new ArrayList<>(out);
    }

    /** Scans the downstream topics ({@link #downstreamTopics}) and the warm store the sink config names. */
    public static PrivacyScan ofPipeline(
            Collection<String> personalValues, String bootstrap, String feedsApplicationId, Path sinkConfigFile)
            throws Exception {
        PrivacyScan scan = new PrivacyScan(personalValues);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            scan.scanTopics(bootstrap, downstreamTopics(admin, TopicCatalogue.defaults(), feedsApplicationId));
        }
        scan.scanWarehouse(sinkConfigFile);
        return scan;
    }

    /** Every record of each topic, from the beginning to the end offsets at the time of the call. */
    public void scanTopics(String bootstrap, List<String> topics) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_uncommitted",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                2000);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (String topic : topics) {
                recordsPerTopic.putIfAbsent(topic, 0L);
                List<TopicPartition> tps = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
                consumer.assign(tps);
                consumer.seekToBeginning(tps);
                Map<TopicPartition, Long> end = consumer.endOffsets(tps, Duration.ofSeconds(10));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("could not read " + topic + " to its end within 60 s");
                    }
                    consumer.poll(Duration.ofMillis(200)).forEach(this::scanRecord);
                }
            }
        }
    }

    /** One record: its key, every header (name and value) and its value. */
    public void scanRecord(ConsumerRecord<byte[], byte[]> r) {
        recordsPerTopic.merge(r.topic(), 1L, Long::sum);
        String at = r.topic() + "/" + r.partition() + "@" + r.offset();
        check(r.key(), at + " key");
        for (Header h : r.headers()) {
            check(h.key().getBytes(StandardCharsets.UTF_8), at + " header name");
            check(h.value(), at + " header '" + h.key() + "'");
        }
        check(r.value(), at + " value");
    }

    /** The Iceberg table the sink configuration names, and every file of its warehouse. */
    public void scanWarehouse(Path sinkConfigFile) throws Exception {
        SinkConfig config = SinkConfig.load(sinkConfigFile, Map.of());
        Catalog catalog = CatalogFactory.create(config);
        try {
            TableIdentifier id = TableIdentifier.of(config.tableNamespace(), config.tableName());
            if (catalog.tableExists(id)) {
                scanTableRows(catalog.loadTable(id));
            }
        } finally {
            if (catalog instanceof AutoCloseable c) {
                c.close();
            }
        }
        scanFiles(localPath(config.warehouse()));
    }

    /** Every cell of every row of the table's current snapshot, read back through Iceberg. */
    public void scanTableRows(Table table) throws IOException {
        String name = table.name();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
            for (Record row : rows) {
                warehouseRows++;
                Object eventId = row.struct().field("event_id") != null ? row.getField("event_id") : null;
                String at = "warm store " + name + " row " + warehouseRows
                        + (eventId != null ? " (event_id " + eventId + ")" : "");
                for (int i = 0; i < row.size(); i++) {
                    String column = row.struct().fields().get(i).name();
                    leaves(row.get(i, Object.class), leaf -> check(leaf, at + " column " + column));
                }
            }
        }
    }

    /** Every file under a folder: raw bytes, plus Avro files decoded and gzip files unpacked. */
    public void scanFiles(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            warehouseFiles++;
            byte[] bytes = Files.readAllBytes(f);
            String at = "file " + root.relativize(f);
            check(bytes, at + " (raw bytes)");
            if (bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
                try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                    check(in.readAllBytes(), at + " (gunzipped)");
                }
            }
            if (bytes.length > 4 && bytes[0] == 'O' && bytes[1] == 'b' && bytes[2] == 'j' && bytes[3] == 1) {
                scanAvro(bytes, at);
            }
        }
    }

    private void scanAvro(byte[] bytes, String at) throws IOException {
        try (DataFileReader<Object> reader =
                new DataFileReader<>(new SeekableByteArrayInput(bytes), new GenericDatumReader<>())) {
            long n = 0;
            for (Object datum : reader) {
                n++;
                String where = at + " (Avro record " + n + ")";
                leaves(datum, leaf -> check(leaf, where));
            }
        }
    }

    /** Feeds every leaf value of a (nested) Iceberg or Avro value to {@code out} as bytes. */
    private static void leaves(Object v, Consumer<byte[]> out) {
        if (v == null) {
            return;
        }
        if (v instanceof byte[] b) {
            out.accept(b);
        } else if (v instanceof ByteBuffer buffer) {
            ByteBuffer copy = buffer.duplicate();
            byte[] b = new byte[copy.remaining()];
            copy.get(b);
            out.accept(b);
        } else if (v instanceof Record r) {
            for (int i = 0; i < r.size(); i++) {
                leaves(r.get(i, Object.class), out);
            }
        } else if (v instanceof GenericRecord r) {
            for (int i = 0; i < r.getSchema().getFields().size(); i++) {
                leaves(r.get(i), out);
            }
        } else if (v instanceof Map<?, ?> m) {
            m.forEach((k, val) -> {
                leaves(k, out);
                leaves(val, out);
            });
        } else if (v instanceof Collection<?> c) {
            c.forEach(e -> leaves(e, out));
        } else {
            out.accept(v.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private void check(byte[] bytes, String where) {
        for (String value : matcher.find(bytes)) {
            findings.add(new Finding(where, value));
        }
    }

    private static Path localPath(String location) {
        if (location.startsWith("file:")) {
            return Path.of(URI.create(
                    location.startsWith("file://") ? location : "file://" + location.substring("file:".length())));
        }
        return Path.of(location);
    }

    public List<Finding> findings() {
        return List.copyOf(findings);
    }

    public Map<String, Long> recordsPerTopic() {
        return Map.copyOf(recordsPerTopic);
    }

    public long warehouseRows() {
        return warehouseRows;
    }

    public int warehouseFiles() {
        return warehouseFiles;
    }

    /** How many distinct personal values were looked for. */
    public int valuesLookedFor() {
        return matcher.size();
    }

    public void print(PrintStream out) {
        long records =
                recordsPerTopic.values().stream().mapToLong(Long::longValue).sum();
        out.printf(
                "privacy     scan for %d raw personal values (ids, emails, names, phones, IPs) sent by the demo: "
                        + "%d records of %d topics, %d warm-store rows, %d warehouse files: %s%n",
                matcher.size(),
                records,
                recordsPerTopic.size(),
                warehouseRows,
                warehouseFiles,
                findings.isEmpty() ? "none found" : findings.size() + " FOUND");
        out.println("            records per topic: " + recordsPerTopic);
        findings.stream().limit(20).forEach(f -> out.println("            ! " + f));
    }
}
