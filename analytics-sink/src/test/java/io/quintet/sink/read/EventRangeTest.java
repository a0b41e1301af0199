package io.quintet.sink.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quintet.model.ActionPattern;
import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Entity;
import io.quintet.sink.config.CatalogFactory;
import io.quintet.sink.config.SinkConfig;
import io.quintet.sink.fixtures.TableFixtures;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventRangeTest {
    static final Instant D1 = Instant.parse("2026-10-30T00:00:00Z");

    @TempDir
    Path dir;

    Catalog catalog;
    Table table;

    static CanonicalEvent event(String id, Instant at, String action) {
        return CanonicalEvent.builder()
                .id(id)
                .eventTimestamp(at)
                .source("s")
                .action(action, "other")
                .actor(Actor.of("psn-" + id, Actor.USER))
                .entity(Entity.of("e-" + id, "thing"))
                .build();
    }

    @BeforeEach
    void table() {
        SinkConfig config = TableFixtures.config(dir, Map.of());
        catalog = CatalogFactory.create(config);
        // three days, two domains; written out of time order and over two Kafka partitions
        table = TableFixtures.append(
                TableFixtures.table(catalog, config),
                0,
                0,
                List.of(
                        event("d3-billing", D1.plusSeconds(2 * 86_400 + 10), "billing.invoice.created"),
                        event("d1-late-login", D1.plusSeconds(500), "auth.user.login_failed"),
                        event("d1-billing", D1.plusSeconds(100), "billing.invoice.paid"),
                        event("d2-login-ok", D1.plusSeconds(86_400 + 5), "auth.user.login_succeeded")));
        table = TableFixtures.append(
                table,
                1,
                0,
                List.of(
                        event("d2-sec", D1.plusSeconds(86_400 + 1), "security.login.failed"),
                        event("d1-login", D1.plusSeconds(200), "auth.user.login_failed"),
                        event("d2-end", D1.plusSeconds(2 * 86_400 - 1), "billing.invoice.sent"),
                        event("d3-start", D1.plusSeconds(2 * 86_400), "billing.invoice.sent")));
    }

    @AfterEach
    void close() throws IOException {
        if (catalog instanceof Closeable c) {
            c.close();
        }
    }

    List<String> ids(EventRange range) {
        List<String> ids = new ArrayList<>();
        range.read(table, r -> ids.add((String) r.getField("event_id")));
        return ids;
    }

    @Test
    void aRangeGivesItsEventsInEventTimeOrderAcrossDaysAndPartitions() {
        assertThat(ids(new EventRange(D1, D1.plusSeconds(3 * 86_400), null)))
                .containsExactly(
                        "d1-billing",
                        "d1-login",
                        "d1-late-login",
                        "d2-sec",
                        "d2-login-ok",
                        "d2-end",
                        "d3-start",
                        "d3-billing");
    }

    @Test
    void theStartIsIncludedAndTheEndIsNot() {
        assertThat(ids(new EventRange(D1.plusSeconds(200), D1.plusSeconds(2 * 86_400), null)))
                .containsExactly("d1-login", "d1-late-login", "d2-sec", "d2-login-ok", "d2-end");
    }

    @Test
    void aPatternSelectsByActionWhateverItsShape() {
        Instant to = D1.plusSeconds(3 * 86_400);
        assertThat(ids(new EventRange(D1, to, ActionPattern.parse("billing.*"))))
                .containsExactly("d1-billing", "d2-end", "d3-start", "d3-billing");
        assertThat(ids(new EventRange(D1, to, ActionPattern.parse("*.login_failed"))))
                .containsExactly("d1-login", "d1-late-login");
        assertThat(ids(new EventRange(D1, to, ActionPattern.parse("*.failed")))).containsExactly("d2-sec");
        assertThat(ids(new EventRange(D1, to, ActionPattern.parse("billing.invoice.sent"))))
                .containsExactly("d2-end", "d3-start");
    }

    @Test
    void rowsReadCountsOnlyWhatTheScanCouldNotPruneAway() {
        long all = new EventRange(D1, D1.plusSeconds(3 * 86_400), null).read(table, r -> {});
        long billing =
                new EventRange(D1, D1.plusSeconds(3 * 86_400), ActionPattern.parse("billing.*")).read(table, r -> {});
        assertThat(all).isEqualTo(8);
        assertThat(billing).isEqualTo(4); // the auth and security partitions were not read
    }

    @Test
    void anEmptyRangeIsRefused() {
        assertThatThrownBy(() -> new EventRange(D1, D1, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
