package io.quintet.demo;

import io.quintet.model.topics.TopicCatalogue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Prints a progress line (sent, accepted, canonical, dead-lettered, alerts) at most every two seconds. */
final class ProgressPrinter implements AutoCloseable {
    private final TopicReader topics;
    private final DemoReport report;
    private final TopicCatalogue catalogue = TopicCatalogue.defaults();
    private long lastPrint;

    ProgressPrinter(TopicReader topics, DemoReport report) {
        this.topics = topics;
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
        return new long[]{
                topics.endOffsetSum(catalogue.name(TopicCatalogue.EVENTS_CANONICAL)),
                topics.endOffsetSum(catalogue.name(TopicCatalogue.EVENTS_DLQ)),
                topics.endOffsetSum(catalogue.name(TopicCatalogue.ALERTS))};
    }

    private void print() {
        long[] c = counts();
        System.out.printf("  sent %6d | accepted %6d | rejected at the edge %3d | canonical ~%6d | dead-lettered ~%4d | alerts ~%3d%n",
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
        // nothing held: the topic reader belongs to the caller
    }
}
