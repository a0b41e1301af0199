package io.quintet.benchmarks;

/**
 * One runnable benchmark. Implementations measure side by side in one run when they compare, and report ratios.
 * Register new ones in META-INF/services/io.quintet.benchmarks.Benchmark (read by {@link BenchmarkRunner#BENCHMARKS}).
 */
public interface Benchmark {

    /** Short name used on the command line ({@code ./quintet bench --only NAME}). */
    String name();

    /** One line on what is measured. */
    String description();

    BenchmarkResult run(BenchmarkContext context) throws Exception;

    /**
     * Whether it runs against the runner's broker (the in-JVM one unless {@code --bootstrap} is given); false for a
     * benchmark that starts its own broker process.
     */
    default boolean usesRunnerBroker() {
        return true;
    }
}
