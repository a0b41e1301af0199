package io.quintet.feeds;

import static io.quintet.feeds.stream.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.feeds.app.FeedAggregatorTopology;
import io.quintet.feeds.stream.JsonSerde;
import io.quintet.feeds.stream.TopologyFixture;
import io.quintet.model.Action;
import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.Entity;
import io.quintet.model.topics.TopicCatalogue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FeedsTopologyTest {
    TopologyFixture fx;
    FeedQueries queries;
    TestInputTopic<String, FeedCommand> commands;
    TestInputTopic<String, byte[]> rawCommands;
    TestOutputTopic<String, FeedUpdate> updates;

    void start(FeedSettings settings) {
        fx = new TopologyFixture(TopologyFixture.part((builder, events) -> FeedsTopology.addTo(
                builder, events, settings, FeedAggregatorTopology.FEEDS_COMMANDS, TopicCatalogue.FEEDS_UPDATES)));
        queries = new FeedQueries(name -> fx.driver.getKeyValueStore(name));
        commands = fx.driver.createInputTopic(
                FeedAggregatorTopology.FEEDS_COMMANDS,
                new StringSerializer(),
                new JsonSerde<>(FeedCommand.class).serializer());
        rawCommands = fx.driver.createInputTopic(
                FeedAggregatorTopology.FEEDS_COMMANDS,
                new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer());
        updates = fx.driver.createOutputTopic(
                TopicCatalogue.FEEDS_UPDATES,
                new StringDeserializer(),
                new JsonSerde<>(FeedUpdate.class).deserializer());
    }

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    static CanonicalEvent activity(String id, String verb, String actor, Entity entity, Instant at) {
        return CanonicalEvent.builder()
                .id(id)
                .eventTimestamp(at)
                .source("community-app")
                .action(new Action(verb, "create"))
                .actor(Actor.of(actor, Actor.USER))
                .entity(entity)
                .context(Context.EMPTY.withStatus(Context.Status.SUCCESS))
                .build();
    }

    static CanonicalEvent post(String id, String actor, Instant at) {
        return activity(
                id, "social.post.created", actor, new Entity("post-" + id, "post", Map.of("owner_id", actor)), at);
    }

    static CanonicalEvent like(String id, String liker, String postId, String owner, Instant at) {
        return activity(id, "social.post.liked", liker, new Entity(postId, "post", Map.of("owner_id", owner)), at);
    }

    static CanonicalEvent follow(String id, String follower, String followee, boolean follow, Instant at) {
        return activity(
                id,
                follow ? FeedActivities.FOLLOWED : FeedActivities.UNFOLLOWED,
                follower,
                Entity.of(followee, "user"),
                at);
    }

    static Instant min(long minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    static List<String> ids(FeedQueries.Page page) {
        return page.items().stream().map(FeedItem::id).toList();
    }

    @Test
    void theFlatFeedIsNewestFirstAndPagesWithACursor() {
        start(FeedSettings.defaults());
        for (int i = 1; i <= 5; i++) {
            fx.send(post("e" + i, "p-alice", min(i)));
        }
        FeedQueries.Page first = queries.page("p-alice", FeedKind.FLAT, null, 2);
        assertThat(ids(first)).containsExactly("e5", "e4");
        FeedQueries.Page second = queries.page("p-alice", FeedKind.FLAT, first.nextCursor(), 2);
        assertThat(ids(second)).containsExactly("e3", "e2");
        FeedQueries.Page last = queries.page("p-alice", FeedKind.FLAT, second.nextCursor(), 2);
        assertThat(ids(last)).containsExactly("e1");
        assertThat(last.nextCursor()).isNull();
        assertThat(first.items().get(0).verb()).isEqualTo("social.post.created");
        assertThat(first.items().get(0).feed()).isEqualTo("flat");
    }

    @Test
    void activitiesFanOutToFollowersTimelinesAndUnfollowStopsIt() {
        start(FeedSettings.defaults());
        fx.send(follow("f1", "p-bob", "p-alice", true, min(1)));
        fx.send(post("a1", "p-alice", min(2)));
        fx.send(follow("f2", "p-bob", "p-alice", false, min(3)));
        fx.send(post("a2", "p-alice", min(4)));

        assertThat(ids(queries.page("p-bob", FeedKind.TIMELINE, null, 10))).containsExactly("a1");
        assertThat(ids(queries.page("p-carol", FeedKind.TIMELINE, null, 10))).isEmpty();
        assertThat(ids(queries.page("p-bob", FeedKind.FLAT, null, 10))).containsExactly("f2", "f1");
        assertThat(queries.celebritiesFollowedBy("p-bob")).isEmpty();
    }

    @Test
    void theSameEventDeliveredTwiceIsOneItemInTheFlatFeedAndTheTimelineAndNeedsNoIndexEntry() {
        start(FeedSettings.defaults());
        fx.send(follow("f1", "p-bob", "p-alice", true, min(1)));
        CanonicalEvent post = post("a1", "p-alice", min(2));
        fx.send(post);
        fx.send(post); // at-least-once upstream, or a replay
        fx.send(post("a2", "p-alice", min(3)));

        assertThat(ids(queries.page("p-alice", FeedKind.FLAT, null, 10))).containsExactly("a2", "a1");
        assertThat(ids(queries.page("p-bob", FeedKind.TIMELINE, null, 10))).containsExactly("a2", "a1");
        assertThat(queries.meta("p-alice", FeedKind.FLAT).size()).isEqualTo(2);
        assertThat(updates.readValuesToList())
                .filteredOn(u -> u.op().equals("added") && u.itemId().equals("a1"))
                .hasSize(2); // once in the flat feed, once in the timeline
        KeyValueStore<String, String> index = fx.driver.getKeyValueStore(FeedsTopology.INDEX_STORE);
        List<String> indexed = new java.util.ArrayList<>();
        try (KeyValueIterator<String, String> all = index.all()) {
            all.forEachRemaining(kv -> indexed.add(kv.key));
        }
        assertThat(indexed) // the follow's notification to p-alice is an aggregated item: indexed
                .isNotEmpty()
                .allMatch(k -> k.contains(FeedKeys.SEP + FeedKind.AGGREGATED.code() + FeedKeys.SEP), "aggregated");
    }

    @Test
    void anActorWithMoreFollowersThanTheThresholdIsNotFannedOutButMarkedForMergingAtRead() {
        start(FeedSettings.defaults().withCelebrityFollowers(2));
        fx.send(follow("f1", "p-u1", "p-star", true, min(1)));
        fx.send(follow("f2", "p-u2", "p-star", true, min(2)));
        fx.send(post("s1", "p-star", min(3))); // 2 followers: fanned out
        fx.send(follow("f3", "p-u3", "p-star", true, min(4))); // 3 > 2: celebrity from now on
        fx.send(post("s2", "p-star", min(5)));

        for (String u : List.of("p-u1", "p-u2")) {
            assertThat(ids(queries.page(u, FeedKind.TIMELINE, null, 10))).as(u).containsExactly("s1");
        }
        assertThat(ids(queries.page("p-u3", FeedKind.TIMELINE, null, 10))).isEmpty();
        for (String u : List.of("p-u1", "p-u2", "p-u3")) {
            assertThat(queries.celebritiesFollowedBy(u)).as(u).containsExactly("p-star");
        }
        assertThat(ids(queries.page("p-star", FeedKind.FLAT, null, 10))).containsExactly("s2", "s1");

        fx.send(follow("f4", "p-u3", "p-star", false, min(6))); // back to 2 followers: fan-out again
        fx.send(post("s3", "p-star", min(7)));
        assertThat(queries.celebritiesFollowedBy("p-u1")).isEmpty();
        assertThat(ids(queries.page("p-u1", FeedKind.TIMELINE, null, 10))).containsExactly("s3", "s1");
    }

    @Test
    void similarActivitiesGroupWithinAWindowAndSplitAcrossWindowsAndObjects() {
        start(FeedSettings.defaults());
        fx.send(like("l1", "p-b", "post-1", "p-alice", min(5)));
        fx.send(like("l2", "p-c", "post-1", "p-alice", min(10)));
        fx.send(like("l3", "p-b", "post-1", "p-alice", min(15))); // same actor again
        fx.send(like("l4", "p-d", "post-1", "p-alice", min(20)));
        fx.send(like("l5", "p-e", "post-1", "p-alice", min(25)));
        fx.send(like("l6", "p-b", "post-2", "p-alice", min(30))); // other object
        fx.send(like("l7", "p-f", "post-1", "p-alice", min(70))); // next window
        fx.send(like("own", "p-alice", "post-1", "p-alice", min(71))); // own like: no notification

        List<FeedItem> items =
                queries.page("p-alice", FeedKind.AGGREGATED, null, 10).items();
        assertThat(items).hasSize(3);
        FeedItem nextWindow = items.get(0);
        assertThat(nextWindow.actors()).containsExactly("p-f");
        assertThat(nextWindow.windowStart()).isEqualTo(min(60));
        FeedItem post2 = items.get(1);
        assertThat(post2.object().id()).isEqualTo("post-2");
        assertThat(post2.actorCount()).isEqualTo(1);
        FeedItem post1 = items.get(2);
        assertThat(post1.verb()).isEqualTo("social.post.liked");
        assertThat(post1.group()).isEqualTo("post-1");
        assertThat(post1.actorCount()).isEqualTo(4);
        assertThat(post1.activityCount()).isEqualTo(5);
        assertThat(post1.actors()).containsExactly("p-b", "p-c", "p-d");
        assertThat(post1.time()).isEqualTo(min(25));
        assertThat(post1.lastEventId()).isEqualTo("l5");
        assertThat(queries.meta("p-alice", FeedKind.AGGREGATED)).isEqualTo(new FeedMeta(3, 3, 3));
    }

    @Test
    void feedItemsCarryTheOrganizationOfTheirActivityAndAPageCanHoldOneOrganizationsItems() {
        start(FeedSettings.defaults());
        fx.send(post("p1", "p-alice", min(1)).withOrganizationId("org-acme"));
        fx.send(post("p2", "p-alice", min(2)).withOrganizationId("org-globex"));
        fx.send(post("p3", "p-alice", min(3)));
        fx.send(like("l1", "p-b", "post-1", "p-alice", min(5)).withOrganizationId("org-acme"));
        fx.send(like("l2", "p-c", "post-1", "p-alice", min(6)).withOrganizationId("org-acme"));

        assertThat(queries.page("p-alice", FeedKind.FLAT, null, 10).items())
                .extracting(FeedItem::organizationId)
                .containsExactly(null, "org-globex", "org-acme");
        assertThat(ids(queries.page("p-alice", FeedKind.FLAT, null, 10, "org-acme")))
                .containsExactly("p1");
        assertThat(ids(queries.page("p-alice", FeedKind.FLAT, null, 10, "org-none")))
                .isEmpty();
        assertThat(queries.page("p-alice", FeedKind.AGGREGATED, null, 10, "org-acme")
                        .items())
                .singleElement()
                .satisfies(i -> {
                    assertThat(i.organizationId()).isEqualTo("org-acme");
                    assertThat(i.activityCount()).isEqualTo(2);
                });
    }

    @Test
    void aLateActivityJoinsItsGroupWithinGraceAndIsNotAggregatedPastIt() {
        start(FeedSettings.defaults()); // window 1 h, grace 5 min
        fx.send(like("l1", "p-b", "post-1", "p-alice", min(10)));
        fx.send(post("tick1", "p-zed", min(62)));
        fx.send(like("late-ok", "p-c", "post-1", "p-alice", min(50)));
        fx.send(post("tick2", "p-zed", min(66)));
        fx.send(like("late-dropped", "p-d", "post-1", "p-alice", min(55)));

        List<FeedItem> items =
                queries.page("p-alice", FeedKind.AGGREGATED, null, 10).items();
        assertThat(items).hasSize(1);
        assertThat(items.get(0).actors()).containsExactly("p-b", "p-c");
        assertThat(items.get(0).activityCount()).isEqualTo(2);
        assertThat(ids(queries.page("p-d", FeedKind.FLAT, null, 10)))
                .as("still in the actor's own feed")
                .containsExactly("late-dropped");
    }

    @Test
    void seenAndReadAreReaderStateWithCountsAndANewActivityMakesAnItemUnseenAgain() {
        start(FeedSettings.defaults());
        fx.send(like("l1", "p-b", "post-1", "p-alice", min(1)));
        fx.send(like("l2", "p-b", "post-2", "p-alice", min(2)));
        List<FeedItem> items =
                queries.page("p-alice", FeedKind.AGGREGATED, null, 10).items();
        String post2 = items.get(0).id();
        String post1 = items.get(1).id();
        assertThat(queries.meta("p-alice", FeedKind.AGGREGATED)).isEqualTo(new FeedMeta(2, 2, 2));

        commands.pipeInput("p-alice", FeedCommand.seen(post1, min(3)), min(3));
        assertThat(queries.meta("p-alice", FeedKind.AGGREGATED)).isEqualTo(new FeedMeta(2, 1, 2));
        commands.pipeInput("p-alice", FeedCommand.read(post2, min(3)), min(3));
        assertThat(queries.meta("p-alice", FeedKind.AGGREGATED)).isEqualTo(new FeedMeta(2, 0, 1));
        FeedItem read =
                queries.page("p-alice", FeedKind.AGGREGATED, null, 10).items().get(0);
        assertThat(read.isSeen()).isTrue();
        assertThat(read.isRead()).isTrue();

        fx.send(like("l3", "p-c", "post-1", "p-alice", min(4))); // post-1 grows: to the top, unseen again
        List<FeedItem> after =
                queries.page("p-alice", FeedKind.AGGREGATED, null, 10).items();
        assertThat(after.get(0).id()).isEqualTo(post1);
        assertThat(after.get(0).isSeen()).isFalse();
        assertThat(queries.meta("p-alice", FeedKind.AGGREGATED))
                .as("post-1 unseen again; it was still unread")
                .isEqualTo(new FeedMeta(2, 1, 1));

        commands.pipeInput("p-alice", FeedCommand.read(null, min(5)), min(5));
        assertThat(queries.meta("p-alice", FeedKind.AGGREGATED)).isEqualTo(new FeedMeta(2, 0, 0));
        assertThat(queries.page("p-alice", FeedKind.AGGREGATED, null, 10).items())
                .allMatch(FeedItem::isRead);
        assertThat(queries.meta("p-bob", FeedKind.AGGREGATED)).isEqualTo(FeedMeta.EMPTY);
    }

    @Test
    void aFeedIsCappedWithOldestFirstEvictionPublishedOnFeedsUpdates() {
        start(FeedSettings.defaults().withCap(3));
        for (int i = 1; i <= 5; i++) {
            fx.send(post("e" + i, "p-alice", min(i)));
        }
        assertThat(ids(queries.page("p-alice", FeedKind.FLAT, null, 10))).containsExactly("e5", "e4", "e3");
        assertThat(queries.meta("p-alice", FeedKind.FLAT).size()).isEqualTo(3);
        List<FeedUpdate> changes = updates.readValuesToList().stream()
                .filter(u -> u.recipient().equals("p-alice"))
                .toList();
        assertThat(changes)
                .filteredOn(u -> u.op().equals("removed"))
                .extracting(FeedUpdate::itemId)
                .containsExactly("e1", "e2");
        assertThat(changes)
                .filteredOn(u -> u.op().equals("added"))
                .hasSize(5)
                .allSatisfy(u -> assertThat(u.item()).isNotNull());
    }

    @Test
    void anItemOlderThanEvictedOnesThatArrivesLateIsTheNextEvictedAndTheFeedStaysAtItsCap() {
        start(FeedSettings.defaults().withCap(3));
        for (int i = 10; i <= 14; i++) {
            fx.send(post("e" + i, "p-alice", min(i)));
        }
        fx.send(post("late", "p-alice", min(1))); // older than e10 and e11, which were evicted already
        fx.send(post("e15", "p-alice", min(15)));
        fx.send(post("e16", "p-alice", min(16)));
        assertThat(ids(queries.page("p-alice", FeedKind.FLAT, null, 10))).containsExactly("e16", "e15", "e14");
        assertThat(queries.meta("p-alice", FeedKind.FLAT).size()).isEqualTo(3);
        List<FeedUpdate> removed = updates.readValuesToList().stream()
                .filter(u -> u.recipient().equals("p-alice") && u.op().equals("removed"))
                .toList();
        assertThat(removed).extracting(FeedUpdate::itemId).containsExactly("e10", "e11", "late", "e12", "e13");
    }

    @Test
    void aRecordOnTheCommandsTopicThatIsNotACommandIsSkipped() {
        start(FeedSettings.defaults());
        rawCommands.pipeInput("p-alice", "{broken".getBytes(StandardCharsets.UTF_8), min(1));
        fx.send(like("l1", "p-b", "post-1", "p-alice", min(2)));
        assertThat(queries.meta("p-alice", FeedKind.AGGREGATED).unseen()).isEqualTo(1);
    }

    @Test
    void replayingTheSameLogBuildsTheSameFeeds() {
        List<CanonicalEvent> log = List.of(
                follow("f1", "p-bob", "p-alice", true, min(1)),
                post("a1", "p-alice", min(2)),
                like("l1", "p-bob", "post-a1", "p-alice", min(3)),
                like("l2", "p-carol", "post-a1", "p-alice", min(4)));
        List<List<FeedItem>> runs = new java.util.ArrayList<>();
        for (int run = 0; run < 2; run++) {
            start(FeedSettings.defaults());
            log.forEach(fx::send);
            List<FeedItem> all = new java.util.ArrayList<>();
            for (String r : List.of("p-alice", "p-bob", "p-carol")) {
                for (FeedKind k : FeedKind.values()) {
                    all.addAll(queries.page(r, k, null, 100).items());
                }
            }
            runs.add(all);
            fx.close();
            fx = null;
        }
        // 4 flat items, 1 timeline item (bob follows alice), 2 notification groups for alice (follow, likes)
        assertThat(runs.get(0)).hasSize(7).isEqualTo(runs.get(1));
    }
}
