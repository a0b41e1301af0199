package io.quintet.feeds.entities;

import static io.quintet.feeds.stream.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quintet.feeds.app.http.ApiAuth;
import io.quintet.feeds.app.http.ApiKey;
import io.quintet.feeds.app.http.ApiRequest;
import io.quintet.feeds.app.http.ApiResponse;
import io.quintet.feeds.app.http.Forwarder;
import io.quintet.feeds.app.http.HttpApi;
import io.quintet.feeds.app.http.KeyRouting;
import io.quintet.feeds.app.http.ReaderTokens;
import io.quintet.feeds.app.http.Scope;
import io.quintet.feeds.stream.JsonSerde;
import io.quintet.feeds.stream.TopologyFixture;
import io.quintet.model.CanonicalEvent;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/entities/{type}/{id}/events} over real HTTP with authentication, against the RocksDB stores of the
 * entity-history topology under test.
 */
class EntityHistoryHttpTest {
    static final String EVENTS_KEY = "qfk_events-reader";
    static final String FEEDS_KEY = "qfk_feeds-reader";

    TopologyFixture fx;
    HttpApi http;
    HttpApi off;
    Vertx vertx;
    ReaderTokens tokens;
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        fx = new TopologyFixture(TopologyFixture.part((builder, events) ->
                EntityHistoryTopology.addTo(builder, events, EntityHistorySettings.enabledWithDefaults())));
        tokens = new ReaderTokens(new byte[32], Duration.ofMinutes(15), Clock.systemUTC());
        ApiAuth auth = new ApiAuth(
                List.of(
                        key("history", EVENTS_KEY, Scope.EVENTS_READ),
                        key("back-end", FEEDS_KEY, Scope.FEEDS_READ_ANY)),
                tokens,
                List.of("/health"));
        vertx = Vertx.vertx();
        http = api(EntityHistorySettings.enabledWithDefaults(), auth);
        off = api(EntityHistorySettings.disabled(), auth);
        for (int i = 1; i <= 5; i++) {
            fx.sendWithoutFlush(EntityHistoryTopologyTest.event(
                    "e" + i, "invoice", "INV/42", T0.plusSeconds(i), i == 5 ? "org-beta" : "org-acme"));
        }
        fx.sendWithoutFlush(EntityHistoryTopologyTest.event("x", "invoice", "INV-43", T0.plusSeconds(9), "org-acme"));
    }

    HttpApi api(EntityHistorySettings settings, ApiAuth auth) {
        Map<String, Function<ApiRequest, ApiResponse>> routes = new LinkedHashMap<>();
        routes.put(
                EntityHistoryRoutes.PREFIX,
                new EntityHistoryRoutes(
                        new EntityHistoryQueries(name -> fx.driver.getKeyValueStore(name)),
                        KeyRouting.local(),
                        new Forwarder(vertx),
                        settings));
        return new HttpApi(vertx, new InetSocketAddress("127.0.0.1", 0), routes, auth);
    }

    static ApiKey key(String id, String secret, Scope... scopes) {
        return new ApiKey(id, ApiKey.sha256(secret), EnumSet.copyOf(Set.of(scopes)));
    }

    @AfterEach
    void stop() {
        http.close();
        off.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        fx.close();
    }

    HttpResponse<String> get(HttpApi api, String pathAndQuery, String credential) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + pathAndQuery));
        if (credential != null) {
            b.header("Authorization", "Bearer " + credential);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode ok(String pathAndQuery) throws Exception {
        HttpResponse<String> r = get(http, pathAndQuery, EVENTS_KEY);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JsonSerde.mapper().readTree(r.body());
    }

    @Test
    void pagesWalkTheEntitysEventsNewestFirstInTheWarmStoresShape() throws Exception {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page =
                    ok("/v1/entities/invoice/INV%2F42/events?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            pages++;
            assertThat(page.path("entity").path("type").asText()).isEqualTo("invoice");
            assertThat(page.path("entity").path("id").asText()).isEqualTo("INV/42");
            page.path("events").forEach(e -> ids.add(e.path("id").asText()));
            assertThat(page.has("next_cursor")).isTrue();
            cursor = page.path("next_cursor").isNull()
                    ? null
                    : page.path("next_cursor").asText();
            if (cursor == null) {
                assertThat(page.path("warm_store_cursor").asText())
                        .as("the position of the last event, where the warm store continues")
                        .isNotEmpty();
            }
        } while (cursor != null);
        assertThat(ids).containsExactly("e5", "e4", "e3", "e2", "e1");
        assertThat(pages).isEqualTo(3);

        JsonNode first = ok("/v1/entities/invoice/INV%2F42/events");
        CanonicalEvent parsed = io.quintet.model.json.CanonicalJson.fromTree(
                first.path("events").get(0));
        assertThat(parsed.id()).as("events are canonical events").isEqualTo("e5");
        assertThat(parsed.eventTimestamp()).isEqualTo(T0.plusSeconds(5));
        assertThat(ok("/v1/entities/invoice/INV-99/events").path("events")).isEmpty();
    }

    @Test
    void anOrganizationFilterKeepsThatOrganisationsEventsAndAMalformedIdIsA400NamingIt() throws Exception {
        JsonNode beta = ok("/v1/entities/invoice/INV%2F42/events?organization_id=org-beta");
        assertThat(beta.path("organization_id").asText()).isEqualTo("org-beta");
        assertThat(beta.path("events")).hasSize(1);
        assertThat(beta.path("events").get(0).path("id").asText()).isEqualTo("e5");
        assertThat(ok("/v1/entities/invoice/INV%2F42/events?organization_id=org-acme")
                        .path("events"))
                .hasSize(4);

        HttpResponse<String> bad =
                get(http, "/v1/entities/invoice/INV%2F42/events?organization_id=org%20acme", EVENTS_KEY);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("query parameter organization_id");
    }

    @Test
    void badLimitsCursorsPathsAndMethodsAreClientErrors() throws Exception {
        assertThat(get(http, "/v1/entities/invoice/INV-43/events?limit=0", EVENTS_KEY)
                        .body())
                .contains("limit");
        assertThat(get(http, "/v1/entities/invoice/INV-43/events?limit=201", EVENTS_KEY)
                        .statusCode())
                .isEqualTo(400);
        HttpResponse<String> cursor = get(http, "/v1/entities/invoice/INV-43/events?cursor=%21%21", EVENTS_KEY);
        assertThat(cursor.statusCode()).isEqualTo(400);
        assertThat(cursor.body()).contains("cursor");
        assertThat(get(http, "/v1/entities/invoice/INV-43", EVENTS_KEY).statusCode())
                .isEqualTo(404);
        HttpResponse<String> post = client.send(
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + http.port() + "/v1/entities/invoice/INV-43/events"))
                        .header("Authorization", "Bearer " + EVENTS_KEY)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void itNeedsAKeyWithEventsReadNotAFeedKeyOrAReadersToken() throws Exception {
        String path = "/v1/entities/invoice/INV-43/events";
        HttpResponse<String> none = get(http, path, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).isPresent();
        HttpResponse<String> feeds = get(http, path, FEEDS_KEY);
        assertThat(feeds.statusCode()).isEqualTo(403);
        assertThat(feeds.body()).contains("forbidden_scope").contains("events:read");
        HttpResponse<String> token = get(
                http,
                path,
                tokens.issue("ps_alice", Duration.ofMinutes(5), "back-end").token());
        assertThat(token.statusCode()).isEqualTo(403);
        assertThat(get(http, path, EVENTS_KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void switchedOffTheEndpointIsA404NamingTheSettingAndTheWarmStore() throws Exception {
        HttpResponse<String> r = get(off, "/v1/entities/invoice/INV-43/events", EVENTS_KEY);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("entity.history.enabled=false").contains("warm store");
    }
}
