package io.quintet.sink.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.OrganizationId;
import io.quintet.model.json.CanonicalJson;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/entities/{type}/{id}/events?limit=20&cursor=C[&organization_id=ORG]}: an entity's events from the warm
 * store, newest first (of one organisation when asked)
 * ({@link EntityHistory}). Answer: {@code {"entity":{"type","id"},"events":[canonical events],"next_cursor"}}
 * ({@code next_cursor} null on the last page); 400 for a bad limit or cursor, 404 for another path or while the table
 * does not exist, 405 for another method. The events are the pseudonymous canonical events of {@code events.canonical}: entity ids that are personal
 * are pseudonyms there already, and the table holds no client IP. A Vert.x Web handler that blocks (table reads),
 * mounted as a blocking handler by {@code WarmStoreServer}.
 */
public final class EntityHistoryHandler implements Handler<RoutingContext> {
    public static final String PATH = "/v1/entities";
    private static final Logger LOG = LoggerFactory.getLogger(EntityHistoryHandler.class);
    private static final ObjectMapper JSON = CanonicalJson.newMapper();

    private final Catalog catalog;
    private final TableIdentifier tableId;

    public EntityHistoryHandler(Catalog catalog, TableIdentifier tableId) {
        this.catalog = catalog;
        this.tableId = tableId;
    }

    @Override
    public void handle(RoutingContext ex) {
        String path = ex.request().path();
        String[] seg = path.length() < PATH.length()
                ? new String[0]
                : path.substring(PATH.length()).split("/");
        // "", type, id, "events"
        if (seg.length != 4 || !seg[0].isEmpty() || seg[1].isEmpty() || seg[2].isEmpty() || !"events".equals(seg[3])) {
            send(ex, 404, error("no such route: use " + PATH + "/{type}/{id}/events"));
            return;
        }
        if (!"GET".equals(ex.request().method().name())) {
            ex.response().putHeader("Allow", "GET");
            send(ex, 405, error("only GET"));
            return;
        }
        String type = decode(seg[1]);
        String id = decode(seg[2]);
        Map<String, String> query = query(ex.request().query());
        int limit;
        try {
            limit = Integer.parseInt(query.getOrDefault("limit", "20"));
        } catch (NumberFormatException e) {
            send(ex, 400, error("limit must be a number 1.." + EntityHistory.MAX_LIMIT));
            return;
        }
        String organization = query.get(OrganizationId.FIELD);
        if (organization != null && !OrganizationId.isValid(organization)) {
            send(
                    ex,
                    400,
                    error("query parameter organization_id: '" + organization + "' is not an organization id (1-"
                            + OrganizationId.MAX_LENGTH
                            + " characters: a letter or digit, then letters, digits, '.', '_', ':' or '-')"));
            return;
        }
        EntityHistory.Page page;
        try {
            Table table = catalog.loadTable(tableId);
            page = EntityHistory.page(table, type, id, limit, query.get("cursor"), organization);
        } catch (IllegalArgumentException e) {
            send(ex, 400, error(e.getMessage()));
            return;
        } catch (NoSuchTableException e) {
            send(ex, 404, error("no table " + tableId + " yet (the sink has not written one)"));
            return;
        } catch (RuntimeException e) {
            LOG.warn("entity history of a {} failed", type, e);
            send(
                    ex,
                    500,
                    error("the warm store could not be read: " + e.getClass().getSimpleName()));
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        body.putObject("entity").put("type", type).put("id", id);
        if (organization != null) {
            body.put(OrganizationId.FIELD, organization);
        }
        ArrayNode events = body.putArray("events");
        for (CanonicalEvent e : page.events()) {
            events.add(CanonicalJson.toTree(e));
        }
        if (page.nextCursor() == null) {
            body.putNull("next_cursor");
        } else {
            body.put("next_cursor", page.nextCursor());
        }
        send(ex, 200, body);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
                }
            }
        }
        return q;
    }

    private static ObjectNode error(String message) {
        ObjectNode e = JSON.createObjectNode();
        e.put("error", message);
        return e;
    }

    private static void send(RoutingContext ex, int status, ObjectNode body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        ex.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(bytes));
    }
}
