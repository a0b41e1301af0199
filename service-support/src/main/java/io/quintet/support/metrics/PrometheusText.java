package io.quintet.support.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Metrics in the Prometheus text exposition format (version 0.0.4), for the services that serve them next to their
 * own HTTP (the enricher's and the sink's health port, the feed-aggregator's API): the metrics of their Kafka
 * clients (Kafka Streams, consumers, producers: consumer lag, commit latency, records consumed and produced...) and
 * the service's own counters, each a named supplier of labelled values. No dependency beyond kafka-clients.
 */
public final class PrometheusText {
    /** The content type of the text format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder();

    /** One labelled value of a metric family. */
    public record Sample(Map<String, String> labels, double value) {
        public static Sample of(double value) {
            return new Sample(Map.of(), value);
        }
    }

    /** A metric family of the service itself. */
    public PrometheusText family(String name, String type, String help, List<Sample> samples) {
        String n = sanitize(name);
        out.append("# HELP ").append(n).append(' ').append(escapeHelp(help)).append('\n');
        out.append("# TYPE ").append(n).append(' ').append(type).append('\n');
        for (Sample s : samples) {
            sample(n, s.labels(), s.value());
        }
        return this;
    }

    public PrometheusText counter(String name, String help, double value) {
        return family(name, "counter", help, List.of(Sample.of(value)));
    }

    public PrometheusText gauge(String name, String help, double value) {
        return family(name, "gauge", help, List.of(Sample.of(value)));
    }

    /**
     * The numeric metrics of a Kafka client as gauges named {@code kafka_<group>_<name>} (dashes and dots become
     * underscores, {@code -total} counters keep their name), with the metric's tags as labels. Metrics whose value is
     * not a number (e.g. a client's version string) are left out.
     */
    public PrometheusText kafka(Map<MetricName, ? extends Metric> metrics) {
        Map<String, List<Map.Entry<MetricName, Double>>> families = new TreeMap<>();
        Map<String, String> help = new LinkedHashMap<>();
        for (var e : metrics.entrySet()) {
            Object v;
            try {
                v = e.getValue().metricValue();
            } catch (RuntimeException unavailable) {
                continue;
            }
            if (!(v instanceof Number number)) {
                continue;
            }
            MetricName m = e.getKey();
            String family = sanitize("kafka_" + m.group().replace("-metrics", "") + "_" + m.name());
            families.computeIfAbsent(family, k -> new ArrayList<>()).add(Map.entry(m, number.doubleValue()));
            help.putIfAbsent(family, m.description());
        }
        families.forEach((family, samples) -> {
            out.append("# HELP ")
                    .append(family)
                    .append(' ')
                    .append(escapeHelp(help.get(family)))
                    .append('\n');
            out.append("# TYPE ").append(family).append(" gauge\n");
            samples.sort(Comparator.comparing(s -> new TreeMap<>(s.getKey().tags()).toString()));
            for (var s : samples) {
                sample(family, s.getKey().tags(), s.getValue());
            }
        });
        return this;
    }

    private void sample(String name, Map<String, String> labels, double value) {
        out.append(name);
        if (!labels.isEmpty()) {
            out.append('{');
            boolean first = true;
            for (var l : new TreeMap<>(labels).entrySet()) {
                out.append(first ? "" : ",")
                        .append(sanitize(l.getKey()))
                        .append("=\"")
                        .append(escapeLabel(l.getValue()))
                        .append('"');
                first = false;
            }
            out.append('}');
        }
        out.append(' ').append(format(value)).append('\n');
    }

    static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** A valid metric or label name: [a-zA-Z_:][a-zA-Z0-9_:]*, everything else becomes '_'. */
    static String sanitize(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_:]", "_");
        return Character.isDigit(s.charAt(0)) ? "_" + s : s;
    }

    private static String escapeLabel(String v) {
        return v == null ? "" : v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String escapeHelp(String v) {
        return v == null || v.isBlank() ? "-" : v.replace("\\", "\\\\").replace("\n", "\\n");
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
