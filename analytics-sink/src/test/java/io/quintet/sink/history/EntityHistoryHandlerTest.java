package io.quintet.sink.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.Entity;
import io.quintet.model.schema.CanonicalSchema;
import io.quintet.sink.app.AnalyticsSink;
import io.quintet.sink.catalog.RestCatalogHandler;
import io.quintet.sink.config.CatalogFactory;
import io.quintet.sink.config.ServeSettings;
import io.quintet.sink.config.SinkConfig;
import io.quintet.sink.fixtures.TableFixtures;
import io.quintet.sink.serve.WarmStoreServer;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An entity's history from the warm store over real HTTP: newest first, paged by cursor, nothing else's events. */
@Timeout(120)
class EntityHistoryHandlerTest {
    static final String TOKEN = "history-token";
    static final Instant T = Instant.parse("2026-10-05T10:00:00Z");
    static final String CLIENT_IP = "198.51.100.23";

    @TempDir
    Path dir;

    Catalog catalog;
    Table table;
    WarmStoreServer server;
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    static CanonicalEvent event(String id, Instant at, String action, String entityType, String entityId) {
        return CanonicalEvent.builder()
                .id(uuid(id))
                .eventTimestamp(at)
                .observedTimestamp(at.plusMillis(25))
                .source("billing-service")
                .action(action, "update")
                .actor(new Actor("psn-7", Actor.USER, "psn-7", null))
                .entity(Entity.of(entityId, entityType))
                .context(Context.EMPTY
                        .withClient(new Context.Client(CLIENT_IP, "agent/1", null))
                        .withStatus(Context.Status.SUCCESS))
                .build();
    }

    /** Canonical ids are UUIDs: a fixed one per label, and the label back for the assertions. */
    static String uuid(String label) {
        return java.util
                .UUID
                .nameUUIDFromBytes(label.getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    static String label(String uuid) {
        for (String l :
                List.of("i-1", "i-3", "i-4", "i-5", "i-6", "i-7a", "i-7b", "i-8", "i-9", "i-10", "o-1", "o-2")) {
            if (uuid(l).equals(uuid)) {
                return l;
            }
        }
        return uuid;
    }

    /** The invoice's nine events over four days, newest first (i-7a and i-7b share a timestamp: the larger id first). */
    static final List<String> NEWEST_FIRST = uuid("i-7a").compareTo(uuid("i-7b")) > 0
            ? List.of("i-9", "i-8", "i-7a", "i-7b", "i-6", "i-5", "i-4", "i-3", "i-1")
            : List.of("i-9", "i-8", "i-7b", "i-7a", "i-6", "i-5", "i-4", "i-3", "i-1");

    @BeforeEach
    void start() throws IOException {
        SinkConfig config = TableFixtures.config(dir, Map.of());
        catalog = CatalogFactory.create(config);
        table = TableFixtures.append(
                TableFixtures.table(catalog, config),
                0,
                0,
                List.of(
                        event("i-1", T, "billing.invoice.created", "invoice", "INV/42"),
                        event("i-3", T.plusSeconds(60), "billing.invoice.sent", "invoice", "INV/42"),
                        event("o-1", T.plusSeconds(61), "billing.invoice.sent", "invoice", "INV/43"),
                        event("o-2", T.plusSeconds(62), "billing.invoice.sent", "order", "INV/42"),
                        event("i-4", T.plusSeconds(86_400), "billing.reminder.sent", "invoice", "INV/42"),
                        event("i-5", T.plusSeconds(86_400 + 5), "messaging.email.opened", "invoice", "INV/42")));
        table = TableFixtures.append(
                table,
                1,
                0,
                List.of(
                        event("i-6", T.plusSeconds(2 * 86_400), "billing.payment.late", "invoice", "INV/42"),
                        event("i-7a", T.plusSeconds(2 * 86_400 + 10), "billing.invoice.paid", "invoice", "INV/42"),
                        event("i-7b", T.plusSeconds(2 * 86_400 + 10), "billing.receipt.sent", "invoice", "INV/42"),
                        event("i-8", T.plusSeconds(2 * 86_400 + 20), "billing.invoice.closed", "invoice", "INV/42"),
                        event("i-9", T.plusSeconds(5 * 86_400), "billing.invoice.archived", "invoice", "INV/42")));
        server = WarmStoreServer.start(
                new ServeSettings("127.0.0.1", 0, TOKEN),
                new RestCatalogHandler(catalog, WarmStoreServer.CATALOG_PATH),
                Map.of(
                        EntityHistoryHandler.PATH,
                        new EntityHistoryHandler(catalog, AnalyticsSink.tableIdentifier(config))));
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        if (catalog instanceof Closeable c) {
            c.close();
        }
    }

    HttpResponse<String> get(String pathAndQuery, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static List<String> ids(JsonNode events) {
        List<String> ids = new ArrayList<>();
        events.forEach(e -> ids.add(label(e.get("id").asText())));
        return ids;
    }

    static String path(String type, String id) {
        return "/v1/entities/" + URLEncoder.encode(type, StandardCharsets.UTF_8) + "/"
                + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/events";
    }

    @Test
    void pagesWalkTheEntitysEventsNewestFirstAndEndWithoutACursor() throws Exception {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            HttpResponse<String> r =
                    get(path("invoice", "INV/42") + "?limit=4" + (cursor == null ? "" : "&cursor=" + cursor), TOKEN);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode body = json.readTree(r.body());
            assertThat(body.at("/entity/type").asText()).isEqualTo("invoice");
            assertThat(body.at("/entity/id").asText()).isEqualTo("INV/42");
            assertThat(body.get("events").size()).isLessThanOrEqualTo(4);
            body.get("events").forEach(e -> ids.add(label(e.get("id").asText())));
            cursor = body.get("next_cursor").isNull()
                    ? null
                    : body.get("next_cursor").asText();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(ids).containsExactlyElementsOf(NEWEST_FIRST);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void aCursorStaysValidWhenNewerEventsArrive() throws Exception {
        JsonNode first =
                json.readTree(get(path("invoice", "INV/42") + "?limit=3", TOKEN).body());
        assertThat(ids(first.get("events"))).containsExactlyElementsOf(NEWEST_FIRST.subList(0, 3));
        TableFixtures.append(
                table,
                2,
                0,
                List.of(event("i-10", T.plusSeconds(6 * 86_400), "billing.invoice.reopened", "invoice", "INV/42")));
        JsonNode second = json.readTree(get(
                        path("invoice", "INV/42") + "?limit=3&cursor="
                                + first.get("next_cursor").asText(),
                        TOKEN)
                .body());
        assertThat(ids(second.get("events"))).containsExactlyElementsOf(NEWEST_FIRST.subList(3, 6));
        JsonNode fresh =
                json.readTree(get(path("invoice", "INV/42") + "?limit=1", TOKEN).body());
        assertThat(ids(fresh.get("events"))).containsExactly("i-10");
    }

    @Test
    void theEventsAreValidCanonicalEventsAndCarryNoClientIp() throws Exception {
        HttpResponse<String> r = get(path("invoice", "INV/42") + "?limit=200", TOKEN);
        assertThat(r.body()).doesNotContain(CLIENT_IP);
        JsonNode first = json.readTree(r.body()).get("events").get(0);
        assertThat(first.at("/action/name").asText()).isEqualTo("billing.invoice.archived");
        assertThat(first.at("/event_timestamp").asText()).isEqualTo("2026-10-10T10:00:00Z");
        assertThat(first.at("/context/client/user_agent").asText()).isEqualTo("agent/1");
        assertThat(json.readTree(r.body()).get("next_cursor").isNull()).isTrue();
        CanonicalSchema schema = CanonicalSchema.load();
        for (JsonNode event : json.readTree(r.body()).get("events")) {
            assertThat(schema.validate(json.writeValueAsString(event)))
                    .as(event.get("id").asText())
                    .isEmpty();
        }
    }

    @Test
    void anOrganizationFilterKeepsThatOrganisationsEventsAndAMalformedIdIsRefused() throws Exception {
        TableFixtures.append(
                table,
                3,
                0,
                List.of(
                        event("t-1", T.plusSeconds(10), "billing.invoice.sent", "invoice", "T-1")
                                .withOrganizationId("org-acme"),
                        event("t-2", T.plusSeconds(86_400), "billing.invoice.sent", "invoice", "T-1")
                                .withOrganizationId("org-beta"),
                        event("t-3", T.plusSeconds(2 * 86_400), "billing.invoice.paid", "invoice", "T-1")
                                .withOrganizationId("org-acme"),
                        event("t-4", T.plusSeconds(3 * 86_400), "billing.invoice.closed", "invoice", "T-1")));
        JsonNode acme = json.readTree(
                get(path("invoice", "T-1") + "?organization_id=org-acme", TOKEN).body());
        assertThat(acme.get("organization_id").asText()).isEqualTo("org-acme");
        List<String> ids = new ArrayList<>();
        acme.get("events").forEach(e -> ids.add(e.get("id").asText()));
        assertThat(ids).containsExactly(uuid("t-3"), uuid("t-1"));
        assertThat(json.readTree(get(path("invoice", "T-1"), TOKEN).body())
                        .get("events")
                        .size())
                .isEqualTo(4);
        HttpResponse<String> bad = get(path("invoice", "T-1") + "?organization_id=org%20acme", TOKEN);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("query parameter organization_id");
    }

    @Test
    void anEntityWithoutEventsGetsAnEmptyPage() throws Exception {
        JsonNode body = json.readTree(get(path("invoice", "INV/404"), TOKEN).body());
        assertThat(body.get("events").size()).isZero();
        assertThat(body.get("next_cursor").isNull()).isTrue();
    }

    @Test
    void badRequestsAreRefused() throws Exception {
        assertThat(get(path("invoice", "INV/42") + "?limit=0", TOKEN).statusCode())
                .isEqualTo(400);
        assertThat(get(path("invoice", "INV/42") + "?limit=201", TOKEN).statusCode())
                .isEqualTo(400);
        assertThat(get(path("invoice", "INV/42") + "?limit=ten", TOKEN).statusCode())
                .isEqualTo(400);
        assertThat(get(path("invoice", "INV/42") + "?cursor=not-a-cursor", TOKEN)
                        .statusCode())
                .isEqualTo(400);
        assertThat(get("/v1/entities/invoice/INV-42", TOKEN).statusCode()).isEqualTo(404);
        assertThat(get(path("invoice", "INV/42"), null).statusCode()).isEqualTo(401);
        assertThat(get(path("invoice", "INV/42"), "wrong").statusCode()).isEqualTo(401);
    }

    @Test
    void beforeTheSinkWroteATableTheAnswerIsNotFound() throws Exception {
        try (WarmStoreServer empty = WarmStoreServer.start(
                new ServeSettings("127.0.0.1", 0, ""),
                new RestCatalogHandler(catalog, WarmStoreServer.CATALOG_PATH),
                Map.of(
                        EntityHistoryHandler.PATH,
                        new EntityHistoryHandler(
                                catalog, org.apache.iceberg.catalog.TableIdentifier.of("quintet", "not_yet"))))) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + empty.port() + path("invoice", "INV/42")))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.body()).contains("no table quintet.not_yet yet");
        }
    }
}
