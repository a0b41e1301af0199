package io.quintet.sink.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quintet.model.CanonicalEvent;
import io.quintet.sink.config.CatalogFactory;
import io.quintet.sink.config.ServeSettings;
import io.quintet.sink.config.SinkConfig;
import io.quintet.sink.fixtures.TableFixtures;
import io.quintet.sink.serve.WarmStoreServer;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink's table read by Iceberg's own REST client ({@link RESTCatalog}) and generic reader through
 * {@link RestCatalogHandler} over real HTTP: nothing of the sink's code on the reading side.
 */
@Timeout(120)
class RestCatalogServerTest {
    static final String TOKEN = "test-token-5f2c";

    @TempDir
    Path dir;

    SinkConfig config;
    Catalog sinkCatalog;
    Table written;
    WarmStoreServer server;
    final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        config = TableFixtures.config(dir, Map.of());
        sinkCatalog = CatalogFactory.create(config);
        List<CanonicalEvent> events = WarmStoreSample.events(Instant.now());
        written = TableFixtures.append(TableFixtures.table(sinkCatalog, config), 0, 0, events.subList(0, 10));
        written = TableFixtures.append(written, 1, 0, events.subList(10, events.size()));
        server = WarmStoreServer.start(
                new ServeSettings("127.0.0.1", 0, TOKEN),
                new RestCatalogHandler(sinkCatalog, WarmStoreServer.CATALOG_PATH),
                Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : clients) {
            c.close();
        }
        server.close();
        if (sinkCatalog instanceof Closeable c) {
            c.close();
        }
    }

    private String uri() {
        return "http://127.0.0.1:" + server.port() + WarmStoreServer.CATALOG_PATH;
    }

    private RESTCatalog client(String token) {
        RESTCatalog client = new RESTCatalog();
        client.setConf(CatalogFactory.hadoopConfiguration());
        Map<String, String> props = new HashMap<>();
        props.put("uri", uri());
        if (token != null) {
            props.put("token", token);
        }
        client.initialize("reader", props);
        clients.add(client);
        return client;
    }

    private static List<Record> read(Table table, org.apache.iceberg.expressions.Expression filter) throws IOException {
        List<Record> out = new ArrayList<>();
        try (CloseableIterable<Record> rows =
                IcebergGenerics.read(table).where(filter).build()) {
            rows.forEach(r -> out.add(r.copy()));
        }
        return out;
    }

    @Test
    void icebergsRestClientListsAndReadsEveryRowTheSinkCommitted() throws IOException {
        RESTCatalog client = client(TOKEN);
        assertThat(client.listNamespaces()).containsExactly(Namespace.of("quintet"));
        TableIdentifier id = TableIdentifier.of("quintet", "events");
        assertThat(client.listTables(Namespace.of("quintet"))).containsExactly(id);
        assertThat(client.tableExists(id)).isTrue();

        Table table = client.loadTable(id);
        assertThat(table.currentSnapshot().snapshotId())
                .isEqualTo(written.currentSnapshot().snapshotId());
        assertThat(table.spec().fields()).hasSize(2);
        assertThat(table.currentSnapshot().summary()).containsKey("quintet.kafka.offsets.fixture-group");

        List<String> ids = read(table, Expressions.alwaysTrue()).stream()
                .map(r -> (String) r.getField("event_id"))
                .toList();
        assertThat(ids)
                .containsExactlyInAnyOrderElementsOf(WarmStoreSample.events(Instant.now()).stream()
                        .map(CanonicalEvent::id)
                        .toList());

        List<Record> invoice = read(
                table,
                Expressions.and(
                        Expressions.equal("entity_type", "invoice"),
                        Expressions.equal("entity_id", WarmStoreSample.INVOICE)));
        assertThat(invoice)
                .extracting(r -> r.getField("action_name"))
                .containsExactlyInAnyOrder("billing.invoice.created", "billing.invoice.sent", "billing.invoice.paid");
    }

    @Test
    void aNewSnapshotOfTheSinkIsSeenOnTheNextLoad() throws IOException {
        RESTCatalog client = client(TOKEN);
        TableIdentifier id = TableIdentifier.of("quintet", "events");
        long before = client.loadTable(id).currentSnapshot().snapshotId();
        Table after = TableFixtures.append(
                written,
                2,
                0,
                List.of(WarmStoreSample.event(
                        "late-1",
                        Instant.now(),
                        "mailer-eu",
                        "messaging.email.sent",
                        "email",
                        "msg-x",
                        Map.of(),
                        io.quintet.model.Context.Status.SUCCESS,
                        null,
                        null)));
        Table reloaded = client.loadTable(id);
        assertThat(reloaded.currentSnapshot().snapshotId())
                .isNotEqualTo(before)
                .isEqualTo(after.currentSnapshot().snapshotId());
        assertThat(read(reloaded, Expressions.equal("event_id", "late-1"))).hasSize(1);
    }

    @Test
    void writesThroughTheCatalogAreRefusedAndLeaveTheTableAsItWas() throws Exception {
        RESTCatalog client = client(TOKEN);
        TableIdentifier id = TableIdentifier.of("quintet", "events");
        // the config response advertises only the read endpoints: Iceberg's client does not even try the others
        assertThatThrownBy(() -> client.dropTable(id)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> client.createNamespace(Namespace.of("other")))
                .isInstanceOf(UnsupportedOperationException.class);
        // a client that tries anyway is refused by the server
        HttpClient http = HttpClient.newHttpClient();
        for (HttpRequest.Builder request : List.of(
                HttpRequest.newBuilder(URI.create(uri() + "/v1/namespaces/quintet/tables/events"))
                        .DELETE(),
                HttpRequest.newBuilder(URI.create(uri() + "/v1/namespaces/quintet/tables/events"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"updates\":[]}")),
                HttpRequest.newBuilder(URI.create(uri() + "/v1/namespaces"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"namespace\":[\"other\"]}")),
                HttpRequest.newBuilder(URI.create(uri() + "/v1/tables/rename"))
                        .POST(HttpRequest.BodyPublishers.ofString("{}")))) {
            HttpResponse<String> answer = http.send(
                    request.header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode())
                    .as(answer.request().method() + " " + answer.request().uri())
                    .isEqualTo(403);
            assertThat(answer.body()).contains("ForbiddenException", "read-only");
        }
        assertThat(sinkCatalog.tableExists(id)).isTrue();
        assertThat(((org.apache.iceberg.catalog.SupportsNamespaces) sinkCatalog).listNamespaces())
                .containsExactly(Namespace.of("quintet"));
        assertThat(sinkCatalog.loadTable(id).currentSnapshot().snapshotId())
                .isEqualTo(written.currentSnapshot().snapshotId());
    }

    @Test
    void anUnknownTableIsNotFound() {
        RESTCatalog client = client(TOKEN);
        assertThat(client.tableExists(TableIdentifier.of("quintet", "nope"))).isFalse();
        assertThatThrownBy(() -> client.loadTable(TableIdentifier.of("quintet", "nope")))
                .isInstanceOf(NoSuchTableException.class);
    }

    @Test
    void requestsWithoutTheRightTokenAreRefused() throws Exception {
        assertThatThrownBy(() -> client("wrong-token")).isInstanceOf(NotAuthorizedException.class);
        HttpResponse<String> anonymous = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(uri() + "/v1/namespaces/quintet/tables/events"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).doesNotContain("metadata-location");
    }
}
