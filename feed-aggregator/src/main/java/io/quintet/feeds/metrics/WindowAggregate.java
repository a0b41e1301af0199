package io.quintet.feeds.metrics;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;

/**
 * The running aggregate of one series in one window: counts, a HyperLogLog sketch of the actors (Apache
 * DataSketches, HLL_8) and a DDSketch of the durations (relative-error quantiles), plus exact decimal sums of the
 * declared measures. Both sketches are mergeable, so windows and instances can be combined without loss of their
 * error guarantees. Mutable: the aggregator updates it in place between reading and writing the store.
 */
public final class WindowAggregate {
    private long count;
    private long failures;
    private final HllSketch actors;
    private final DDSketch durations;
    private final double relativeAccuracy;
    private final Map<String, BigDecimal> sums;

    WindowAggregate(
            long count,
            long failures,
            HllSketch actors,
            DDSketch durations,
            double relativeAccuracy,
            Map<String, BigDecimal> sums) {
        this.count = count;
        this.failures = failures;
        this.actors = actors;
        this.durations = durations;
        this.relativeAccuracy = relativeAccuracy;
        this.sums = new TreeMap<>(sums);
    }

    public static WindowAggregate empty(MetricsSettings settings) {
        return new WindowAggregate(
                0,
                0,
                new HllSketch(settings.hllLgK(), TgtHllType.HLL_8),
                newDurationSketch(settings.relativeAccuracy()),
                settings.relativeAccuracy(),
                Map.of());
    }

    static DDSketch newDurationSketch(double relativeAccuracy) {
        return DDSketches.collapsingLowestDense(relativeAccuracy, MetricsSettings.DDSKETCH_MAX_BINS);
    }

    public WindowAggregate add(MetricSample s) {
        count++;
        if (s.failed()) {
            failures++;
        }
        if (s.actor() != null) {
            actors.update(s.actor());
        }
        if (s.durationMs() != null && Double.isFinite(s.durationMs()) && s.durationMs() >= 0) {
            durations.accept(s.durationMs());
        }
        s.measures().forEach((k, v) -> sums.merge(k, v, BigDecimal::add));
        return this;
    }

    /**
     * This aggregate with {@code other} folded in (a partial of the same series and window): counts and sums add,
     * the HyperLogLog sketches union and the DDSketches merge, so the result is what one aggregate over both sets of
     * events would hold. Updates this one in place (its sketch of actors is replaced by the union).
     */
    public WindowAggregate merge(WindowAggregate other) {
        final WindowAggregate out;
        if (other.actors.isEmpty()) {
            out = this;
        } else {
            Union union = new Union(Math.max(actors.getLgConfigK(), other.actors.getLgConfigK()));
            union.update(actors);
            union.update(other.actors);
            out = new WindowAggregate(
                    count, failures, union.getResult(TgtHllType.HLL_8), durations, relativeAccuracy, sums);
        }
        out.count += other.count;
        out.failures += other.failures;
        if (!other.durations.isEmpty()) {
            out.durations.mergeWith(other.durations);
        }
        other.sums.forEach((k, v) -> out.sums.merge(k, v, BigDecimal::add));
        return out;
    }

    public long count() {
        return count;
    }

    public long failures() {
        return failures;
    }

    public double failureRate() {
        return count == 0 ? 0.0 : (double) failures / count;
    }

    public HllSketch actors() {
        return actors;
    }

    public DDSketch durations() {
        return durations;
    }

    public double relativeAccuracy() {
        return relativeAccuracy;
    }

    public Map<String, BigDecimal> sums() {
        return java.util.Collections.unmodifiableMap(sums);
    }
}
