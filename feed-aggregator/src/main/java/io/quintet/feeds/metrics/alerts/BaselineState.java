package io.quintet.feeds.metrics.alerts;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a baseline rule has learned about one series (store {@value BaselineTopology#BASELINES_STORE}, key
 * rule|state fingerprint|series value): the exponentially weighted mean and variance of its figure (when the rule has
 * an EWMA baseline), how many windows were learned, the newest window evaluated, and how many windows in a row were
 * anomalous. Updated once per closed window.
 * <p>
 * The update (West 1979; Finch 2009, "Incremental calculation of weighted mean and variance"), for a new value x:
 * <pre>
 *   diff = x - mean;  incr = alpha * diff;  mean = mean + incr;  variance = (1 - alpha) * (variance + diff * incr)
 * </pre>
 * starting from mean = the first value, variance = 0.
 */
public record BaselineState(
        @JsonProperty("mean") double mean,
        @JsonProperty("variance") double variance,
        @JsonProperty("history") long history,
        @JsonProperty("last_window_start") long lastWindowStart,
        @JsonProperty("anomalous_run") long anomalousRun) {

    /** Gap filling stops here: after this many zero windows the mean and variance are zero for any alpha >= 0.01. */
    static final int MAX_FILL = 5_000;

    static BaselineState first(double x, long windowStart, boolean anomalous) {
        return new BaselineState(x, 0, 1, windowStart, anomalous ? 1 : 0);
    }

    /** This state with x learned for the window starting at {@code windowStart}. */
    BaselineState learn(double x, double alpha, long windowStart, boolean anomalous) {
        if (history == 0) {
            return new BaselineState(x, 0, 1, windowStart, anomalous ? anomalousRun + 1 : 0);
        }
        double diff = x - mean;
        double incr = alpha * diff;
        return new BaselineState(
                mean + incr,
                (1 - alpha) * (variance + diff * incr),
                history + 1,
                windowStart,
                anomalous ? anomalousRun + 1 : 0);
    }

    /** This state with the window evaluated but kept out of the baseline (an anomalous window not yet adapted to). */
    BaselineState skip(long windowStart) {
        return new BaselineState(mean, variance, history, windowStart, anomalousRun + 1);
    }

    /** This state with {@code windows} zero values learned (windows the metrics did not emit: no events). */
    BaselineState fillZeros(long windows, double alpha) {
        if (windows <= 0 || history == 0) {
            return this;
        }
        double m = mean;
        double v = variance;
        for (long i = 0; i < Math.min(windows, MAX_FILL); i++) {
            double diff = -m;
            double incr = alpha * diff;
            m += incr;
            v = (1 - alpha) * (v + diff * incr);
        }
        return new BaselineState(m, v, history + windows, lastWindowStart, anomalousRun);
    }

    double stddev() {
        return Math.sqrt(Math.max(variance, 0));
    }
}
