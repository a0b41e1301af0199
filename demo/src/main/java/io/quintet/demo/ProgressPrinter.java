package io.quintet.demo;

import io.quintet.model.topics.TopicCatalogue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Prints a progress line (sent, accepted, canonical, dead-lettered, alerts) at most every two seconds. The topic
 * figures are counts of committed records ({@link RecordCounter}), not end offsets, which transaction markers inflate.
 */
final class ProgressPrinter implements AutoCloseable {
    private static final TopicCatalogue CATALOGUE = TopicCatalogue.defaults();
    private static final String CANONICAL = CATALOGUE.name(TopicCatalogue.EVENTS_CANONICAL);
    private static final String DLQ = CATALOGUE.name(TopicCatalogue.EVENTS_DLQ);
    private static final String ALERTS = CATALOGUE.name(TopicCatalogue.ALERTS);
    private final RecordCounter counter;
    private final DemoReport report;
    private long lastPrint;

    ProgressPrinter(String bootstrap, DemoReport report) {
        this.counter = new RecordCounter(bootstrap, List.of(CANONICAL, DLQ, ALERTS));
        this.report = report;
    }

    void maybePrint() {
        if (System.nanoTime() - lastPrint < TimeUnit.SECONDS.toNanos(2)) {
            return;
        }
        lastPrint = System.nanoTime();
        print();
    }

    private long[] counts() {
        Map<String, Long> c = counter.update(Duration.ofMillis(500));
        return new long[] {c.get(CANONICAL), c.get(DLQ), c.get(ALERTS)};
    }

    private void print() {
        long[] c = counts();
        System.out.printf(
                "  sent %6d | accepted %6d | rejected at the edge %3d | canonical %6d | dead-lettered %4d | alerts %3d%n",
                report.sent, report.accepted, report.rejected, c[0], c[1], c[2]);
    }

    /** Waits until the output topics stop growing for {@code quiet}, at most {@code max}. */
    void awaitQuiet(Duration quiet, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        long[] last = counts();
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline && System.nanoTime() - stableSince < quiet.toNanos()) {
            TimeUnit.SECONDS.sleep(1);
            long[] now = counts();
            if (!java.util.Arrays.equals(now, last)) {
                last = now;
                stableSince = System.nanoTime();
                maybePrint();
            }
        }
        print();
    }

    @Override
    public void close() {
        counter.close();
    }
}
