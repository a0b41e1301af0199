package io.quintet.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TopicRatesTest {

    @Test
    void recordsPerSecondCountTheLastWholeSecondsByRecordTimestamp() {
        Instant now = Instant.parse("2026-12-04T05:00:30.500Z");
        TopicRates rates = new TopicRates(Clock.fixed(now, ZoneOffset.UTC));
        for (int s = 1; s <= 10; s++) {
            for (int i = 0; i < 4; i++) {
                rates.record("events.canonical", now.minusSeconds(s).toEpochMilli());
            }
        }
        rates.record("events.canonical", now.toEpochMilli()); // the current, partial second: not counted yet
        rates.record("events.canonical", now.minusSeconds(3_600).toEpochMilli()); // history read at start: too old
        assertThat(rates.perSecond("events.canonical", 10)).isEqualTo(4.0);
        assertThat(rates.perSecond("events.canonical", 60)).isEqualTo(40 / 60.0);
        assertThat(rates.perSecond("events.dlq", 10)).isZero();
    }
}
