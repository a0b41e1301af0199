package io.quintet.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Named figures of one benchmark run, in insertion order, plus a one-line summary for the docs table. */
public final class BenchmarkResult {
    private final String benchmark;
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private String failure;

    public BenchmarkResult(String benchmark) {
        this.benchmark = benchmark;
    }

    public BenchmarkResult put(String name, Object value) {
        figures.put(name, value);
        return this;
    }

    /** Adds p50/p90/p99/p99.9/max of a latency histogram recorded in microseconds, as milliseconds. */
    public BenchmarkResult latencies(String prefix, Histogram microsHistogram) {
        put(prefix + "_p50_ms", ms(microsHistogram.getValueAtPercentile(50)));
        put(prefix + "_p90_ms", ms(microsHistogram.getValueAtPercentile(90)));
        put(prefix + "_p99_ms", ms(microsHistogram.getValueAtPercentile(99)));
        put(prefix + "_p999_ms", ms(microsHistogram.getValueAtPercentile(99.9)));
        put(prefix + "_max_ms", ms(microsHistogram.getMaxValue()));
        return this;
    }

    private static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }

    /**
     * Marks the run as failed (a correctness check did not hold): the runner still records the figures, then
     * prints the message and exits non-zero.
     */
    public BenchmarkResult fail(String message) {
        this.failure = message;
        return this;
    }

    /** The failure message, or null when the run's checks held. */
    public String failure() {
        return failure;
    }

    public String benchmark() {
        return benchmark;
    }

    public Map<String, Object> figures() {
        return figures;
    }
}
