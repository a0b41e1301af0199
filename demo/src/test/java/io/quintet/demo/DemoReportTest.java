package io.quintet.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the demo sent and what the gateway answered, summed over its requests. */
class DemoReportTest {

    private static GatewayClient.Answer answer(int status, int accepted, int rejected) {
        return new GatewayClient.Answer(status, accepted, rejected, List.of(), "", List.of(), null);
    }

    @Test
    void answersAreSummedAndEachRequestCountedUnderItsStatus() {
        DemoReport report = new DemoReport();
        report.record(answer(200, 50, 0), 50);
        report.record(answer(207, 45, 5), 50);
        report.record(answer(200, 10, 0), 10);
        report.record(answer(429, 0, 0), 20);

        assertThat(report.sent).isEqualTo(130);
        assertThat(report.accepted).isEqualTo(105);
        assertThat(report.rejected).isEqualTo(5);
        assertThat(report.statuses).containsExactly(entry(200, 2), entry(207, 1), entry(429, 1));
    }
}
