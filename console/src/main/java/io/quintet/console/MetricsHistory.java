package io.quintet.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Closed metric windows read from the {@code metrics} topic ({@code quintet.metrics.v1} records written by the
 * feed-aggregator once a window closes): per window size, dimension and value, the newest {@link #WINDOWS} windows by
 * start. The console's charts draw these; the open window comes from the feed-aggregator's {@code /metrics/current}.
 */
public final class MetricsHistory {
    static final int WINDOWS = 120;
    static final Set<String> WINDOW_SIZES = Set.of("1m", "1h");
    static final Set<String> DIMENSIONS = Set.of("action", "source", "domain");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** window ("1m") -> dimension -> value -> window_start -> record. */
    private final Map<String, Map<String, Map<String, TreeMap<String, JsonNode>>>> series = new TreeMap<>();

    private long received;
    private long skipped;

    public synchronized void add(ConsumerRecord<byte[], byte[]> r) {
        JsonNode n;
        try {
            n = r.value() == null ? null : MAPPER.readTree(r.value());
        } catch (IOException e) {
            n = null;
        }
        if (n == null || !"quintet.metrics.v1".equals(n.path("schema").asText())) {
            skipped++;
            return;
        }
        add(n);
    }

    synchronized void add(JsonNode n) {
        String window = windowName(n.path("window_size").asText());
        String dimension = n.path("dimension").asText();
        // one organisation's series (the feed-aggregator's metrics.per.organization) are not charted: the charts show
        // the series over every organisation, which already count those events
        if (window == null || !DIMENSIONS.contains(dimension) || n.hasNonNull("organization_id")) {
            skipped++;
            return;
        }
        received++;
        TreeMap<String, JsonNode> windows = series.computeIfAbsent(window, w -> new TreeMap<>())
                .computeIfAbsent(dimension, d -> new TreeMap<>())
                .computeIfAbsent(n.path("value").asText(), v -> new TreeMap<>());
        windows.put(n.path("window_start").asText(), n);
        while (windows.size() > WINDOWS) {
            windows.pollFirstEntry();
        }
    }

    static String windowName(String isoSize) {
        return switch (isoSize) {
            case "PT1M", "1m" -> "1m";
            case "PT1H", "1h" -> "1h";
            default -> null;
        };
    }

    /** {@code {"window","dimension","series":[{"value","points":[{window_start, count, ...}]}]}}, closed windows only. */
    public synchronized ObjectNode toJson(String window, String dimension) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("window", window);
        out.put("dimension", dimension);
        out.put("received", received);
        ArrayNode list = out.putArray("series");
        series.getOrDefault(window, Map.of()).getOrDefault(dimension, Map.of()).forEach((value, windows) -> {
            ObjectNode s = list.addObject();
            s.put("value", value);
            ArrayNode points = s.putArray("points");
            windows.values().forEach(points::add);
        });
        return out;
    }
}
