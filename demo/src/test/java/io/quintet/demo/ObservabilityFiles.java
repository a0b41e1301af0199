package io.quintet.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric and label names that deploy/observability's Grafana dashboard and Prometheus alert rules use, and the
 * names the running services serve, so a test can check that every name a dashboard or rule uses is served.
 */
final class ObservabilityFiles {
    static final String DASHBOARD = "deploy/observability/grafana-dashboard.json";
    static final String RULES = "deploy/observability/prometheus-rules.yaml";
    /** Quintet's own families and the Kafka clients' (PrometheusText): what these files may name. */
    private static final Pattern METRIC = Pattern.compile("\\b((?:quintet|kafka)_[a-z0-9_]+)\\b");

    private ObservabilityFiles() {}

    /**
     * Every metric name in the dashboard and the rules, with the file it is in: every word of the files (their
     * comments aside) that looks like one of Quintet's or a Kafka client's families, so queries, annotations and
     * descriptions are all held to what the services serve.
     */
    static Map<String, String> referencedMetrics(Path repo) {
        Map<String, String> names = new TreeMap<>();
        for (String file : new String[] {DASHBOARD, RULES}) {
            try {
                String text = Files.readString(repo.resolve(file))
                        .lines()
                        .filter(l -> !l.stripLeading().startsWith("#"))
                        .collect(java.util.stream.Collectors.joining("\n"));
                names(text).forEach(n -> names.putIfAbsent(n, file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return names;
    }

    static Set<String> names(String promql) {
        Set<String> out = new TreeSet<>();
        Matcher m = METRIC.matcher(promql);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

    /**
     * The names one Prometheus text document serves: its sample names (with _bucket, _sum, _count, _total as served)
     * and its label names (the dashboard's legends and groupings name labels the same way).
     */
    static Set<String> servedNames(String text) {
        Set<String> out = new TreeSet<>();
        text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(l -> {
            int end = 0;
            while (end < l.length() && l.charAt(end) != '{' && l.charAt(end) != ' ') {
                end++;
            }
            out.add(l.substring(0, end));
            if (end < l.length() && l.charAt(end) == '{') {
                Matcher m = LABEL.matcher(l.substring(end, l.lastIndexOf('}') + 1));
                while (m.find()) {
                    out.add(m.group(1));
                }
            }
        });
        return out;
    }

    static String scrape(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(10))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + r.statusCode());
        }
        return r.body();
    }

    static boolean exists(Path repo) {
        return Files.exists(repo.resolve(DASHBOARD)) && Files.exists(repo.resolve(RULES));
    }
}
