package io.quintet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.model.CanonicalEvent;
import io.quintet.model.json.CanonicalJson;
import io.quintet.model.schema.CanonicalSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {
    private static final Instant START = Instant.parse("2026-11-02T08:00:00Z");

    @Test
    void theSameSeedGivesTheSameEvents() {
        List<String> a = json(new LoadGenerator(7, 100, START, Duration.ofMillis(50)), 500);
        List<String> b = json(new LoadGenerator(7, 100, START, Duration.ofMillis(50)), 500);
        List<String> c = json(new LoadGenerator(8, 100, START, Duration.ofMillis(50)), 500);
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void everyGeneratedEventIsValidCanonicalAndTheDayIsVaried() {
        CanonicalSchema schema = CanonicalSchema.load();
        LoadGenerator gen = new LoadGenerator(42, 50, START, Duration.ofMillis(100));
        Set<String> actions = new TreeSet<>();
        Instant previous = START;
        for (int i = 0; i < 2_000; i++) {
            CanonicalEvent e = gen.next();
            assertThat(schema.validate(CanonicalJson.toJson(e)))
                    .as(e.action().name())
                    .isEmpty();
            assertThat(e.eventTimestamp()).isAfter(previous);
            previous = e.eventTimestamp();
            actions.add(e.action().name());
        }
        assertThat(actions)
                .contains(
                        "auth.user.login_succeeded",
                        "auth.user.login_failed",
                        "analytics.page.viewed",
                        "workflow.execution.completed",
                        "workflow.execution.failed",
                        "ai.model.completed",
                        "billing.invoice.paid",
                        "messaging.payment_reminder.opened",
                        "social.user.followed",
                        "social.post.liked",
                        "account.profile.updated");
    }

    private static List<String> json(LoadGenerator gen, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(CanonicalJson.toJson(gen.next()));
        }
        return out;
    }
}
