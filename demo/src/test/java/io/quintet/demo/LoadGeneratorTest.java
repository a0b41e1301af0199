package io.quintet.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.quintet.model.Action;
import io.quintet.model.ActionName;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.json.CanonicalJson;
import io.quintet.model.schema.CanonicalSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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

    @Test
    void everyActionNameIsDomainEntityActionAndEveryTypeADefaultOne() {
        LoadGenerator gen = new LoadGenerator(3, 500, START, Duration.ofMillis(10));
        for (int i = 0; i < 5_000; i++) {
            Action a = gen.next().action();
            assertThat(ActionName.isValid(a.name())).as(a.name()).isTrue();
            assertThat(a.name().split("\\.")).as(a.name()).hasSize(3);
            assertThat(Action.DEFAULT_TYPES).as(a.name()).contains(a.type());
        }
    }

    @Test
    void theMixOfKindsFollowsItsSharesAndIsTheSameForTheSameSeed() {
        Map<String, Integer> mix = domains(new LoadGenerator(11, 200, START, Duration.ofMillis(10)), 10_000);

        // the generator's shares: 20 % page views, 15 % logins, 15 % workflow runs, 12 % AI calls, 12 % invoices,
        // 8 % payment reminders, 10 % social, 8 % profile updates
        assertThat(share(mix, "analytics")).isCloseTo(0.20, within(0.015));
        assertThat(share(mix, "auth")).isCloseTo(0.15, within(0.015));
        assertThat(share(mix, "workflow")).isCloseTo(0.15, within(0.015));
        assertThat(share(mix, "ai")).isCloseTo(0.12, within(0.015));
        assertThat(share(mix, "billing")).isCloseTo(0.12, within(0.015));
        assertThat(share(mix, "messaging")).isCloseTo(0.08, within(0.015));
        assertThat(share(mix, "social")).isCloseTo(0.10, within(0.015));
        assertThat(share(mix, "account")).isCloseTo(0.08, within(0.015));
        assertThat(mix)
                .containsOnlyKeys("analytics", "auth", "workflow", "ai", "billing", "messaging", "social", "account");
        assertThat(domains(new LoadGenerator(11, 200, START, Duration.ofMillis(10)), 10_000))
                .isEqualTo(mix);
    }

    @Test
    void usersAreDrawnFromTheGivenNumberOfIds() {
        LoadGenerator gen = new LoadGenerator(5, 3, START, Duration.ofMillis(10));
        Set<String> users = new TreeSet<>();
        for (int i = 0; i < 1_000; i++) {
            CanonicalEvent e = gen.next();
            if ("user".equals(e.actor().type())) {
                users.add(e.actor().id());
            }
        }
        assertThat(users).containsExactly("user-0", "user-1", "user-2");
    }

    @Test
    void fewerThanTwoUsersAreRefused() {
        assertThatThrownBy(() -> new LoadGenerator(1, 1, START, Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("users must be >= 2");
    }

    private static Map<String, Integer> domains(LoadGenerator gen, int n) {
        Map<String, Integer> out = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            out.merge(gen.next().action().parsedName().domain(), 1, Integer::sum);
        }
        return out;
    }

    private static double share(Map<String, Integer> mix, String domain) {
        return mix.getOrDefault(domain, 0)
                / (double) mix.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static List<String> json(LoadGenerator gen, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(CanonicalJson.toJson(gen.next()));
        }
        return out;
    }
}
