package io.quintet.feeds.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.quintet.feeds.app.http.ApiException;
import io.quintet.feeds.app.http.ApiRequest;
import io.quintet.feeds.app.http.ApiResponse;
import io.quintet.feeds.app.http.Forwarder;
import io.quintet.feeds.app.http.KeyRouting;
import io.quintet.feeds.app.http.Scope;
import io.quintet.feeds.stream.Durations;
import io.quintet.model.OrganizationId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.streams.state.HostInfo;

/**
 * {@code GET /metrics/current?window=1m&dimension=action&value=auth.user.login_failed}: the open window of one series
 * (answered by the instance that owns it); without {@code value}: the open windows of every series of the dimension,
 * gathered from all instances. With {@code organization_id=ORG} (and {@code metrics.per.organization=true}): that
 * organisation's own series instead of those over every organisation.
 */
public final class MetricsRoutes implements Function<ApiRequest, ApiResponse> {
    public static final String PREFIX = "/metrics";

    private final MetricsQueries queries;
    private final KeyRouting routing;
    private final Forwarder forwarder;

    public MetricsRoutes(MetricsQueries queries, KeyRouting routing, Forwarder forwarder) {
        this.queries = queries;
        this.routing = routing;
        this.forwarder = forwarder;
    }

    /**
     * The {@code organization_id} filter: null when absent; 400 when it is not an organization id, or when the service
     * keeps no series per organisation ({@code metrics.per.organization=false}).
     */
    private String organization(ApiRequest req) {
        String organization = req.organizationId();
        if (organization == null) {
            return null;
        }
        if (!queries.settings().perOrganization()) {
            throw ApiException.badRequest("query parameter organization_id: this service keeps no series per"
                    + " organisation (metrics.per.organization=false); count one organisation's events in the warm store"
                    + " (WHERE organization_id = '...') or set metrics.per.organization=true");
        }
        return organization;
    }

    @Override
    public ApiResponse apply(ApiRequest req) {
        req.principal().require(Scope.METRICS_READ);
        if (!req.method().equals("GET")) {
            throw new ApiException(405, "only GET is supported here");
        }
        if (!req.segments().equals(List.of("current"))) {
            throw ApiException.notFound("unknown path; use /metrics/current?window=1m&dimension=action[&value=NAME]");
        }
        String organization = organization(req);
        String label = req.param("window")
                .orElse(Durations.label(queries.settings().windows().get(0)));
        Duration window = queries.window(label)
                .orElseThrow(() -> ApiException.badRequest("window '" + label + "' is not configured (configured: "
                        + queries.settings().windows().stream()
                                .map(Durations::label)
                                .toList() + ")"));
        MetricDimension dimension;
        try {
            dimension = MetricDimension.fromId(req.param("dimension").orElse("action"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        String store = MetricsSettings.storeName(window);
        var value = req.param("value");
        if (value.isPresent()) {
            HostInfo owner = routing.ownerOf(store, MetricsQueries.storeKey(dimension, value.get(), organization))
                    .orElseThrow(() ->
                            ApiException.unavailable("the owner of this series is not known yet (rebalancing); retry"));
            if (!routing.isSelf(owner)) {
                return forwarder.forward(owner, req);
            }
            return ApiResponse.ok(queries.current(window, dimension, value.get(), organization)
                    .orElseThrow(() -> ApiException.notFound("no open window for " + dimension.id() + " '" + value.get()
                            + "'" + (organization == null ? "" : " of organization '" + organization + "'"))));
        }
        List<Object> series = new ArrayList<>(queries.currentAll(window, dimension, organization));
        if (!req.forwarded()) {
            for (HostInfo host : routing.hostsOf(store)) {
                if (!routing.isSelf(host)) {
                    JsonNode other = forwarder.fetchJson(host, req);
                    other.path("series").forEach(series::add);
                }
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("window", label);
        body.put("dimension", dimension.id());
        if (organization != null) {
            body.put(OrganizationId.FIELD, organization);
        }
        body.put("series", series);
        return ApiResponse.ok(body);
    }
}
