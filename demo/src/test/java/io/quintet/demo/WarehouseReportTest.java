package io.quintet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warm store as the summary shows it: table figures, rows per partition, the SQL answer or why there is none. */
class WarehouseReportTest {

    @Test
    void fileLocationsBecomeLocalPathsAndOtherLocationsStayAsTheyAre() {
        assertThat(WarehouseReport.localPath("file:/tmp/wh/data/a.parquet")).isEqualTo("/tmp/wh/data/a.parquet");
        assertThat(WarehouseReport.localPath("file:///tmp/wh/data/x.parquet")).isEqualTo("/tmp/wh/data/x.parquet");
        assertThat(WarehouseReport.localPath("/tmp/wh/data/x.parquet")).isEqualTo("/tmp/wh/data/x.parquet");
        assertThat(WarehouseReport.localPath("s3://bucket/wh/x.parquet")).isEqualTo("s3://bucket/wh/x.parquet");
        assertThat(WarehouseReport.localPath("file:/tmp/my work/wh/a.parquet"))
                .as("a work folder with a space, as Iceberg writes it (not URI-encoded)")
                .isEqualTo("/tmp/my work/wh/a.parquet");
    }

    @Test
    void aWarehouseWithoutTheTableReportsItsNameAndNothingInIt(@TempDir Path work) throws Exception {
        Path config = work.resolve("sink.properties");
        Files.writeString(config, "catalog.warehouse=" + work.resolve("warehouse") + "\n");

        WarehouseReport w = WarehouseReport.read(config);

        assertThat(w.table).isEqualTo("quintet.events");
        assertThat(w.snapshots).isZero();
        assertThat(w.dataFiles).isZero();
        assertThat(w.rows).isZero();
        assertThat(w.sqlRows).isEmpty();
        assertThat(w.sqlError).isNull();
    }

    @Test
    void theReportPrintsFiguresRowsPerPartitionTheQueryAndItsAnswerOrError() {
        WarehouseReport w = new WarehouseReport();
        w.table = "quintet.events";
        w.snapshots = 4;
        w.dataFiles = 2;
        w.rows = 30;
        w.rowsPerPartition.put("event_date=2026-11-02/action_domain=auth", 10L);
        w.rowsPerPartition.put("event_date=2026-11-02/action_domain=billing", 20L);
        w.sqlRows.add("billing            20 events     4 actors   5.0 % failed");
        w.sqlError = "no files";

        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        w.print(new PrintStream(buffer, true, StandardCharsets.UTF_8));

        assertThat(buffer.toString(StandardCharsets.UTF_8).lines())
                .containsExactly(
                        "warehouse   Iceberg table quintet.events: 4 snapshot(s), 2 data file(s), 30 row(s)",
                        String.format("            %-52s %6d rows", "event_date=2026-11-02/action_domain=auth", 10),
                        String.format("            %-52s %6d rows", "event_date=2026-11-02/action_domain=billing", 20),
                        "sql         " + WarehouseReport.SAMPLE_SQL,
                        "            (DuckDB could not answer: no files)",
                        "            billing            20 events     4 actors   5.0 % failed");
    }
}
