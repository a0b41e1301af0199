package io.quintet.sink;

import org.apache.kafka.common.config.ConfigException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@link TableMaintenance} does to the warm store.
 *
 * @param retention       per action domain, how long rows are kept (warm tier); domains without a rule are kept
 * @param snapshotMaxAge  snapshots older than this are expired (the newest {@code snapshotRetainLast} are kept)
 * @param orphanMinAge    files no snapshot references are removed once older than this (never younger: a running
 *                        sink's written-but-not-yet-committed files look the same)
 * @param compactMinFiles a partition with at least this many data files is rewritten into few large sorted ones
 * @param archiveDir      cold tier: closed partitions are copied here with a manifest of file hashes; empty = off
 * @param archiveAfter    a partition is closed once its day is this far in the past
 */
public record MaintenanceSettings(List<RetentionRule> retention, Duration snapshotMaxAge, int snapshotRetainLast,
                                  Duration orphanMinAge, int compactMinFiles, String archiveDir, Duration archiveAfter) {

    public MaintenanceSettings {
        retention = List.copyOf(retention);
    }

    /** The rule for a domain: its own, else the {@code *} default, else none (kept forever). */
    public Optional<RetentionRule> ruleFor(String domain) {
        Optional<RetentionRule> own = retention.stream().filter(r -> r.domain().equals(domain)).findFirst();
        return own.isPresent() ? own : retention.stream().filter(r -> r.domain().equals("*")).findFirst();
    }

    /** Rows of action domain {@code domain} ({@code *} = every other domain) are kept for {@code keep}. */
    public record RetentionRule(String domain, Duration keep) {
        private static final Pattern RULE = Pattern.compile("\\s*(\\*|[a-z][a-z0-9_]*\\.\\*)\\s*=\\s*(\\d+)\\s*([dhDH])\\s*");

        /**
         * Parses {@code security.*=2555d, billing.*=2555d, user.*=730d, *=365d}. Patterns name a whole action domain
         * ({@code domain.*}) or every domain ({@code *}): the table is partitioned by domain and day, so expiry
         * removes whole files and never rewrites data.
         */
        public static List<RetentionRule> parseList(String text) {
            List<RetentionRule> rules = new ArrayList<>();
            if (text == null || text.isBlank()) {
                return rules;
            }
            for (String part : text.split(",")) {
                Matcher m = RULE.matcher(part);
                if (!m.matches()) {
                    throw new ConfigException("retention rule '" + part.trim()
                            + "' must look like domain.*=<n>d or *=<n>d (whole action domains, days or hours)");
                }
                String pattern = m.group(1);
                long n = Long.parseLong(m.group(2));
                Duration keep = m.group(3).toLowerCase(Locale.ROOT).equals("d") ? Duration.ofDays(n) : Duration.ofHours(n);
                String domain = pattern.equals("*") ? "*" : pattern.substring(0, pattern.length() - 2);
                if (rules.stream().anyMatch(r -> r.domain().equals(domain))) {
                    throw new ConfigException("retention rule for '" + pattern + "' is given twice");
                }
                rules.add(new RetentionRule(domain, keep));
            }
            return rules;
        }
    }
}
