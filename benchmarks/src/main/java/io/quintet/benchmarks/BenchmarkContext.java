package io.quintet.benchmarks;

import java.util.Map;

/**
 * What a benchmark gets: the broker to run against and the command-line options.
 *
 * @param bootstrapServers a real broker on this machine (in-JVM KRaft by default, or {@code --bootstrap})
 * @param options          {@code --key value} options, e.g. {@code events}, {@code seed}
 */
public record BenchmarkContext(String bootstrapServers, Map<String, String> options) {

    public long longOption(String name, long defaultValue) {
        String v = options.get(name);
        return v == null ? defaultValue : Long.parseLong(v);
    }

    public int intOption(String name, int defaultValue) {
        return (int) longOption(name, defaultValue);
    }

    public String option(String name, String defaultValue) {
        return options.getOrDefault(name, defaultValue);
    }
}
