package io.quintet.sink.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.model.CanonicalEvent;
import io.quintet.sink.config.CatalogFactory;
import io.quintet.sink.config.ServeSettings;
import io.quintet.sink.config.SinkConfig;
import io.quintet.sink.fixtures.TableFixtures;
import io.quintet.sink.serve.WarmStoreServer;
import java.io.Closeable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example queries of docs/analytics-sink.md ("Example queries"), read from the document itself, answered by DuckDB
 * over the files Iceberg's REST client plans through {@link RestCatalogHandler}; every answer is checked against events
 * whose answers are known ({@link WarmStoreSample}).
 */
@Timeout(120)
class DocumentedQueriesTest {
    static final Path DOC = Path.of("..", "docs", "analytics-sink.md");

    @TempDir
    Path dir;

    /** The statements of the first {@code sql} block after the "### Example queries" heading, comments removed. */
    static List<String> documentedQueries() throws Exception {
        String doc = Files.readString(DOC);
        int heading = doc.indexOf("\n### Example queries\n");
        assertThat(heading).as("heading '### Example queries' in " + DOC).isPositive();
        int start = doc.indexOf("```sql\n", heading) + "```sql\n".length();
        String block = doc.substring(start, doc.indexOf("\n```", start));
        StringBuilder sql = new StringBuilder();
        for (String line : block.split("\n")) {
            if (!line.strip().startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String s : sql.toString().split(";")) {
            if (!s.isBlank()) {
                statements.add(s.strip());
            }
        }
        return statements;
    }

    private static List<List<String>> rows(Statement st, String sql) throws Exception {
        List<List<String>> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    row.add(v == null ? null : v.toString());
                }
                out.add(row);
            }
        }
        return out;
    }

    @Test
    void theDocumentedExampleQueriesGiveTheKnownAnswersOverTheTableAsTheRestCatalogServesIt() throws Exception {
        SinkConfig config = TableFixtures.config(dir, Map.of());
        Catalog sinkCatalog = CatalogFactory.create(config);
        Instant now = Instant.now();
        List<CanonicalEvent> events = WarmStoreSample.events(now);
        Table table = TableFixtures.append(TableFixtures.table(sinkCatalog, config), 0, 0, events.subList(0, 12));
        TableFixtures.append(table, 1, 0, events.subList(12, events.size()));

        List<String> files = new ArrayList<>();
        try (WarmStoreServer server = WarmStoreServer.start(
                        new ServeSettings("127.0.0.1", 0, ""),
                        new RestCatalogHandler(sinkCatalog, WarmStoreServer.CATALOG_PATH),
                        Map.of());
                RESTCatalog client = new RESTCatalog()) {
            client.setConf(CatalogFactory.hadoopConfiguration());
            client.initialize(
                    "duckdb-side", Map.of("uri", "http://127.0.0.1:" + server.port() + WarmStoreServer.CATALOG_PATH));
            Table served = client.loadTable(TableIdentifier.of("quintet", "events"));
            try (CloseableIterable<FileScanTask> tasks = served.newScan().planFiles()) {
                for (FileScanTask task : tasks) {
                    assertThat(task.deletes())
                            .as("no delete files: the files alone are the rows")
                            .isEmpty();
                    files.add(task.file().location());
                }
            }
        } finally {
            if (sinkCatalog instanceof Closeable c) {
                c.close();
            }
        }
        assertThat(files).hasSizeGreaterThan(1);

        List<String> queries = documentedQueries();
        assertThat(queries).hasSize(5);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = c.createStatement()) {
            st.execute("SET TimeZone = 'UTC'");
            StringBuilder list = new StringBuilder();
            for (String f : files) {
                list.append(list.length() == 0 ? "" : ",")
                        .append('\'')
                        .append(f.replace("'", "''"))
                        .append('\'');
            }
            st.execute("CREATE VIEW events AS SELECT * FROM read_parquet([" + list + "], union_by_name = true)");
            assertThat(rows(st, "SELECT count(*) FROM events")).containsExactly(List.of(String.valueOf(events.size())));

            // recent activity of an entity: newest first
            assertThat(rows(st, queries.get(0)))
                    .extracting(r -> r.get(1))
                    .containsExactly("billing.invoice.paid", "billing.invoice.sent", "billing.invoice.created");
            // e-mail open rate per sender and template
            assertThat(rows(st, queries.get(1)))
                    .containsExactly(
                            List.of("mailer-eu", "welcome", "4", "3", "0.75"),
                            List.of("mailer-us", "invoice", "2", "1", "0.5"));
            // payment lateness per month and weekday
            List<List<String>> lateness = rows(st, queries.get(2));
            assertThat(lateness).hasSize(2);
            assertThat(lateness.get(0).get(0)).startsWith("2026-11-01");
            assertThat(lateness.get(0).subList(1, 4)).containsExactly("Monday", "3", "20.0");
            assertThat(lateness.get(1).get(0)).startsWith("2026-12-01");
            assertThat(lateness.get(1).subList(1, 4)).containsExactly("Tuesday", "1", "5.0");
            // workflow failures of the last 7 days (the 30-day-old failure and the success do not count)
            assertThat(rows(st, queries.get(3)))
                    .containsExactly(
                            List.of("wf-import", "TIMEOUT", "2", "200.0"), List.of("wf-export", "QUOTA", "1", "50.0"));
            // one tenant's last 7 days (org-globex's run, its own 30-day-old one and events without one do not count)
            assertThat(rows(st, queries.get(4))).containsExactly(List.of("workflow", "3", "2"));
        }
    }
}
