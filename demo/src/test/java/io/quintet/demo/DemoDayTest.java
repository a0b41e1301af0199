package io.quintet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.model.CanonicalEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DemoDayTest {
    private static final long WINDOW_MS = 5 * 60_000L; // brute-force-login: 5 in a tumbling 5-minute window

    @Test
    void theBruteForceBurstPutsFiveFailedLoginsInOneWindowWhereverAWindowBoundaryFalls() {
        Instant boundary = Instant.parse("2026-12-04T12:05:00Z");
        for (long offsetMs = -12_000; offsetMs <= 0; offsetMs += 50) {
            DemoDay day = new DemoDay(Clock.fixed(boundary.plusMillis(offsetMs), ZoneOffset.UTC));
            Map<Long, Integer> perWindow = new TreeMap<>();
            for (CanonicalEvent e : day.stories()) {
                if (e.action().name().equals("auth.user.login_failed")
                        && e.actor().id().equals(DemoDay.ATTACKED)) {
                    perWindow.merge(e.eventTimestamp().toEpochMilli() / WINDOW_MS, 1, Integer::sum);
                }
            }
            assertThat(perWindow.values())
                    .as("failed logins per window when the story starts %d ms before a boundary", -offsetMs)
                    .anySatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(5));
        }
    }
}
