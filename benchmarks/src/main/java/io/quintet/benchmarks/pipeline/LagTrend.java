package io.quintet.benchmarks.pipeline;

import java.util.List;

/**
 * Whether a consumer group's lag grew over a step, from lag samples taken during the step. Lag of a stage that keeps
 * up is bounded but not flat: it saw-tooths with commit intervals and batches (the sink commits a batch every 5 s,
 * so its lag swings between 0 and about 5 s of input). A stage <b>grows</b> when both
 * <ul>
 *   <li>the least-squares slope of its lag over the step exceeds {@link #SLOPE_SHARE} of the offered rate
 *       (records per second), and</li>
 *   <li>its lag at the end exceeds its lag at the start by more than {@link #toleranceRecords} (5 s of offered
 *       load, at least {@link #MIN_TOLERANCE}): more than one sink batch or commit interval can explain.</li>
 * </ul>
 * Pure: no clock, no Kafka.
 */
public final class LagTrend {
    /** Share of the offered rate the lag must grow by per second. */
    public static final double SLOPE_SHARE = 0.02;
    /** Smallest end-minus-start growth that counts, in records. */
    public static final long MIN_TOLERANCE = 500;
    /** Seconds of offered load the end-minus-start growth must exceed. */
    public static final double TOLERANCE_SECONDS = 5;

    private LagTrend() {}

    /** One reading: milliseconds since the step started, total lag of the group in records. */
    public record Sample(long atMillis, long lag) {}

    public static long toleranceRecords(double offeredPerSecond) {
        return Math.max(MIN_TOLERANCE, Math.round(offeredPerSecond * TOLERANCE_SECONDS));
    }

    /** Least-squares slope of lag over time, records per second; 0 with fewer than two samples at distinct times. */
    public static double slopePerSecond(List<Sample> samples) {
        int n = samples.size();
        if (n < 2) {
            return 0;
        }
        double mt = 0;
        double ml = 0;
        for (Sample s : samples) {
            mt += s.atMillis() / 1000.0;
            ml += s.lag();
        }
        mt /= n;
        ml /= n;
        double num = 0;
        double den = 0;
        for (Sample s : samples) {
            double dt = s.atMillis() / 1000.0 - mt;
            num += dt * (s.lag() - ml);
            den += dt * dt;
        }
        return den == 0 ? 0 : num / den;
    }

    /** See the class comment; samples in time order, the first at the step's start and the last at its end. */
    public static boolean grows(List<Sample> samples, double offeredPerSecond) {
        if (samples.size() < 2) {
            return false;
        }
        long growth = samples.get(samples.size() - 1).lag() - samples.get(0).lag();
        return growth > toleranceRecords(offeredPerSecond) && slopePerSecond(samples) > SLOPE_SHARE * offeredPerSecond;
    }
}
