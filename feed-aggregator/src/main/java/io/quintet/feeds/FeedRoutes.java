package io.quintet.feeds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quintet.feeds.app.http.ApiAuth;
import io.quintet.feeds.app.http.ApiException;
import io.quintet.feeds.app.http.ApiRequest;
import io.quintet.feeds.app.http.ApiResponse;
import io.quintet.feeds.app.http.Forwarder;
import io.quintet.feeds.app.http.KeyRouting;
import io.quintet.feeds.stream.JsonSerde;
import io.quintet.model.OrganizationId;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The feeds HTTP API (interactive queries; any instance answers, forwarding to the owner of the reader's key):
 * <pre>
 *   GET  /feeds/flat/{reader}?limit=20&cursor=C          my activity
 *   GET  /feeds/timeline/{reader}?limit=20&cursor=C      followed actors' activity (+ celebrities merged at read)
 *   GET  /feeds/aggregated/{reader}?limit=20&cursor=C    grouped activity on the reader's things
 *   GET  /feeds/notifications/{reader}?limit=20&cursor=C aggregated + seen/read, with unseen/unread counts
 *   POST /feeds/notifications/{reader}/seen[?item=ID]    mark one (or all) seen   -> 202
 *   POST /feeds/notifications/{reader}/read[?item=ID]    mark one (or all) read   -> 202
 * </pre>
 * Every GET also takes {@code organization_id=ORG}: only the items of that organisation (tenant); the unseen/unread
 * counts stay the reader's over every organisation.
 */
public final class FeedRoutes implements Function<ApiRequest, ApiResponse> {
    public static final String PREFIX = "/feeds";
    private static final int MAX_LIMIT = 200;

    private final FeedQueries queries;
    private final KeyRouting routing;
    private final Forwarder forwarder;
    private final FeedCommandSink commands;
    private final Clock clock;
    private final ApiAuth auth;
    private final ObjectMapper mapper = JsonSerde.mapper();

    /** Without authentication (every request may read and mark every feed). */
    public FeedRoutes(
            FeedQueries queries, KeyRouting routing, Forwarder forwarder, FeedCommandSink commands, Clock clock) {
        this(queries, routing, forwarder, commands, clock, ApiAuth.disabled());
    }

    /**
     * Requests read or mark a reader's feeds only when their principal may ({@link
     * io.quintet.feeds.app.http.Principal#requireReader}); {@code auth} also signs the requests this instance sends to
     * others on a request's behalf.
     */
    public FeedRoutes(
            FeedQueries queries,
            KeyRouting routing,
            Forwarder forwarder,
            FeedCommandSink commands,
            Clock clock,
            ApiAuth auth) {
        this.auth = auth;
        this.queries = queries;
        this.routing = routing;
        this.forwarder = forwarder;
        this.commands = commands;
        this.clock = clock;
    }

    @Override
    public ApiResponse apply(ApiRequest req) {
        List<String> s = req.segments();
        if (s.size() < 2) {
            throw ApiException.notFound("use /feeds/{flat|timeline|aggregated|notifications}/{reader}");
        }
        String view = s.get(0);
        String reader = s.get(1);
        if (reader.indexOf(FeedKeys.SEP) >= 0) {
            throw ApiException.badRequest("reader ids cannot contain '|'");
        }
        if (s.size() == 3 && view.equals("notifications") && req.method().equals("POST")) {
            req.principal().requireReader(reader, true);
            return mark(reader, s.get(2), req);
        }
        if (s.size() != 2) {
            throw ApiException.notFound("unknown path " + req.path());
        }
        if (!req.method().equals("GET")) {
            throw new ApiException(405, "use GET to read a feed");
        }
        FeedKind kind = switch (view) {
            case "flat" -> FeedKind.FLAT;
            case "timeline" -> FeedKind.TIMELINE;
            case "aggregated", "notifications" -> FeedKind.AGGREGATED;
            default ->
                throw ApiException.notFound("unknown feed '" + view + "' (flat, timeline, aggregated, notifications)");
        };
        req.principal().requireReader(reader, false);
        HostInfo owner = routing.ownerOf(FeedsTopology.ITEMS_STORE, reader)
                .orElseThrow(() ->
                        ApiException.unavailable("the owner of this reader is not known yet (rebalancing); retry"));
        if (!routing.isSelf(owner)) {
            return forwarder.forward(owner, req);
        }
        int limit = req.intParam("limit", 20, 1, MAX_LIMIT);
        String cursor = req.param("cursor").map(FeedRoutes::decodeCursor).orElse(null);
        String organization = organization(req);
        FeedQueries.Page page = kind == FeedKind.TIMELINE
                ? timeline(reader, cursor, limit, organization, req)
                : queries.page(reader, kind, cursor, limit, organization);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reader", reader);
        body.put("feed", view);
        if (organization != null) {
            body.put("organization_id", organization);
        }
        body.put("items", page.items());
        body.put("next_cursor", page.nextCursor() == null ? null : encodeCursor(page.nextCursor()));
        if (view.equals("notifications")) {
            FeedMeta m = queries.meta(reader, kind);
            body.put("unseen", m.unseen());
            body.put("unread", m.unread());
        }
        return ApiResponse.ok(body);
    }

    /** The materialized timeline merged with the flat feeds of followed celebrities (fan-out on read). */
    private FeedQueries.Page timeline(String reader, String cursor, int limit, String organization, ApiRequest req) {
        FeedQueries.Page own = queries.page(reader, FeedKind.TIMELINE, cursor, limit, organization);
        List<String> celebrities = queries.celebritiesFollowedBy(reader);
        if (celebrities.isEmpty()) {
            return own;
        }
        List<FeedItem> merged = new ArrayList<>(own.items());
        boolean more = own.nextCursor() != null;
        for (String celebrity : celebrities) {
            FeedQueries.Page p = flatPageAnywhere(celebrity, cursor, limit, organization, req);
            p.items().forEach(i -> merged.add(i.inFeed(FeedKind.TIMELINE)));
            more |= p.nextCursor() != null;
        }
        merged.sort(Comparator.comparing(FeedQueries::cursorOf));
        List<FeedItem> page = merged.size() > limit ? merged.subList(0, limit) : merged;
        boolean hasMore = more || merged.size() > limit;
        return new FeedQueries.Page(
                List.copyOf(page), hasMore && !page.isEmpty() ? FeedQueries.cursorOf(page.get(page.size() - 1)) : null);
    }

    /** The {@code organization_id} filter: null when absent, 400 when it is not an organization id. */
    static String organization(ApiRequest req) {
        return req.organizationId();
    }

    private FeedQueries.Page flatPageAnywhere(
            String actor, String cursor, int limit, String organization, ApiRequest req) {
        HostInfo owner = routing.ownerOf(FeedsTopology.ITEMS_STORE, actor)
                .orElseThrow(
                        () -> ApiException.unavailable("the owner of a followed actor's feed is not known yet; retry"));
        if (routing.isSelf(owner)) {
            return queries.page(actor, FeedKind.FLAT, cursor, limit, organization);
        }
        String path = PREFIX + "/flat/" + java.net.URLEncoder.encode(actor, java.nio.charset.StandardCharsets.UTF_8)
                + "?limit=" + limit + (cursor == null ? "" : "&cursor=" + encodeCursor(cursor))
                + (organization == null ? "" : "&" + OrganizationId.FIELD + "=" + organization);
        JsonNode json = forwarder.fetchJson(
                owner, new ApiRequest("GET", path, List.of(), Map.of(), false, path, auth.onBehalfOf(actor, req)));
        try {
            List<FeedItem> items = new ArrayList<>();
            for (JsonNode n : json.path("items")) {
                items.add(mapper.treeToValue(n, FeedItem.class));
            }
            JsonNode next = json.get("next_cursor");
            return new FeedQueries.Page(items, next == null || next.isNull() ? null : decodeCursor(next.asText()));
        } catch (JsonProcessingException e) {
            throw ApiException.unavailable("another instance answered an unreadable feed page");
        }
    }

    /** Cursors are opaque to clients: URL-safe base64 of the sort position. */
    static String encodeCursor(String position) {
        return java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(position.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static String decodeCursor(String cursor) {
        try {
            String position = new String(
                    java.util.Base64.getUrlDecoder().decode(cursor), java.nio.charset.StandardCharsets.UTF_8);
            if (!position.matches("\\d{19}\\|.+")) {
                throw ApiException.badRequest("cursor is not one this API handed out");
            }
            return position;
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("cursor is not one this API handed out");
        }
    }

    private ApiResponse mark(String reader, String what, ApiRequest req) {
        FeedCommand command = switch (what) {
            case "seen" -> FeedCommand.seen(req.param("item").orElse(null), clock.instant());
            case "read" -> FeedCommand.read(req.param("item").orElse(null), clock.instant());
            default -> throw ApiException.notFound("use /feeds/notifications/{reader}/seen or /read");
        };
        commands.send(reader, command);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accepted", true);
        body.put("reader", reader);
        body.put("mark", what);
        body.put("item", command.itemId() == null ? "all" : command.itemId());
        return ApiResponse.of(202, body);
    }
}
