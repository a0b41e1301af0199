package io.quintet.feeds.metrics;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quintet.model.ActionName;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.InvalidActionNameException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;

/**
 * The part of one event a metric needs: who (pseudonym), whether it failed, how long it took and its declared measures.
 * This is what crosses the repartition topic, instead of the whole event.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricSample(
        @JsonProperty("actor") String actor,
        @JsonProperty("failed") boolean failed,
        @JsonProperty("duration_ms") Double durationMs,
        @JsonProperty("measures") Map<String, BigDecimal> measures) {

    public MetricSample {
        measures = measures == null ? Map.of() : Map.copyOf(measures);
    }

    public static MetricSample of(CanonicalEvent e, Set<String> measureNames) {
        Context c = e.contextOrEmpty();
        Double duration = c.telemetry() == null ? null : c.telemetry().durationMs();
        Map<String, BigDecimal> measures = new LinkedHashMap<>();
        Map<String, Object> props = c.analyticsProperties();
        for (String m : measureNames) {
            BigDecimal v = decimal(props.get(m));
            if (v != null) {
                measures.put(m, v);
            }
        }
        String actor = e.actor() == null ? null : e.actor().id();
        return new MetricSample(actor, c.status() == Context.Status.FAILURE, duration, measures);
    }

    /** One sample per series the event belongs to: its action, its source and its action's domain. */
    public static List<KeyValue<String, MetricSample>> perSeries(CanonicalEvent e, Set<String> measureNames) {
        MetricSample sample = of(e, measureNames);
        List<KeyValue<String, MetricSample>> out = new ArrayList<>(3);
        String name = e.action() == null ? null : e.action().name();
        if (name != null) {
            out.add(KeyValue.pair(MetricDimension.ACTION.key(name), sample));
            try {
                out.add(KeyValue.pair(
                        MetricDimension.DOMAIN.key(ActionName.parse(name).domain() + ".*"), sample));
            } catch (InvalidActionNameException notDomainEntityAction) {
                // no domain roll-up for a name outside the convention; the action series still counts it
            }
        }
        if (e.source() != null) {
            out.add(KeyValue.pair(MetricDimension.SOURCE.key(e.source()), sample));
        }
        return out;
    }

    /**
     * {@link #perSeries(CanonicalEvent, Set)}, and with {@link MetricsSettings#perOrganization()} for an event that has
     * an {@code organization_id} the same series once more for its organisation
     * ({@link MetricDimension#organizationKey}).
     */
    public static List<KeyValue<String, MetricSample>> perSeries(CanonicalEvent e, MetricsSettings settings) {
        List<KeyValue<String, MetricSample>> out = perSeries(e, settings.measures());
        String organization = e.organizationId();
        if (settings.perOrganization() && organization != null && !out.isEmpty()) {
            for (int i = 0, n = out.size(); i < n; i++) {
                KeyValue<String, MetricSample> s = out.get(i);
                out.add(KeyValue.pair(MetricDimension.organizationKey(organization, s.key), s.value));
            }
        }
        return out;
    }

    static BigDecimal decimal(Object v) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof java.math.BigInteger) {
            return new BigDecimal(v.toString());
        }
        if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
            return BigDecimal.valueOf(n.doubleValue());
        }
        return null;
    }
}
