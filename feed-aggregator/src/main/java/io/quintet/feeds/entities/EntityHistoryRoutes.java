package io.quintet.feeds.entities;

import io.quintet.feeds.app.http.ApiException;
import io.quintet.feeds.app.http.ApiRequest;
import io.quintet.feeds.app.http.ApiResponse;
import io.quintet.feeds.app.http.Forwarder;
import io.quintet.feeds.app.http.KeyRouting;
import io.quintet.feeds.app.http.Scope;
import io.quintet.model.OrganizationId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.streams.state.HostInfo;

/**
 * {@code GET /v1/entities/{type}/{id}/events?limit=20&cursor=C&organization_id=ORG}: an entity's recent events from
 * the hot tier, newest first, in the shape of the warm store's endpoint (analytics-sink), whose cursors it shares:
 * {@code {"entity":{"type","id"},"events":[...],"next_cursor","warm_store_cursor"}}. {@code next_cursor} is null once
 * the hot tier has no older event; {@code warm_store_cursor} (the position of the page's last event) continues on the
 * warm store with the older ones. Needs an API key with {@code events:read}; answered by the instance that holds the
 * entity (others forward once).
 */
public final class EntityHistoryRoutes implements Function<ApiRequest, ApiResponse> {
    public static final String PREFIX = "/v1/entities";

    private final EntityHistoryQueries queries;
    private final KeyRouting routing;
    private final Forwarder forwarder;
    private final boolean enabled;

    public EntityHistoryRoutes(
            EntityHistoryQueries queries, KeyRouting routing, Forwarder forwarder, EntityHistorySettings settings) {
        this.queries = queries;
        this.routing = routing;
        this.forwarder = forwarder;
        this.enabled = settings.enabled();
    }

    @Override
    public ApiResponse apply(ApiRequest req) {
        req.principal().require(Scope.EVENTS_READ);
        if (!req.method().equals("GET")) {
            throw new ApiException(405, "only GET is supported here");
        }
        List<String> seg = req.segments();
        if (seg.size() != 3 || !seg.get(2).equals("events")) {
            throw ApiException.notFound("unknown path; use " + PREFIX + "/{type}/{id}/events");
        }
        if (!enabled) {
            throw ApiException.notFound("entity history is off on this service (entity.history.enabled=false); the"
                    + " warm store's /v1/entities/{type}/{id}/events (analytics-sink) answers from the table");
        }
        String type = seg.get(0);
        String id = seg.get(1);
        int limit = req.intParam("limit", 20, 1, EntityHistoryQueries.MAX_LIMIT);
        String organization = req.organizationId();
        if (EntityKeys.storable(type, id)) {
            HostInfo owner = routing.ownerOf(EntityHistorySettings.EVENTS_STORE, EntityKeys.entity(type, id))
                    .orElseThrow(() ->
                            ApiException.unavailable("the owner of this entity is not known yet (rebalancing); retry"));
            if (!routing.isSelf(owner)) {
                return forwarder.forward(owner, req);
            }
        }
        EntityHistoryQueries.Page page;
        try {
            page = queries.page(type, id, limit, req.param("cursor").orElse(null), organization);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, Object> entity = new LinkedHashMap<>();
        entity.put("type", type);
        entity.put("id", id);
        body.put("entity", entity);
        if (organization != null) {
            body.put(OrganizationId.FIELD, organization);
        }
        body.put("events", page.events());
        body.put("next_cursor", page.nextCursor());
        body.put("warm_store_cursor", page.lastCursor());
        return ApiResponse.ok(body);
    }
}
