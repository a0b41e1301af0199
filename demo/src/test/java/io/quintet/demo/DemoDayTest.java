package io.quintet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The demo day's alert stories fire wherever the demo starts relative to the rules' tumbling windows (a CI run once
 * started the story at 12:05:00 and split the brute-force burst over two 5-minute windows).
 */
class DemoDayTest {
    private static final Instant BOUNDARY = Instant.parse("2026-12-04T12:00:00Z"); // a 5- and a 10-minute boundary

    @Test
    void theBruteForceBurstPutsFiveFailedLoginsInOneWindowWhereverAWindowBoundaryFalls() {
        for (long offsetMs = -15_000; offsetMs <= 0; offsetMs += 50) {
            Map<Long, List<CanonicalEvent>> windows = perWindow(
                    offsetMs,
                    5 * 60_000L,
                    e -> e.action().name().equals("auth.user.login_failed")
                            && e.actor().id().equals(DemoDay.ATTACKED));
            assertThat(windows.values())
                    .as("failed logins per 5-minute window when the story starts %d ms before a boundary", -offsetMs)
                    .anySatisfy(w -> assertThat(w).hasSizeGreaterThanOrEqualTo(5));
        }
    }

    @Test
    void theFailingWorkflowHasFiveRunsOverTwentyPercentFailedInOneWindowWhereverAWindowBoundaryFalls() {
        for (long offsetMs = -15_000; offsetMs <= 0; offsetMs += 50) {
            Map<Long, List<CanonicalEvent>> windows = perWindow(
                    offsetMs,
                    10 * 60_000L,
                    e -> e.entity() != null && e.entity().id().equals(DemoDay.FAILING_WORKFLOW));
            assertThat(windows.values())
                    .as("runs per 10-minute window when the story starts %d ms before a boundary", -offsetMs)
                    .anySatisfy(w -> {
                        assertThat(w).hasSizeGreaterThanOrEqualTo(5);
                        long failed = w.stream()
                                .filter(e -> e.contextOrEmpty().status() == Context.Status.FAILURE)
                                .count();
                        assertThat((double) failed / w.size()).isGreaterThan(0.20);
                    });
        }
    }

    private static Map<Long, List<CanonicalEvent>> perWindow(
            long offsetMs, long windowMs, Predicate<CanonicalEvent> story) {
        DemoDay day = new DemoDay(Clock.fixed(BOUNDARY.plusMillis(offsetMs), ZoneOffset.UTC));
        Map<Long, List<CanonicalEvent>> windows = new TreeMap<>();
        for (CanonicalEvent e : day.stories()) {
            if (story.test(e)) {
                windows.computeIfAbsent(e.eventTimestamp().toEpochMilli() / windowMs, w -> new java.util.ArrayList<>())
                        .add(e);
            }
        }
        return windows;
    }
}
