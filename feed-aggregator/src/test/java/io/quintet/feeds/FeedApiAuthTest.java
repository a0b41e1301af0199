package io.quintet.feeds;

import static io.quintet.feeds.FeedsTopologyTest.like;
import static io.quintet.feeds.FeedsTopologyTest.min;
import static io.quintet.feeds.FeedsTopologyTest.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.quintet.feeds.app.FeedAggregatorTopology;
import io.quintet.feeds.app.http.ApiAuth;
import io.quintet.feeds.app.http.ApiKey;
import io.quintet.feeds.app.http.ApiResponse;
import io.quintet.feeds.app.http.Forwarder;
import io.quintet.feeds.app.http.HttpApi;
import io.quintet.feeds.app.http.KeyRouting;
import io.quintet.feeds.app.http.ReaderTokens;
import io.quintet.feeds.app.http.Scope;
import io.quintet.feeds.app.http.TokenRoutes;
import io.quintet.feeds.app.http.VaultSubjectLookup;
import io.quintet.feeds.stream.JsonSerde;
import io.quintet.feeds.stream.TopologyFixture;
import io.quintet.model.topics.TopicCatalogue;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The feed API's security over real HTTP: API keys with scopes, per-user tokens bound to one reader, 401/403 with
 * their codes, tokens by user id through the vault lookup API (a real local HTTP server answering as the enricher's
 * lookup API does).
 */
class FeedApiAuthTest {
    static final String READER_KEY = "qfk_reader-key-0123456789abcdefghijklmnopqrstuv";
    static final String WRITER_KEY = "qfk_writer-key-0123456789abcdefghijklmnopqrstuv";
    static final String ISSUER_KEY = "qfk_issuer-key-0123456789abcdefghijklmnopqrstuv";
    static final String METRICS_KEY = "qfk_metrics-key-0123456789abcdefghijklmnopqrstu";
    static final String LOOKUP_TOKEN = "lookup-token-of-the-feed-aggregator";

    TopologyFixture fx;
    Vertx vertx;
    HttpApi http;
    HttpServer vault;
    final List<String> vaultRequests = new CopyOnWriteArrayList<>();
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T05:00:00Z"));
    final HttpClient client = HttpClient.newHttpClient();

    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @BeforeEach
    void start() throws Exception {
        fx = new TopologyFixture(TopologyFixture.part((builder, events) -> FeedsTopology.addTo(
                builder,
                events,
                FeedSettings.defaults(),
                FeedAggregatorTopology.FEEDS_COMMANDS,
                TopicCatalogue.FEEDS_UPDATES)));
        TestInputTopic<String, FeedCommand> commands = fx.driver.createInputTopic(
                FeedAggregatorTopology.FEEDS_COMMANDS,
                new StringSerializer(),
                new JsonSerde<>(FeedCommand.class).serializer());
        FeedCommandSink sink = (reader, command) -> commands.pipeInput(reader, command, command.at());
        FeedQueries queries = new FeedQueries(name -> fx.driver.getKeyValueStore(name));

        // the enricher's lookup API as it answers: bearer token checked, pseudonym of a known subject, 404 otherwise
        vault = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        vault.createContext(VaultSubjectLookup.PATH, ex -> {
            try (ex) {
                vaultRequests.add(ex.getRequestURI().getRawPath() + " on behalf of "
                        + ex.getRequestHeaders().getFirst(VaultSubjectLookup.ON_BEHALF_OF));
                boolean authorised =
                        ("Bearer " + LOOKUP_TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"));
                boolean alice =
                        ex.getRequestURI().getRawPath().equals("/v1/subjects/user-alice%40example.com/pseudonym");
                int status = !authorised ? 401 : alice ? 200 : 404;
                byte[] body = (status == 200
                                ? "{\"subject_id\":\"user-alice@example.com\",\"pseudonym\":\"ps_alice\"}"
                                : "{\"error\":\"no\"}")
                        .getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(status, body.length);
                ex.getResponseBody().write(body);
            }
        });
        vault.start();

        List<ApiKey> keys = List.of(
                key("back-end", READER_KEY, Scope.FEEDS_READ_ANY),
                key("marker", WRITER_KEY, Scope.FEEDS_WRITE_ANY),
                key("app-backend", ISSUER_KEY, Scope.TOKENS_ISSUE),
                key("dashboards", METRICS_KEY, Scope.METRICS_READ));
        ApiAuth auth =
                new ApiAuth(keys, new ReaderTokens(new byte[32], Duration.ofMinutes(15), clock), List.of("/health"));
        vertx = Vertx.vertx();
        Map<String, java.util.function.Function<io.quintet.feeds.app.http.ApiRequest, ApiResponse>> routes =
                new LinkedHashMap<>();
        routes.put(
                FeedRoutes.PREFIX,
                new FeedRoutes(
                        queries,
                        KeyRouting.local(),
                        new Forwarder(vertx),
                        sink,
                        Clock.fixed(min(30), ZoneOffset.UTC),
                        auth));
        routes.put(
                TokenRoutes.PREFIX,
                new TokenRoutes(
                        auth,
                        new VaultSubjectLookup(
                                vertx,
                                URI.create(
                                        "http://127.0.0.1:" + vault.getAddress().getPort()),
                                LOOKUP_TOKEN)));
        routes.put("/health", req -> ApiResponse.ok(Map.of("state", "RUNNING")));
        http = new HttpApi(vertx, new InetSocketAddress("127.0.0.1", 0), routes, auth);

        fx.send(post("a1", "ps_alice", min(1)));
        fx.send(post("b1", "ps_bob", min(2)));
        fx.send(like("l1", "ps_bob", "post-a1", "ps_alice", min(3)));
    }

    static ApiKey key(String id, String secret, Scope... scopes) {
        return new ApiKey(id, ApiKey.sha256(secret), EnumSet.copyOf(Set.of(scopes)));
    }

    @AfterEach
    void stop() {
        http.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        vault.stop(0);
        fx.close();
    }

    HttpResponse<String> call(String method, String path, String credential, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (credential != null) {
            b.header("Authorization", "Bearer " + credential);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JsonSerde.mapper().readTree(r.body());
    }

    static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(json(r).get("code").asText()).isEqualTo(code);
        assertThat(json(r).get("error").asText()).isNotBlank();
        if (status == 401) {
            assertThat(r.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer realm=\"" + ApiAuth.REALM + "\""));
        }
    }

    String tokenFor(String bodyJson) throws Exception {
        HttpResponse<String> r = call("POST", "/v1/tokens", ISSUER_KEY, bodyJson);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).get("token").asText();
    }

    @Test
    void requestsWithoutValidCredentialsAre401WithAChallenge() throws Exception {
        assertError(call("GET", "/feeds/flat/ps_alice", null, null), 401, "unauthenticated");
        assertError(call("GET", "/feeds/flat/ps_alice", "qfk_not-a-configured-key", null), 401, "invalid_key");
        assertError(call("GET", "/feeds/flat/ps_alice", ReaderTokens.PREFIX + "e30.c2ln", null), 401, "invalid_token");
        assertThat(call("GET", "/health", null, null).statusCode())
                .as("health is public")
                .isEqualTo(200);
    }

    @Test
    void aKeyWithFeedsReadAnyReadsEveryReaderButMarksOnlyWithFeedsWriteAny() throws Exception {
        assertThat(json(call("GET", "/feeds/flat/ps_alice", READER_KEY, null)).get("items"))
                .hasSize(1);
        assertThat(json(call("GET", "/feeds/flat/ps_bob", READER_KEY, null)).get("items"))
                .hasSize(2); // b1 and the like
        assertError(call("POST", "/feeds/notifications/ps_alice/seen", READER_KEY, null), 403, "forbidden_scope");
        assertThat(call("POST", "/feeds/notifications/ps_alice/seen", WRITER_KEY, null)
                        .statusCode())
                .isEqualTo(202);
        assertError(call("GET", "/feeds/flat/ps_alice", METRICS_KEY, null), 403, "forbidden_scope");
        assertError(call("POST", "/v1/tokens", READER_KEY, "{\"reader\":\"ps_alice\"}"), 403, "forbidden_scope");
    }

    @Test
    void aTokenReadsAndMarksOnlyItsOwnReadersFeed() throws Exception {
        String token = tokenFor("{\"reader\":\"ps_alice\",\"ttl\":\"5m\"}");
        assertThat(json(call("GET", "/feeds/flat/ps_alice", token, null))
                        .get("items")
                        .get(0)
                        .get("id")
                        .asText())
                .isEqualTo("a1");
        assertThat(json(call("GET", "/feeds/notifications/ps_alice", token, null))
                        .get("unseen")
                        .asLong())
                .isEqualTo(1);
        assertThat(call("POST", "/feeds/notifications/ps_alice/read", token, null)
                        .statusCode())
                .isEqualTo(202);

        assertError(call("GET", "/feeds/flat/ps_bob", token, null), 403, "forbidden_reader");
        assertError(call("GET", "/feeds/notifications/ps_bob", token, null), 403, "forbidden_reader");
        assertError(call("POST", "/feeds/notifications/ps_bob/seen", token, null), 403, "forbidden_reader");
        assertError(call("POST", "/v1/tokens", token, "{\"reader\":\"ps_bob\"}"), 403, "forbidden_scope");

        String tampered =
                token.substring(0, token.lastIndexOf('.') - 2) + "AA" + token.substring(token.lastIndexOf('.'));
        assertError(call("GET", "/feeds/flat/ps_alice", tampered, null), 401, "invalid_token");
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        JsonNode issued = json(call("POST", "/v1/tokens", ISSUER_KEY, "{\"reader\":\"ps_alice\",\"ttl\":\"2h\"}"));
        assertThat(issued.get("expires_in").asLong())
                .as("capped at the configured lifetime")
                .isEqualTo(900);
        String token = issued.get("token").asText();
        clock.now = clock.now.plus(Duration.ofMinutes(14));
        assertThat(call("GET", "/feeds/flat/ps_alice", token, null).statusCode())
                .isEqualTo(200);
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        assertError(call("GET", "/feeds/flat/ps_alice", token, null), 401, "token_expired");
    }

    @Test
    void aTokenByUserIdIsBoundToThePseudonymTheVaultLookupAnswers() throws Exception {
        JsonNode issued = json(call("POST", "/v1/tokens", ISSUER_KEY, "{\"user_id\":\"user-alice@example.com\"}"));
        assertThat(issued.get("reader").asText()).isEqualTo("ps_alice");
        assertThat(vaultRequests)
                .containsExactly("/v1/subjects/user-alice%40example.com/pseudonym on behalf of key:app-backend");
        String token = issued.get("token").asText();
        assertThat(call("GET", "/feeds/flat/ps_alice", token, null).statusCode())
                .isEqualTo(200);
        assertError(call("GET", "/feeds/flat/ps_bob", token, null), 403, "forbidden_reader");

        assertThat(call("POST", "/v1/tokens", ISSUER_KEY, "{\"user_id\":\"someone-else\"}")
                        .statusCode())
                .as("the vault knows no such subject")
                .isEqualTo(404);
    }

    @Test
    void badTokenRequestsSayWhatIsWrong() throws Exception {
        assertThat(call("POST", "/v1/tokens", ISSUER_KEY, "not json").statusCode())
                .isEqualTo(400);
        HttpResponse<String> both = call("POST", "/v1/tokens", ISSUER_KEY, "{\"reader\":\"ps_a\",\"user_id\":\"u\"}");
        assertThat(both.statusCode()).isEqualTo(400);
        assertThat(json(both).get("error").asText()).contains("exactly one of 'reader'");
        assertThat(json(call("POST", "/v1/tokens", ISSUER_KEY, "{\"reader\":\"ps_a\",\"ttl\":\"soon\"}"))
                        .get("error")
                        .asText())
                .startsWith("'ttl'");
        assertThat(call("GET", "/v1/tokens", ISSUER_KEY, null).statusCode()).isEqualTo(405);
    }
}
