package io.quintet.feeds;

import static io.quintet.feeds.FeedsTopologyTest.follow;
import static io.quintet.feeds.FeedsTopologyTest.like;
import static io.quintet.feeds.FeedsTopologyTest.min;
import static io.quintet.feeds.FeedsTopologyTest.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quintet.feeds.app.FeedAggregatorTopology;
import io.quintet.feeds.app.http.Forwarder;
import io.quintet.feeds.app.http.HttpApi;
import io.quintet.feeds.app.http.KeyRouting;
import io.quintet.feeds.stream.JsonSerde;
import io.quintet.feeds.stream.TopologyFixture;
import io.quintet.model.topics.TopicCatalogue;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The feeds API over real HTTP against the stores of the topology under test (single instance). */
class FeedsHttpTest {
    TopologyFixture fx;
    HttpApi http;
    Vertx vertx;
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        fx = new TopologyFixture(TopologyFixture.part((builder, events) -> FeedsTopology.addTo(
                builder,
                events,
                FeedSettings.defaults().withCelebrityFollowers(1),
                FeedAggregatorTopology.FEEDS_COMMANDS,
                TopicCatalogue.FEEDS_UPDATES)));
        TestInputTopic<String, FeedCommand> commands = fx.driver.createInputTopic(
                FeedAggregatorTopology.FEEDS_COMMANDS,
                new StringSerializer(),
                new JsonSerde<>(FeedCommand.class).serializer());
        // the topic edge as the driver offers it: the command is piped into the commands topic
        FeedCommandSink sink = (reader, command) -> commands.pipeInput(reader, command, command.at());
        FeedQueries queries = new FeedQueries(name -> fx.driver.getKeyValueStore(name));
        vertx = Vertx.vertx();
        http = new HttpApi(
                vertx,
                new InetSocketAddress("127.0.0.1", 0),
                Map.of(
                        FeedRoutes.PREFIX,
                        new FeedRoutes(
                                queries,
                                KeyRouting.local(),
                                new Forwarder(vertx),
                                sink,
                                Clock.fixed(min(30), ZoneOffset.UTC))));
    }

    @AfterEach
    void stop() {
        http.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        fx.close();
    }

    JsonNode call(String method, String pathAndQuery, int expectedStatus) throws Exception {
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + pathAndQuery))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode())
                .as(method + " " + pathAndQuery + ": " + r.body())
                .isEqualTo(expectedStatus);
        return JsonSerde.mapper().readTree(r.body());
    }

    static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("items").forEach(i -> out.add(i.get("id").asText()));
        return out;
    }

    @Test
    void cursorPagingWalksTheWholeFeedNewestFirst() throws Exception {
        for (int i = 1; i <= 5; i++) {
            fx.send(post("e" + i, "p-alice", min(i)));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page =
                    call("GET", "/feeds/flat/p-alice?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), 200);
            seen.addAll(ids(page));
            cursor = page.get("next_cursor").isNull()
                    ? null
                    : page.get("next_cursor").asText();
        } while (cursor != null);
        assertThat(seen).containsExactly("e5", "e4", "e3", "e2", "e1");
    }

    @Test
    void theTimelineMergesFollowedCelebritiesAtReadTime() throws Exception {
        fx.send(follow("f1", "p-u1", "p-star", true, min(1)));
        fx.send(follow("f2", "p-u2", "p-star", true, min(2))); // 2 > 1 follower: p-star is a celebrity
        fx.send(follow("f3", "p-u1", "p-friend", true, min(3)));
        fx.send(post("s1", "p-star", min(4)));
        fx.send(post("x1", "p-friend", min(5)));
        fx.send(post("s2", "p-star", min(6)));

        JsonNode timeline = call("GET", "/feeds/timeline/p-u1?limit=10", 200);
        assertThat(ids(timeline)).containsExactly("s2", "x1", "s1");
        JsonNode firstTwo = call("GET", "/feeds/timeline/p-u1?limit=2", 200);
        assertThat(ids(firstTwo)).containsExactly("s2", "x1");
        JsonNode rest = call(
                "GET",
                "/feeds/timeline/p-u1?limit=2&cursor="
                        + firstTwo.get("next_cursor").asText(),
                200);
        assertThat(ids(rest)).containsExactly("s1");
        assertThat(rest.get("next_cursor").isNull()).isTrue();
    }

    @Test
    void notificationsCarryCountsAndAreMarkedThroughTheApi() throws Exception {
        fx.send(like("l1", "p-b", "post-1", "p-alice", min(1)));
        fx.send(like("l2", "p-c", "post-1", "p-alice", min(2)));
        fx.send(like("l3", "p-c", "post-2", "p-alice", min(3)));
        JsonNode n = call("GET", "/feeds/notifications/p-alice", 200);
        assertThat(n.get("unseen").asLong()).isEqualTo(2);
        assertThat(n.get("unread").asLong()).isEqualTo(2);
        assertThat(n.get("items").get(1).get("actor_count").asLong()).isEqualTo(2);
        String first = n.get("items").get(0).get("id").asText();

        JsonNode accepted = call("POST", "/feeds/notifications/p-alice/read?item=" + first, 202);
        assertThat(accepted.get("accepted").asBoolean()).isTrue();
        JsonNode afterOne = call("GET", "/feeds/notifications/p-alice", 200);
        assertThat(afterOne.get("unseen").asLong()).isEqualTo(1);
        assertThat(afterOne.get("unread").asLong()).isEqualTo(1);

        call("POST", "/feeds/notifications/p-alice/seen", 202);
        JsonNode afterAll = call("GET", "/feeds/notifications/p-alice", 200);
        assertThat(afterAll.get("unseen").asLong()).isZero();
        assertThat(afterAll.get("unread").asLong()).isEqualTo(1);
        assertThat(call("GET", "/feeds/aggregated/p-alice", 200).has("unseen")).isFalse();
    }

    @Test
    void theOrganizationIdParameterKeepsOneTenantsItemsAndPagesThroughThem() throws Exception {
        for (int i = 1; i <= 6; i++) {
            fx.send(post("e" + i, "p-alice", min(i)).withOrganizationId(i % 2 == 0 ? "org-acme" : "org-globex"));
        }
        fx.send(post("e7", "p-alice", min(7)));

        JsonNode first = call("GET", "/feeds/flat/p-alice?limit=2&organization_id=org-acme", 200);
        assertThat(ids(first)).containsExactly("e6", "e4");
        assertThat(first.get("organization_id").asText()).isEqualTo("org-acme");
        first.get("items")
                .forEach(i -> assertThat(i.get("organization_id").asText()).isEqualTo("org-acme"));
        JsonNode rest = call(
                "GET",
                "/feeds/flat/p-alice?limit=2&organization_id=org-acme&cursor="
                        + first.get("next_cursor").asText(),
                200);
        assertThat(ids(rest)).containsExactly("e2");
        assertThat(rest.get("next_cursor").isNull()).isTrue();
        assertThat(ids(call("GET", "/feeds/flat/p-alice?limit=10", 200)))
                .as("no filter: every item")
                .containsExactly("e7", "e6", "e5", "e4", "e3", "e2", "e1");
        assertThat(call("GET", "/feeds/flat/p-alice?limit=10", 200)
                        .get("items")
                        .get(0)
                        .has("organization_id"))
                .as("an event without organisation")
                .isFalse();
    }

    @Test
    void aMalformedOrganizationIdIs400SayingWhatIsWrong() throws Exception {
        JsonNode error = call("GET", "/feeds/flat/p-alice?organization_id=acme%20corp", 400);
        assertThat(error.toString())
                .contains("organization_id")
                .contains("acme corp")
                .contains("is not an organization id");
    }

    @Test
    void badRequestsAreClientErrors() throws Exception {
        call("GET", "/feeds/flat/p-alice?limit=0", 400);
        call("GET", "/feeds/flat/p-alice?cursor=not-a-cursor", 400);
        call("GET", "/feeds/planets/p-alice", 404);
        call("GET", "/feeds/flat", 404);
        call("POST", "/feeds/notifications/p-alice/archive", 404);
        call("POST", "/feeds/flat/p-alice", 405);
    }
}
