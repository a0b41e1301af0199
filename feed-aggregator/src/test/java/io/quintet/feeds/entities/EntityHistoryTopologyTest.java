package io.quintet.feeds.entities;

import static io.quintet.feeds.stream.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.quintet.feeds.stream.TopologyFixture;
import io.quintet.model.Action;
import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.Entity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-entity history sub-topology through the TopologyTestDriver, with explicit event times. */
class EntityHistoryTopologyTest {
    TopologyFixture fx;
    EntityHistoryQueries queries;

    void start(EntityHistorySettings settings) {
        fx = new TopologyFixture(
                TopologyFixture.part((builder, events) -> EntityHistoryTopology.addTo(builder, events, settings)));
        queries = new EntityHistoryQueries(name -> fx.driver.getKeyValueStore(name));
    }

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    static CanonicalEvent event(String id, String type, String entityId, Instant at, String organization) {
        return CanonicalEvent.builder()
                .id(id)
                .eventTimestamp(at)
                .source("billing-service")
                .action(new Action("billing.invoice.updated", "update"))
                .actor(Actor.of("ps_" + id, Actor.USER))
                .entity(Entity.of(entityId, type))
                .organizationId(organization)
                .context(Context.EMPTY.withStatus(Context.Status.SUCCESS))
                .build();
    }

    void send(String id, String type, String entityId, Instant at) {
        fx.sendWithoutFlush(event(id, type, entityId, at, null));
    }

    List<String> ids(EntityHistoryQueries.Page page) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : page.events()) {
            out.add(e.path("id").asText());
        }
        return out;
    }

    /** Every event of the entity, walking the pages of {@code limit}. */
    List<String> walk(String type, String id, int limit, String organization) {
        List<String> all = new ArrayList<>();
        String cursor = null;
        do {
            EntityHistoryQueries.Page p = queries.page(type, id, limit, cursor, organization);
            assertThat(p.events()).hasSizeLessThanOrEqualTo(limit);
            all.addAll(ids(p));
            cursor = p.nextCursor();
        } while (cursor != null);
        return all;
    }

    static long entries(KeyValueStore<String, ?> store) {
        long n = 0;
        try (var it = store.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    @Test
    void anEntitysEventsAreServedNewestFirstByTimeThenIdAcrossPagesAndNotAnotherEntitys() {
        start(EntityHistorySettings.enabledWithDefaults());
        send("e1", "invoice", "INV-42", T0.plusSeconds(1));
        send("e3", "invoice", "INV-42", T0.plusSeconds(3));
        send("e2", "invoice", "INV-42", T0.plusSeconds(3)); // same instant as e3: id descending
        send("x1", "invoice", "INV-43", T0.plusSeconds(4)); // another invoice
        send("x2", "order", "INV-42", T0.plusSeconds(5)); // another type, same id
        send("x3", "invoice", "INV-4", T0.plusSeconds(6)); // an id that is a prefix of the other
        send("e4", "invoice", "INV-42", T0.plusSeconds(2).plusNanos(1_000)); // out of order, micros apart from e1's
        send("e5", "invoice", "INV-42", T0.plusSeconds(10));

        assertThat(walk("invoice", "INV-42", 2, null)).containsExactly("e5", "e3", "e2", "e4", "e1");
        assertThat(walk("invoice", "INV-42", 200, null)).containsExactly("e5", "e3", "e2", "e4", "e1");
        assertThat(walk("order", "INV-42", 20, null)).containsExactly("x2");
        assertThat(walk("invoice", "INV-4", 20, null)).containsExactly("x3");
        assertThat(walk("invoice", "nothing", 20, null)).isEmpty();

        EntityHistoryQueries.Page first = queries.page("invoice", "INV-42", 2, null, null);
        assertThat(first.events().get(0).path("entity").path("id").asText()).isEqualTo("INV-42");
        assertThat(first.lastCursor()).isEqualTo(first.nextCursor());
        EntityHistoryQueries.Page end = queries.page("invoice", "INV-42", 5, null, null);
        assertThat(end.nextCursor()).as("the hot tier holds no older event").isNull();
        assertThat(end.lastCursor()).as("where the warm store continues").isNotNull();
    }

    @Test
    void aCursorStaysValidWhenNewerEventsArriveAndReadsAsTheWarmStoresPosition() {
        start(EntityHistorySettings.enabledWithDefaults());
        for (int i = 1; i <= 4; i++) {
            send("e" + i, "invoice", "INV-1", T0.plusSeconds(i));
        }
        EntityHistoryQueries.Page first = queries.page("invoice", "INV-1", 2, null, null);
        assertThat(ids(first)).containsExactly("e4", "e3");
        send("e5", "invoice", "INV-1", T0.plusSeconds(5));
        assertThat(ids(queries.page("invoice", "INV-1", 2, first.nextCursor(), null)))
                .containsExactly("e2", "e1");
        // the warm store's cursor: URL-safe base64 of "<micros>:<event id>" of the last event returned
        String warm = java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((EntityKeys.micros(T0.plusSeconds(3)) + ":e3")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(first.nextCursor()).isEqualTo(warm);
        assertThatThrownBy(() -> queries.page("invoice", "INV-1", 2, "not a cursor!", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cursor");
        assertThatThrownBy(() -> queries.page("invoice", "INV-1", 0, null, null))
                .hasMessageContaining("limit");
    }

    @Test
    void onlyTheNewestMaxEventsOfAnEntityAreKeptAndAnOlderLateEventIsNotStored() {
        start(new EntityHistorySettings(true, 3, Duration.ofDays(7)));
        for (int i = 1; i <= 6; i++) {
            send("e" + i, "invoice", "INV-1", T0.plusSeconds(10 * i));
        }
        send("o1", "invoice", "INV-2", T0.plusSeconds(61));
        assertThat(walk("invoice", "INV-1", 20, null)).containsExactly("e6", "e5", "e4");
        KeyValueStore<String, byte[]> events = fx.driver.getKeyValueStore(EntityHistorySettings.EVENTS_STORE);
        KeyValueStore<String, byte[]> expiry = fx.driver.getKeyValueStore(EntityHistorySettings.EXPIRY_STORE);
        assertThat(entries(events)).as("evicted events are deleted").isEqualTo(4);
        assertThat(entries(expiry)).isEqualTo(4);

        send("late", "invoice", "INV-1", T0.plusSeconds(15)); // older than every one held of a full entity
        send("mid", "invoice", "INV-1", T0.plusSeconds(45)); // newer than the oldest held: evicts e4
        send("e6", "invoice", "INV-1", T0.plusSeconds(60)); // the same event again (a replay)
        assertThat(walk("invoice", "INV-1", 20, null)).containsExactly("e6", "e5", "mid");
        assertThat(entries(events)).isEqualTo(4);
        EntityHistoryWriter.Meta meta = EntityHistoryWriter.Meta.read(fx.driver
                .<String, byte[]>getKeyValueStore(EntityHistorySettings.META_STORE)
                .get(EntityKeys.entity("invoice", "INV-1")));
        assertThat(meta.count()).isEqualTo(3);
        assertThat(EntityKeys.eventIdOf(meta.oldest())).isEqualTo("mid");
    }

    @Test
    void eventsPastTheRetentionAreSweptAndOlderOnesAreNotStored() {
        start(new EntityHistorySettings(true, 50, Duration.ofHours(1)));
        send("a1", "invoice", "INV-1", T0);
        send("a2", "invoice", "INV-1", T0.plusSeconds(60 * 40));
        send("b1", "order", "O-1", T0.plusSeconds(60 * 50));
        assertThat(walk("invoice", "INV-1", 20, null)).containsExactly("a2", "a1");

        send("b2", "order", "O-1", T0.plusSeconds(60 * 90)); // stream time 1.5 h: a1 (and nothing else) is past 1 h
        send("b3", "order", "O-1", T0.plusSeconds(60 * 92)); // the sweep runs by stream time
        assertThat(walk("invoice", "INV-1", 20, null)).containsExactly("a2");
        send("old", "invoice", "INV-1", T0.plusSeconds(60 * 10)); // older than stream time - retention
        assertThat(walk("invoice", "INV-1", 20, null)).containsExactly("a2");

        send("b4", "order", "O-1", T0.plusSeconds(60 * 200));
        send("b5", "order", "O-1", T0.plusSeconds(60 * 202));
        assertThat(walk("invoice", "INV-1", 20, null)).isEmpty();
        assertThat(walk("order", "O-1", 20, null)).containsExactly("b5", "b4");
        assertThat(fx.driver
                        .<String, byte[]>getKeyValueStore(EntityHistorySettings.META_STORE)
                        .get(EntityKeys.entity("invoice", "INV-1")))
                .as("an entity without events has no count")
                .isNull();
        assertThat(entries(fx.driver.getKeyValueStore(EntityHistorySettings.EXPIRY_STORE)))
                .isEqualTo(2);
    }

    @Test
    void anOrganizationFilterPagesThroughThatOrganisationsEventsOnly() {
        start(EntityHistorySettings.enabledWithDefaults());
        for (int i = 1; i <= 6; i++) {
            fx.sendWithoutFlush(event("e" + i, "invoice", "INV-1", T0.plusSeconds(i), i % 2 == 0 ? "org-a" : "org-b"));
        }
        fx.sendWithoutFlush(event("n", "invoice", "INV-1", T0.plusSeconds(7), null));
        assertThat(walk("invoice", "INV-1", 2, "org-a")).containsExactly("e6", "e4", "e2");
        assertThat(walk("invoice", "INV-1", 2, "org-b")).containsExactly("e5", "e3", "e1");
        assertThat(walk("invoice", "INV-1", 20, null)).hasSize(7);
    }

    @Test
    void eventsWithoutAnEntityAreNotKeptAndTheTopologyNamesItsParts() {
        start(EntityHistorySettings.enabledWithDefaults());
        fx.sendWithoutFlush(CanonicalEvent.builder()
                .id("no-entity")
                .eventTimestamp(T0)
                .source("s")
                .action(new Action("system.clock.ticked", "other"))
                .actor(Actor.of("clock", Actor.SYSTEM))
                .build());
        assertThat(entries(fx.driver.getKeyValueStore(EntityHistorySettings.EVENTS_STORE)))
                .isZero();
        String described = TopologyFixture.part((builder, events) ->
                        EntityHistoryTopology.addTo(builder, events, EntityHistorySettings.enabledWithDefaults()))
                .describe()
                .toString();
        assertThat(described)
                .contains("entity-history-key", "entity-history-by-entity", "entity-history-write")
                .contains(EntityHistorySettings.EVENTS_STORE, EntityHistorySettings.META_STORE)
                .contains(EntityHistorySettings.EXPIRY_STORE);
        assertThat(TopologyFixture.part((builder, events) ->
                                EntityHistoryTopology.addTo(builder, events, EntityHistorySettings.disabled()))
                        .describe()
                        .toString())
                .as("switched off: no repartition, no store")
                .doesNotContain("entity-history");
    }
}
