package io.quintet.sink.catalog;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.rest.CatalogHandlers;
import org.apache.iceberg.rest.Endpoint;
import org.apache.iceberg.rest.RESTCatalogProperties;
import org.apache.iceberg.rest.RESTSerializers;
import org.apache.iceberg.rest.RESTUtil;
import org.apache.iceberg.rest.responses.ConfigResponse;
import org.apache.iceberg.rest.responses.ErrorResponse;
import org.apache.iceberg.rest.responses.ErrorResponseParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Iceberg REST catalog protocol (the {@code /v1/...} routes of Iceberg's OpenAPI specification), read-only, over
 * the catalog the sink writes through: Spark, Trino, DuckDB, PyIceberg and Iceberg's own {@code RESTCatalog} attach to
 * it and read the table's metadata and data files themselves. Requests are answered by Iceberg's
 * {@link CatalogHandlers} (the same code Iceberg's reference REST server uses); responses are serialised with
 * Iceberg's {@link RESTSerializers}.
 * <p>
 * Read-only by design: the sink's exactly-once state lives in its snapshots and every commit must be fenced
 * ({@code GuardedTableOperations}), so no other writer may commit to the table through this server. Creating,
 * altering or dropping anything is answered 403; {@code GET /v1/config} advertises only the read endpoints, so clients
 * do not try the others.
 * <p>
 * A Vert.x Web handler (see {@code WarmStoreServer}); it blocks (catalog and file reads), so it is mounted as a
 * blocking handler.
 */
public final class RestCatalogHandler implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(RestCatalogHandler.class);
    /** The REST specification's namespace separator in paths and query parameters (unit separator, escaped). */
    private static final String NAMESPACE_SEPARATOR = "%1F";

    static final List<Endpoint> READ_ENDPOINTS = List.of(
            Endpoint.V1_LIST_NAMESPACES,
            Endpoint.V1_LOAD_NAMESPACE,
            Endpoint.V1_NAMESPACE_EXISTS,
            Endpoint.V1_LIST_TABLES,
            Endpoint.V1_LOAD_TABLE,
            Endpoint.V1_TABLE_EXISTS);

    private final Catalog catalog;
    private final SupportsNamespaces namespaces;
    private final String basePath;
    private final ObjectMapper json;

    /**
     * @param catalog  the sink's catalog (must support namespaces, as the JDBC and REST catalogs do)
     * @param basePath the path this handler is mounted at, e.g. {@code /catalog}: clients use
     *                 {@code http://host:port/catalog} as their catalog URI
     */
    public RestCatalogHandler(Catalog catalog, String basePath) {
        if (!(catalog instanceof SupportsNamespaces ns)) {
            throw new IllegalArgumentException("catalog " + catalog.name() + " does not support namespaces");
        }
        this.catalog = catalog;
        this.namespaces = ns;
        this.basePath = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
        this.json = new ObjectMapper();
        json.setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
        json.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        RESTSerializers.registerAll(json);
    }

    @Override
    public void handle(RoutingContext ex) {
        String method = ex.request().method().name();
        String path = ex.request().path();
        if (!path.startsWith(basePath + "/v1/")) {
            error(ex, 404, "NotFoundException", "no such route: " + path);
            return;
        }
        String[] seg = Arrays.stream(
                        path.substring(basePath.length() + "/v1/".length()).split("/"))
                .filter(s -> !s.isEmpty())
                .toArray(String[]::new);
        try {
            route(ex, method, seg);
        } catch (NoSuchNamespaceException | NoSuchTableException | NotFoundException e) {
            error(ex, 404, e.getClass().getSimpleName(), e.getMessage());
        } catch (IllegalArgumentException e) {
            error(ex, 400, "BadRequestException", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("REST catalog request {} {} failed", method, path, e);
            error(ex, 500, "ServerError", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void route(RoutingContext ex, String method, String[] seg) {
        boolean read = "GET".equals(method) || "HEAD".equals(method);
        if (seg.length == 1 && "config".equals(seg[0])) {
            if (!"GET".equals(method)) {
                readOnly(ex, method);
                return;
            }
            send(ex, 200, ConfigResponse.builder().withEndpoints(READ_ENDPOINTS).build());
            return;
        }
        if (seg.length == 0 || !"namespaces".equals(seg[0])) {
            if (seg.length >= 1
                    && List.of("tables", "transactions", "views", "oauth").contains(seg[0])) {
                readOnly(ex, method); // rename, multi-table commit, token exchange: writes or unsupported
                return;
            }
            error(ex, 404, "NotFoundException", "no such route");
            return;
        }
        if (!read) {
            readOnly(ex, method);
            return;
        }
        switch (seg.length) {
            case 1 -> {
                Map<String, String> query = query(ex);
                Namespace parent = query.containsKey("parent")
                        ? RESTUtil.decodeNamespace(query.get("parent"), NAMESPACE_SEPARATOR)
                        : Namespace.empty();
                send(ex, 200, CatalogHandlers.listNamespaces(namespaces, parent));
            }
            case 2 -> {
                Namespace ns = RESTUtil.decodeNamespace(seg[1], NAMESPACE_SEPARATOR);
                if ("HEAD".equals(method)) {
                    CatalogHandlers.namespaceExists(namespaces, ns);
                    empty(ex, 204);
                } else {
                    send(ex, 200, CatalogHandlers.loadNamespace(namespaces, ns));
                }
            }
            case 3 -> {
                if (!"tables".equals(seg[2])) {
                    error(ex, 404, "NotFoundException", "no such route (views are not served)");
                    return;
                }
                send(
                        ex,
                        200,
                        CatalogHandlers.listTables(catalog, RESTUtil.decodeNamespace(seg[1], NAMESPACE_SEPARATOR)));
            }
            case 4 -> {
                if (!"tables".equals(seg[2])) {
                    error(ex, 404, "NotFoundException", "no such route (views are not served)");
                    return;
                }
                TableIdentifier id = TableIdentifier.of(
                        RESTUtil.decodeNamespace(seg[1], NAMESPACE_SEPARATOR), RESTUtil.decodeString(seg[3]));
                if ("HEAD".equals(method)) {
                    CatalogHandlers.tableExists(catalog, id);
                    empty(ex, 204);
                } else {
                    send(ex, 200, CatalogHandlers.loadTable(catalog, id, RESTCatalogProperties.SnapshotMode.ALL));
                }
            }
            default -> error(ex, 404, "NotFoundException", "no such route");
        }
    }

    private void readOnly(RoutingContext ex, String method) {
        error(
                ex,
                403,
                "ForbiddenException",
                method + " refused: this catalog is read-only (the table is written only"
                        + " by the Quintet analytics sink, whose commits are fenced)");
    }

    private static Map<String, String> query(RoutingContext ex) {
        Map<String, String> q = new LinkedHashMap<>();
        String raw = ex.request().query();
        if (raw == null) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                q.put(RESTUtil.decodeString(pair.substring(0, eq)), pair.substring(eq + 1));
            }
        }
        return q;
    }

    private void send(RoutingContext ex, int status, Object body) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        answer(ex, status, bytes);
    }

    private static void empty(RoutingContext ex, int status) {
        ex.response().setStatusCode(status).end();
    }

    static void error(RoutingContext ex, int status, String type, String message) {
        ErrorResponse error = ErrorResponse.builder()
                .responseCode(status)
                .withType(type)
                .withMessage(message)
                .build();
        answer(ex, status, ErrorResponseParser.toJson(error).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** JSON, without a body for HEAD. */
    private static void answer(RoutingContext ex, int status, byte[] bytes) {
        ex.response().setStatusCode(status).putHeader("Content-Type", "application/json");
        if ("HEAD".equals(ex.request().method().name())) {
            ex.response().end();
        } else {
            ex.response().end(Buffer.buffer(bytes));
        }
    }
}
