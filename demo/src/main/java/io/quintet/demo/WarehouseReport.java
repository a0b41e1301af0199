package io.quintet.demo;

import io.quintet.sink.config.CatalogFactory;
import io.quintet.sink.config.SinkConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;

/**
 * The warm store as an analyst sees it: the Iceberg table's snapshots, data files and rows per partition, and one
 * SQL query answered by DuckDB over the Parquet files of the table's current snapshot (only committed files, the
 * list coming from Iceberg's metadata).
 */
final class WarehouseReport {
    static final String SAMPLE_SQL = "SELECT action_domain, count(*) AS events, count(DISTINCT actor_id) AS actors, "
            + "round(100.0 * avg(CASE WHEN status = 'FAILURE' THEN 1 ELSE 0 END), 1) AS failure_pct "
            + "FROM events GROUP BY action_domain ORDER BY events DESC";

    String table;
    int snapshots;
    int dataFiles;
    long rows;
    final Map<String, Long> rowsPerPartition = new TreeMap<>();
    final List<String> sqlRows = new ArrayList<>();
    String sqlError;

    static WarehouseReport read(Path sinkConfigFile) throws Exception {
        WarehouseReport w = new WarehouseReport();
        SinkConfig config = SinkConfig.load(sinkConfigFile, Map.of());
        Catalog catalog = CatalogFactory.create(config);
        try {
            TableIdentifier id = TableIdentifier.of(config.tableNamespace(), config.tableName());
            w.table = id.toString();
            if (!catalog.tableExists(id)) {
                return w;
            }
            Table table = catalog.loadTable(id);
            for (Snapshot ignored : table.snapshots()) {
                w.snapshots++;
            }
            List<String> files = new ArrayList<>();
            try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
                for (FileScanTask task : tasks) {
                    w.dataFiles++;
                    w.rows += task.file().recordCount();
                    w.rowsPerPartition.merge(
                            table.spec().partitionToPath(task.file().partition()),
                            task.file().recordCount(),
                            Long::sum);
                    files.add(localPath(task.file().location()));
                }
            }
            if (!files.isEmpty()) {
                w.runSql(files);
            }
        } finally {
            if (catalog instanceof AutoCloseable c) {
                c.close();
            }
        }
        return w;
    }

    private void runSql(List<String> files) {
        StringBuilder list = new StringBuilder("[");
        for (String f : files) {
            list.append(list.length() > 1 ? "," : "")
                    .append('\'')
                    .append(f.replace("'", "''"))
                    .append('\'');
        }
        list.append(']');
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = c.createStatement()) {
            st.execute("CREATE VIEW events AS SELECT * FROM read_parquet(" + list + ")");
            try (ResultSet rs = st.executeQuery(SAMPLE_SQL)) {
                while (rs.next()) {
                    sqlRows.add(String.format(
                            "%-14s %6d events %5d actors %5.1f %% failed",
                            rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getDouble(4)));
                }
            }
        } catch (Exception e) {
            sqlError = e.getMessage();
        }
    }

    /**
     * A {@code file:} location of the catalog as a local path; any other location as it is. Iceberg writes local
     * locations as Hadoop paths do, not URI-encoded ({@code file:/work dir/x.parquet}), so the scheme is cut off,
     * not parsed.
     */
    static String localPath(String location) {
        if (location.startsWith("file://")) {
            return location.substring("file://".length());
        }
        return location.startsWith("file:") ? location.substring("file:".length()) : location;
    }

    void print(PrintStream out) {
        out.printf(
                "warehouse   Iceberg table %s: %d snapshot(s), %d data file(s), %d row(s)%n",
                table, snapshots, dataFiles, rows);
        rowsPerPartition.forEach((p, n) -> out.printf("            %-52s %6d rows%n", p, n));
        out.println("sql         " + SAMPLE_SQL);
        if (sqlError != null) {
            out.println("            (DuckDB could not answer: " + sqlError + ")");
        }
        sqlRows.forEach(r -> out.println("            " + r));
    }
}
