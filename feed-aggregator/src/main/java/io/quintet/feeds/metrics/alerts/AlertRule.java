package io.quintet.feeds.metrics.alerts;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import io.quintet.model.ActionPattern;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One alert rule: events whose action matches {@code pattern} and whose fields pass {@code filter} are counted per
 * group and tumbling window; the rule fires when the {@link Threshold} is met.
 * <p>
 * The {@link #fingerprint()} covers everything that decides what is counted and when it fires (not the description
 * or severity): state is kept under it, so a reload keeps the state of a rule whose fingerprint is unchanged and
 * starts afresh for one that changed.
 *
 * @param filter JSON pointer into the canonical event -> accepted values (the field's text must be one of them)
 */
public record AlertRule(
        String id,
        String description,
        ActionPattern pattern,
        Map<String, Set<String>> filter,
        GroupBy groupBy,
        Duration window,
        Duration grace,
        Threshold threshold,
        String severity,
        String fingerprint) {

    public AlertRule {
        filter = Map.copyOf(new TreeMap<>(filter));
    }

    public static AlertRule of(
            String id,
            String description,
            ActionPattern pattern,
            Map<String, Set<String>> filter,
            GroupBy groupBy,
            Duration window,
            Duration grace,
            Threshold threshold,
            String severity) {
        return new AlertRule(
                id,
                description,
                pattern,
                filter,
                groupBy,
                window,
                grace,
                threshold,
                severity,
                fingerprintOf(pattern, filter, groupBy, window, grace, threshold));
    }

    boolean matches(String actionName, io.quintet.feeds.stream.EventFields view) {
        if (!pattern.matches(actionName)) {
            return false;
        }
        for (var f : filter.entrySet()) {
            JsonNode n = view.at(JsonPointer.compile(f.getKey()));
            if (n.isMissingNode()
                    || n.isNull()
                    || !n.isValueNode()
                    || !f.getValue().contains(n.asText())) {
                return false;
            }
        }
        return true;
    }

    private static String fingerprintOf(
            ActionPattern pattern,
            Map<String, Set<String>> filter,
            GroupBy groupBy,
            Duration window,
            Duration grace,
            Threshold threshold) {
        Map<String, Set<String>> sorted = new TreeMap<>();
        filter.forEach((k, v) -> sorted.put(k, new java.util.TreeSet<>(v)));
        String canonical = String.join(
                "\n",
                List.of(
                        pattern.toString(),
                        sorted.toString(),
                        groupBy.spec(),
                        String.valueOf(window.toMillis()),
                        String.valueOf(grace.toMillis()),
                        threshold.describe().toString()));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
