package io.quintet.benchmarks.pipeline;

import java.util.List;
import java.util.Optional;

/**
 * The pipeline's sustained capacity from its steps: the highest offered rate at which no stage's lag grew over the
 * step ({@link LagTrend}) and the gateway-answer-to-{@code events.canonical} latency p99 stayed under
 * {@link #P99_LIMIT_MS}. Pure.
 */
public final class Capacity {
    public static final double P99_LIMIT_MS = 1000;

    private Capacity() {}

    /**
     * What one step showed.
     *
     * @param offeredPerSecond the step's offered rate
     * @param growingStages    the consumer groups whose lag grew over the step (empty: all kept up)
     * @param canonicalP99Ms   p99 from the gateway's answer to the event on events.canonical, ms (NaN: none seen)
     */
    public record Step(int offeredPerSecond, List<String> growingStages, double canonicalP99Ms) {
        public boolean sustained() {
            return growingStages.isEmpty() && !Double.isNaN(canonicalP99Ms) && canonicalP99Ms < P99_LIMIT_MS;
        }

        /** Why the step is not sustained, or "sustained". */
        public String verdict() {
            if (sustained()) {
                return "sustained";
            }
            StringBuilder why = new StringBuilder();
            if (!growingStages.isEmpty()) {
                why.append("lag grows: ").append(String.join(", ", growingStages));
            }
            if (Double.isNaN(canonicalP99Ms) || canonicalP99Ms >= P99_LIMIT_MS) {
                why.append(why.length() > 0 ? "; " : "")
                        .append(
                                Double.isNaN(canonicalP99Ms)
                                        ? "no event reached events.canonical"
                                        : "canonical p99 " + Math.round(canonicalP99Ms) + " ms >= 1 s");
            }
            return why.toString();
        }
    }

    /** The highest sustained step's rate, empty when no step was sustained. */
    public static Optional<Integer> sustained(List<Step> steps) {
        return steps.stream()
                .filter(Step::sustained)
                .map(Step::offeredPerSecond)
                .max(Integer::compare);
    }
}
