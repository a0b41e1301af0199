package io.quintet.feeds.metrics.alerts;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quintet.feeds.stream.Durations;
import io.quintet.model.ActionPattern;
import io.quintet.model.InvalidActionNameException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads alert rules from YAML (see {@code config/alert-rules.yaml}): threshold rules, and anomaly rules (a
 * {@code baseline:} block, read by {@link BaselineRulesParser}); every problem in the file is reported at once, each
 * naming the rule and the field.
 */
public final class AlertRulesFile {
    private static final Pattern RULE_ID = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final Set<String> SEVERITIES = Set.of("info", "warning", "high", "critical");
    private static final Set<String> RULE_FIELDS = Set.of(
            "id",
            "description",
            "pattern",
            "filter",
            "group_by",
            "window",
            "grace",
            "threshold",
            "severity",
            "deliver_to");

    private AlertRulesFile() {}

    /** Invalid rules file: one message per problem. */
    public static final class InvalidRulesException extends RuntimeException {
        private final List<String> problems;

        public InvalidRulesException(String where, List<String> problems) {
            super("invalid alert rules in " + where + ":\n  - " + String.join("\n  - ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    /** As {@link #load(Path, Duration, List)} without checking anomaly rules' series windows. */
    public static AlertRuleSet load(Path file, Duration defaultGrace) {
        return load(file, defaultGrace, null);
    }

    /**
     * @param metricWindows the service's {@code metrics.windows}: an anomaly rule's series window must be one of them
     *                      (null: not checked)
     */
    public static AlertRuleSet load(Path file, Duration defaultGrace, List<Duration> metricWindows) {
        try {
            return parse(Files.readString(file), defaultGrace, metricWindows, file.toString());
        } catch (IOException e) {
            throw new InvalidRulesException(file.toString(), List.of("cannot read the file: " + e.getMessage()));
        }
    }

    /** As {@link #parse(String, Duration, List, String)} without checking anomaly rules' series windows. */
    public static AlertRuleSet parse(String yaml, Duration defaultGrace, String where) {
        return parse(yaml, defaultGrace, null, where);
    }

    /**
     * @param metricWindows the service's {@code metrics.windows}: an anomaly rule's series window must be one of them
     *                      (null: not checked)
     */
    public static AlertRuleSet parse(String yaml, Duration defaultGrace, List<Duration> metricWindows, String where) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidRulesException(where, List.of("not valid YAML: " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new InvalidRulesException(where, List.of("cannot read the rules: " + e.getMessage()));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return AlertRuleSet.empty();
        }
        JsonNode rules = root.get("rules");
        if (!root.isObject() || rules == null || !rules.isArray()) {
            throw new InvalidRulesException(where, List.of("expected a top-level 'rules:' list"));
        }
        List<String> problems = new ArrayList<>();
        List<AlertRule> out = new ArrayList<>();
        List<BaselineRule> baselines = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            JsonNode r = rules.get(i);
            String id = text(r, "id");
            String name = "rule " + (i + 1) + (id == null ? "" : " '" + id + "'");
            List<String> p = new ArrayList<>();
            if (id == null || !RULE_ID.matcher(id).matches()) {
                p.add(name + ": id is missing or not lower-case letters, digits, '.', '_', '-'");
            } else if (!ids.add(id)) {
                p.add(name + ": id is used by an earlier rule");
            }
            String severity = text(r, "severity") == null ? "warning" : text(r, "severity");
            if (!SEVERITIES.contains(severity)) {
                p.add(name + ": severity '" + severity + "' is not one of info, warning, high, critical");
            }
            if (r.has("baseline")) {
                if (r.has("threshold")) {
                    p.add(name + ": give either threshold (a fixed bound) or baseline (an anomaly rule), not both");
                }
                BaselineRule b =
                        BaselineRulesParser.parse(r, id, name, text(r, "description"), severity, metricWindows, p);
                if (p.isEmpty()) {
                    baselines.add(b);
                }
                problems.addAll(p);
                continue;
            }
            r.fieldNames().forEachRemaining(f -> {
                if (!RULE_FIELDS.contains(f)) {
                    p.add(name + ": unknown field '" + f + "' (known: "
                            + String.join(", ", new java.util.TreeSet<>(RULE_FIELDS)) + ")");
                }
            });
            ActionPattern pattern = null;
            try {
                pattern = ActionPattern.parse(text(r, "pattern"));
            } catch (InvalidActionNameException e) {
                p.add(name + ": pattern: " + e.getMessage());
            }
            Map<String, Set<String>> filter = filter(r.get("filter"), name, p);
            GroupBy groupBy = null;
            try {
                groupBy = GroupBy.parse(text(r, "group_by"));
            } catch (IllegalArgumentException e) {
                p.add(name + ": " + e.getMessage());
            }
            Duration window = duration(r, "window", null, name, p);
            Duration grace = duration(r, "grace", defaultGrace, name, p);
            Threshold threshold = threshold(r.get("threshold"), name, p);
            if (p.isEmpty()) {
                out.add(AlertRule.of(
                        id, text(r, "description"), pattern, filter, groupBy, window, grace, threshold, severity));
            }
            problems.addAll(p);
        }
        if (!problems.isEmpty()) {
            throw new InvalidRulesException(where, problems);
        }
        return new AlertRuleSet(out, baselines);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Duration duration(JsonNode r, String field, Duration dflt, String name, List<String> p) {
        String t = text(r, field);
        if (t == null) {
            if (dflt == null) {
                p.add(name + ": " + field + " is missing (e.g. 5m)");
            }
            return dflt;
        }
        try {
            Duration d = Durations.parse(t);
            if (d.isNegative() || (field.equals("window") && d.isZero())) {
                p.add(name + ": " + field + " must be positive");
            }
            return d;
        } catch (IllegalArgumentException e) {
            p.add(name + ": " + field + ": " + e.getMessage());
            return null;
        }
    }

    private static Map<String, Set<String>> filter(JsonNode f, String name, List<String> p) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        if (f == null || f.isNull()) {
            return out;
        }
        if (!f.isObject()) {
            p.add(name + ": filter must map JSON pointers to a value or a list of values");
            return out;
        }
        f.fields().forEachRemaining(e -> {
            if (!e.getKey().startsWith("/")) {
                p.add(name + ": filter field '" + e.getKey() + "' must be a JSON pointer such as /context/status");
                return;
            }
            try {
                JsonPointer.compile(e.getKey());
            } catch (IllegalArgumentException ex) {
                p.add(name + ": filter field '" + e.getKey() + "' is not a JSON pointer");
                return;
            }
            Set<String> values = new LinkedHashSet<>();
            if (e.getValue().isArray()) {
                e.getValue().forEach(v -> values.add(v.asText()));
            } else if (e.getValue().isValueNode()) {
                values.add(e.getValue().asText());
            } else {
                p.add(name + ": filter '" + e.getKey() + "' must be a value or a list of values");
            }
            out.put(e.getKey(), values);
        });
        return out;
    }

    private static Threshold threshold(JsonNode t, String name, List<String> p) {
        if (t == null || !t.isObject()) {
            p.add(
                    name
                            + ": threshold is missing; give one of {count: N}, {failure_rate: 0.2, min_count: N}, {sum: /json/pointer, at_least: X}");
            return null;
        }
        int kinds = (t.has("count") ? 1 : 0) + (t.has("failure_rate") ? 1 : 0) + (t.has("sum") ? 1 : 0);
        if (kinds != 1) {
            p.add(name + ": threshold needs exactly one of count, failure_rate, sum");
            return null;
        }
        if (t.has("count")) {
            long n = t.get("count").asLong(-1);
            if (!t.get("count").canConvertToLong() || n < 1) {
                p.add(name + ": threshold count must be a whole number >= 1");
                return null;
            }
            return Threshold.count(n);
        }
        if (t.has("failure_rate")) {
            double rate = t.get("failure_rate").asDouble(-1);
            long min = t.has("min_count") ? t.get("min_count").asLong(-1) : 1;
            if (!t.get("failure_rate").isNumber() || rate < 0 || rate >= 1) {
                p.add(name + ": threshold failure_rate must be a fraction in [0, 1), e.g. 0.2 for 20 %");
                return null;
            }
            if (min < 1) {
                p.add(name + ": threshold min_count must be a whole number >= 1");
                return null;
            }
            return Threshold.failureRate(rate, min);
        }
        String field = t.get("sum").asText();
        if (!field.startsWith("/")) {
            p.add(
                    name
                            + ": threshold sum must be a JSON pointer to a numeric field, e.g. /context/domain_specific/analytics/properties/cost");
            return null;
        }
        JsonNode atLeast = t.get("at_least");
        if (atLeast == null || !atLeast.isNumber()) {
            p.add(name + ": threshold sum needs a numeric at_least");
            return null;
        }
        return Threshold.sum(field, atLeast.decimalValue().stripTrailingZeros());
    }
}
