package io.quintet.feeds.metrics;

/**
 * A record of the metrics-by-series repartition topic: either a partial aggregate of one series (keyed by series) or a
 * watermark of one upstream task (sent to every partition). Exactly one of the two is set.
 */
public record SeriesInput(WindowAggregate partial, Watermark watermark) {
    public SeriesInput {
        if ((partial == null) == (watermark == null)) {
            throw new IllegalArgumentException("a series input is either a partial aggregate or a watermark");
        }
    }

    public static SeriesInput of(WindowAggregate partial) {
        return new SeriesInput(partial, null);
    }

    public static SeriesInput of(Watermark watermark) {
        return new SeriesInput(null, watermark);
    }

    /**
     * How far one upstream task (one partition of events.canonical) has read in event time.
     *
     * @param partition  the upstream task's input partition
     * @param streamTime the largest event time the task has read; every partial it sent before this watermark holds
     *                   only events up to it, and it sends later partials of older windows only for events that are
     *                   late by its own stream time
     * @param idle       the task read nothing since its previous watermark and has caught up with the wall clock, or
     *                   has read nothing for a while: it does not hold windows open
     */
    public record Watermark(int partition, long streamTime, boolean idle) {}
}
