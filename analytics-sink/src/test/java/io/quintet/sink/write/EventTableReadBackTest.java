package io.quintet.sink.write;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;
import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.fixtures.EventFixtures;
import io.quintet.sink.app.AnalyticsSink;
import io.quintet.sink.commit.TableCommitter;
import io.quintet.sink.commit.TableCommitter.CommitResult;
import io.quintet.sink.config.SinkConfig;
import io.quintet.sink.fixtures.TestCatalogs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes fixture events through the sink's writer and committer and reads them back with Iceberg's own reader. */
class EventTableReadBackTest {
    private static final TopicPartition P0 = new TopicPartition("events.canonical", 0);

    @TempDir
    Path dir;

    SinkConfig config;
    Catalog catalog;

    @BeforeEach
    void catalog() {
        config = TestCatalogs.config(dir, Map.of());
        catalog = TestCatalogs.catalog(config);
    }

    private Table write(Table table, List<CanonicalEvent> events) {
        return write(table, events, null, 1);
    }

    private Table write(Table table, List<CanonicalEvent> events, ExecutorService pool, int parallelism) {
        EventRowMapper mapper = new EventRowMapper(table.schema());
        List<Record> rows = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            rows.add(mapper.toRecord(events.get(i), 0, i));
        }
        List<DataFile> files =
                new ParquetBatchWriter(table, table.schema(), 64L << 20, "t").write(rows, pool, parallelism);
        TableCommitter committer = new TableCommitter(table, "g", "t", 3, Duration.ofMillis(1));
        var claims = committer.claim(List.of(P0));
        assertThat(committer.commit(files, Map.of(P0, (long) events.size()), claims))
                .isInstanceOf(CommitResult.Committed.class);
        table.refresh();
        return table;
    }

    private static List<Record> read(Table table) {
        List<Record> out = new ArrayList<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
            rows.forEach(r -> out.add(r.copy()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static Record byId(List<Record> rows, String id) {
        return rows.stream()
                .filter(r -> id.equals(r.getField("event_id")))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void columnsReadBackWithTheirIcebergTypesAndNullsWhereTheEventHasNothing() {
        Table table = write(
                EventTableLayout.createOrEvolve(catalog, AnalyticsSink.tableIdentifier(config)),
                List.of(
                        EventFixtures.login(),
                        EventFixtures.invoiceCreated(),
                        EventFixtures.failedWorkflowRun(),
                        EventFixtures.failedLogin("fl-1", EventFixtures.T0.plusSeconds(5))));
        Types.StructType struct = table.schema().asStruct();
        assertThat(struct.fieldType("event_timestamp")).isEqualTo(Types.TimestampType.withZone());
        assertThat(struct.fieldType("duration_ms")).isEqualTo(Types.DoubleType.get());
        assertThat(struct.fieldType("kafka_offset")).isEqualTo(Types.LongType.get());
        assertThat(struct.fieldType("kafka_partition")).isEqualTo(Types.IntegerType.get());
        assertThat(struct.fields().stream().map(Types.NestedField::name))
                .doesNotContain("client_ip_address", "ip_address");

        List<Record> rows = read(table);
        assertThat(rows).hasSize(4);

        Record login = byId(rows, EventFixtures.login().id());
        assertThat(login.getField("event_timestamp")).isEqualTo(OffsetDateTime.parse("2026-11-02T09:15:30.123Z"));
        assertThat(login.getField("observed_timestamp")).isEqualTo(OffsetDateTime.parse("2026-11-02T09:15:30.163Z"));
        assertThat(login.getField("action_domain")).isEqualTo("auth");
        assertThat(login.getField("duration_ms")).isEqualTo(84.5);
        assertThat(login.getField("trace_id")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(login.getField("properties")).isEqualTo("{\"method\":\"password\",\"mfa\":true}");
        assertThat(login.getField("attributes"))
                .isEqualTo("{\"http.method\":\"POST\",\"deployment\":\"eu-west-1\",\"attempt\":1}");
        assertThat(login.getField("user_state_snapshot")).isNull();
        assertThat(login.getField("error_code")).isNull();
        assertThat(login.getField("causation_id")).isNull();
        assertThat(login.getField("kafka_partition")).isEqualTo(0);
        assertThat(login.getField("kafka_offset")).isEqualTo(0L);
        assertThat(rows.stream()
                        .flatMap(r -> r.struct().fields().stream().map(f -> r.getField(f.name())))
                        .map(String::valueOf))
                .as("no column holds the client IP")
                .noneMatch(v -> v.contains(EventFixtures.ALICE_IP));

        Record invoice = byId(rows, EventFixtures.invoiceCreated().id());
        assertThat(invoice.getField("entity_details"))
                .asString()
                .contains("\"amount\":1249.90")
                .contains("\"lines\":[{\"sku\":\"PRO-PLAN\",\"qty\":1}");
        assertThat(invoice.getField("audit_request")).isEqualTo("{\"customer\":\"user-alice-1001\",\"plan\":\"pro\"}");
        assertThat(invoice.getField("causation_id")).isEqualTo("cmd-checkout-881");
        assertThat(invoice.getField("duration_ms")).isNull();
        assertThat(invoice.getField("client_user_agent")).isNull();

        Record failed = byId(rows, "fl-1");
        assertThat(failed.getField("status")).isEqualTo("FAILURE");
        assertThat(failed.getField("error_code")).isEqualTo("invalid_credentials");
        assertThat(failed.getField("entity_id")).isNull();
        assertThat(failed.getField("entity_details")).isNull();
        assertThat(failed.getField("properties")).isNull();
        assertThat(failed.getField("client_user_agent")).isEqualTo("curl/8.5.0");
    }

    @Test
    void filesArePartitionedByEventDayAndActionDomainAndSortedByActionThenTime() throws IOException {
        assertPartitionedAndSorted(null, 1);
    }

    @Test
    void writingGroupsOfPartitionsInParallelGivesTheSameFiles() throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            assertPartitionedAndSorted(pool, 3);
        } finally {
            pool.shutdownNow();
        }
    }

    private void assertPartitionedAndSorted(ExecutorService pool, int parallelism) throws IOException {
        List<CanonicalEvent> events = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String action = List.of("billing.invoice.paid", "billing.invoice.created", "auth.user.login_failed")
                    .get(i % 3);
            events.add(EventFixtures.invoiceCreated().toBuilder()
                    .id("e" + i)
                    .action(action, "other")
                    .eventTimestamp(EventFixtures.T0.plus(Duration.ofHours(i)))
                    .build());
        }
        Table table = write(
                EventTableLayout.createOrEvolve(catalog, AnalyticsSink.tableIdentifier(config)),
                events,
                pool,
                parallelism);
        assertThat(read(table)).hasSize(60);

        assertThat(table.spec().fields().stream().map(PartitionField::name))
                .containsExactly("event_day", "action_domain");
        assertThat(table.spec().fields().get(0).transform().toString()).isEqualTo("day");
        assertThat(table.sortOrder().fields()).hasSize(2);

        List<String> partitions = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask t : tasks) {
                int day = t.file().partition().get(0, Integer.class);
                String domain = t.file().partition().get(1, String.class);
                partitions.add(LocalDate.ofEpochDay(day) + "/" + domain);
                List<Record> rows = new ArrayList<>();
                try (CloseableIterable<Record> in = IcebergGenerics.read(table)
                        .where(Expressions.equal("action_domain", domain))
                        .build()) {
                    in.forEach(r -> rows.add(r.copy()));
                }
                assertThat(rows).isNotEmpty();
            }
        }
        // 60 hours from 2026-11-02T09:15 cover 2026-11-02 .. 2026-11-04, two domains each
        assertThat(partitions)
                .containsExactlyInAnyOrder(
                        "2026-11-02/auth",
                        "2026-11-02/billing",
                        "2026-11-03/auth",
                        "2026-11-03/billing",
                        "2026-11-04/auth",
                        "2026-11-04/billing");

        // inside a file: by action name, then event time (files are read in order, one per partition)
        try (CloseableIterable<FileScanTask> tasks = table.newScan()
                .filter(Expressions.equal("action_domain", "billing"))
                .planFiles()) {
            for (FileScanTask t : tasks) {
                List<Record> rows = new ArrayList<>();
                try (CloseableIterable<Record> in = IcebergGenerics.read(table)
                        .where(Expressions.and(
                                Expressions.equal("action_domain", "billing"),
                                Expressions.equal(
                                        Expressions.day("event_timestamp"),
                                        t.file().partition().get(0, Integer.class))))
                        .build()) {
                    in.forEach(r -> rows.add(r.copy()));
                }
                List<String> keys = rows.stream()
                        .map(r -> r.getField("action_name") + "|" + r.getField("event_timestamp"))
                        .toList();
                assertThat(keys).isSorted();
                assertThat(rows.stream().map(r -> r.getField("action_name")).distinct())
                        .hasSize(2);
            }
        }
    }

    @Test
    void columnsUniquePerRowAreWrittenWithoutAParquetDictionaryAndRepeatingColumnsWithOne() throws IOException {
        List<CanonicalEvent> events = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            // few distinct ids, so a dictionary would pay off: only the table setting keeps it away from event_id
            events.add(EventFixtures.invoiceCreated().toBuilder()
                    .id("e" + (i % 3))
                    .action("billing.invoice.paid", "other")
                    .eventTimestamp(EventFixtures.T0.plusSeconds(i))
                    .build());
        }
        Table table = write(EventTableLayout.createOrEvolve(catalog, AnalyticsSink.tableIdentifier(config)), events);
        Map<String, Boolean> dictionaryPage = new java.util.HashMap<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            FileScanTask task = tasks.iterator().next();
            String location = task.file().location();
            Path file = location.startsWith("file:") ? Path.of(java.net.URI.create(location)) : Path.of(location);
            try (org.apache.parquet.hadoop.ParquetFileReader reader =
                    org.apache.parquet.hadoop.ParquetFileReader.open(new org.apache.parquet.io.LocalInputFile(file))) {
                reader.getFooter()
                        .getBlocks()
                        .get(0)
                        .getColumns()
                        .forEach(c -> dictionaryPage.put(c.getPath().toDotString(), c.hasDictionaryPage()));
            }
        }
        assertThat(dictionaryPage)
                .containsEntry(EventTableLayout.EVENT_ID, false)
                .containsEntry(EventTableLayout.KAFKA_OFFSET, false)
                .containsEntry(EventTableLayout.ACTION_NAME, true)
                .containsEntry(EventTableLayout.SOURCE, true);
    }

    @Test
    void aTableWrittenByAnOlderVersionGainsTheNewColumnsAndOldRowsReadThemAsNull() {
        TableIdentifier id = AnalyticsSink.tableIdentifier(config);
        Schema older = new Schema(
                required(1, "event_id", Types.StringType.get()),
                required(2, "event_timestamp", Types.TimestampType.withZone()),
                required(3, "action_name", Types.StringType.get()),
                required(4, "action_domain", Types.StringType.get()),
                required(5, "kafka_partition", Types.IntegerType.get()),
                required(6, "kafka_offset", Types.LongType.get()),
                optional(7, "status", Types.StringType.get()));
        Table old = catalog.buildTable(id, older)
                .withPartitionSpec(org.apache.iceberg.PartitionSpec.builderFor(older)
                        .day("event_timestamp", "event_day")
                        .identity("action_domain")
                        .build())
                .create();
        write(old, List.of(EventFixtures.failedWorkflowRun()));

        Table evolved = EventTableLayout.createOrEvolve(catalog, id);
        assertThat(evolved.schema().columns().stream()
                        .map(Types.NestedField::name)
                        .collect(Collectors.toSet()))
                .containsAll(EventTableLayout.SCHEMA.columns().stream()
                        .map(Types.NestedField::name)
                        .toList());
        Type traceType = evolved.schema().findType("trace_id");
        assertThat(traceType).isEqualTo(Types.StringType.get());
        write(
                evolved,
                List.of(EventFixtures.login(), EventFixtures.invoiceCreated().withOrganizationId("org-4711")));

        List<Record> rows = read(evolved);
        Record oldRow = byId(rows, EventFixtures.failedWorkflowRun().id());
        Record newRow = byId(rows, EventFixtures.login().id());
        assertThat(oldRow.getField("status")).isEqualTo(Context.Status.FAILURE.name());
        assertThat(oldRow.getField("trace_id"))
                .as("column added after the row was written")
                .isNull();
        assertThat(evolved.schema().findType(EventTableLayout.CHAIN_SEQ)).isEqualTo(Types.LongType.get());
        assertThat(evolved.schema().findType(EventTableLayout.CHAIN_PARTITION)).isEqualTo(Types.IntegerType.get());
        for (String c : List.of(EventTableLayout.CHAIN_SEQ, EventTableLayout.CHAIN_HASH, EventTableLayout.EVENT_JSON)) {
            assertThat(oldRow.getField(c))
                    .as("audit column " + c + " of a row from before chaining")
                    .isNull();
        }
        assertThat(newRow.getField("trace_id")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(evolved.schema().findField(EventTableLayout.ORGANIZATION_ID).isOptional())
                .isTrue();
        assertThat(oldRow.getField(EventTableLayout.ORGANIZATION_ID))
                .as("tenant column added after the row was written")
                .isNull();
        assertThat(newRow.getField(EventTableLayout.ORGANIZATION_ID))
                .as("an event without organisation")
                .isNull();
        assertThat(byId(rows, EventFixtures.invoiceCreated().id()).getField(EventTableLayout.ORGANIZATION_ID))
                .isEqualTo("org-4711");
        assertThat(newRow.getField("event_timestamp"))
                .isEqualTo(OffsetDateTime.of(2026, 11, 2, 9, 15, 30, 123_000_000, ZoneOffset.UTC));
    }

    @Test
    void aTableOfTheLayoutBeforeOrganizationIdGainsTheColumnAndItsEarlierSnapshotsReadItAsNull() {
        TableIdentifier id = AnalyticsSink.tableIdentifier(config);
        Schema before = new Schema(EventTableLayout.SCHEMA.columns().stream()
                .filter(f -> !f.name().equals(EventTableLayout.ORGANIZATION_ID))
                .toList());
        Table old = catalog.buildTable(id, before)
                .withPartitionSpec(org.apache.iceberg.PartitionSpec.builderFor(before)
                        .day(EventTableLayout.EVENT_TIMESTAMP, EventTableLayout.EVENT_DAY)
                        .identity(EventTableLayout.ACTION_DOMAIN)
                        .build())
                .create();
        write(old, List.of(EventFixtures.login()));
        long snapshotBefore = old.currentSnapshot().snapshotId();

        Table evolved = EventTableLayout.createOrEvolve(catalog, id);
        assertThat(evolved.schema().findField(EventTableLayout.ORGANIZATION_ID))
                .isNotNull()
                .satisfies(f -> assertThat(f.isOptional()).isTrue());
        CanonicalEvent tenantEvent = EventFixtures.invoiceCreated().withOrganizationId("org-4711");
        write(evolved, List.of(tenantEvent));

        List<Record> now = read(evolved);
        assertThat(byId(now, EventFixtures.login().id()).getField(EventTableLayout.ORGANIZATION_ID))
                .isNull();
        assertThat(byId(now, tenantEvent.id()).getField(EventTableLayout.ORGANIZATION_ID))
                .isEqualTo("org-4711");
        assertThat(io.quintet.sink.read.RowToEvent.of(byId(now, tenantEvent.id()))
                        .organizationId())
                .isEqualTo("org-4711");
        List<Record> then = new ArrayList<>();
        try (CloseableIterable<Record> rows =
                IcebergGenerics.read(evolved).useSnapshot(snapshotBefore).build()) {
            rows.forEach(r -> then.add(r.copy()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(then).singleElement().satisfies(r -> {
            Object organization = r.struct().field(EventTableLayout.ORGANIZATION_ID) == null
                    ? null
                    : r.getField(EventTableLayout.ORGANIZATION_ID);
            assertThat(organization).as("the snapshot from before the column").isNull();
            assertThat(io.quintet.sink.read.RowToEvent.of(r).organizationId()).isNull();
        });
    }

    @Test
    void aRowAnEarlierSinkWroteForAnEventWithOrganizationIdIsNotAlteredForTheVerifierAndReadsBackWithIt() {
        CanonicalEvent event = EventFixtures.invoiceCreated().toBuilder()
                .organizationId("org-4711")
                .extension("tier", "gold")
                .build();
        // what a sink version before the column saw: organization_id an unknown top-level field, kept in extensions
        CanonicalEvent asTheEarlierSinkSawIt = EventFixtures.invoiceCreated().toBuilder()
                .extension("tier", "gold")
                .extension("organization_id", "org-4711")
                .build();
        EventRowMapper mapper = new EventRowMapper(EventTableLayout.SCHEMA);
        Record legacy = mapper.toRecord(asTheEarlierSinkSawIt, 0, 1);
        assertThat(legacy.getField(EventTableLayout.ORGANIZATION_ID)).isNull();
        assertThat((String) legacy.getField(EventTableLayout.EXTENSIONS)).contains("organization_id");

        assertThat(mapper.differingColumns(legacy, event)).isEmpty();
        assertThat(mapper.differingColumns(mapper.toRecord(event, 0, 1), event)).isEmpty();
        Record changed = legacy.copy();
        changed.setField(EventTableLayout.EXTENSIONS, "{\"tier\":\"gold\",\"organization_id\":\"org-1\"}");
        assertThat(mapper.differingColumns(changed, event)).contains(EventTableLayout.EXTENSIONS);
        CanonicalEvent back = io.quintet.sink.read.RowToEvent.of(legacy);
        assertThat(back.organizationId()).isEqualTo("org-4711");
        assertThat(back.extensions()).containsOnlyKeys("tier");
    }

    @Test
    void unknownTopLevelFieldsOfANewerProducerLandInTheExtensionsColumn() {
        CanonicalEvent withNewField = EventFixtures.login().toBuilder()
                .extension("tenant_tier", "gold")
                .build();
        Table table = write(
                EventTableLayout.createOrEvolve(catalog, AnalyticsSink.tableIdentifier(config)), List.of(withNewField));
        assertThat(read(table).get(0).getField("extensions")).isEqualTo("{\"tenant_tier\":\"gold\"}");
    }
}
