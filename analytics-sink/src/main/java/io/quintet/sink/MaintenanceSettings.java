package io.quintet.sink;

import io.quintet.model.ActionPattern;
import io.quintet.model.InvalidActionNameException;
import org.apache.kafka.common.config.ConfigException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@link TableMaintenance} does to the warm store.
 *
 * @param retention       retention rules in order; for an action name the first rule whose pattern matches applies;
 *                        an action no rule matches is kept
 * @param snapshotMaxAge  snapshots older than this are expired (the newest {@code snapshotRetainLast} are kept)
 * @param orphanMinAge    files no snapshot references are removed once older than this (never younger: a running
 *                        sink's written-but-not-yet-committed files look the same)
 * @param compactMinFiles a partition with at least this many data files is rewritten into few large sorted ones
 * @param archiveDir      cold tier: closed partitions are copied here with a manifest of file hashes; empty = off
 * @param archiveAfter    a partition is closed once its day is this far in the past (for rules without their own)
 */
public record MaintenanceSettings(List<RetentionRule> retention, Duration snapshotMaxAge, int snapshotRetainLast,
                                  Duration orphanMinAge, int compactMinFiles, String archiveDir, Duration archiveAfter) {

    /**
     * The default of {@code retention.rules}: seed 003's retention table (user 2 y / archive 1 y, workflow 1 y / 6 mo,
     * security 7 y / 2 y, business 7 y / 3 y) mapped onto the domains of the shipped tracking plan; see
     * docs/analytics-sink.md ("Retention rules") for why each pattern gets its policy.
     */
    public static final String DEFAULT_RULES = String.join(",",
            "auth.user.login_attempted=7y/2y", "auth.user.login_failed=7y/2y", "security.*=7y/2y", // security
            "auth.*=2y/1y", "analytics.*=2y/1y",                                                   // user
            "ai.cost.incurred=7y/3y", "business.*=7y/3y", "billing.*=7y/3y",                       // business
            "workflow.*=1y/182d", "ai.*=1y/182d", "integration.*=1y/182d", "api.*=1y/182d",        // workflow
            "system.*=1y/182d",
            "*=7y/2y");                                                                            // unplanned

    public MaintenanceSettings {
        retention = List.copyOf(retention);
    }

    /** The rule for an action name: the first whose pattern matches, or none (the action is kept forever). */
    public Optional<RetentionRule> ruleFor(String actionName) {
        return retention.stream().filter(r -> r.pattern().matches(actionName)).findFirst();
    }

    /**
     * The rules that can apply to some action of {@code domain}, in order, up to and including the first that
     * matches every action of the domain.
     */
    public DomainRules rulesForDomain(String domain) {
        List<RetentionRule> out = new ArrayList<>();
        List<String> wholeDomain = List.of(domain, "*");
        for (RetentionRule r : retention) {
            String first = r.pattern().toString().split("\\.", -1)[0];
            if (!first.equals("*") && !first.equals(domain)) {
                continue;
            }
            out.add(r);
            if (covers(r.pattern(), wholeDomain)) {
                return new DomainRules(out, true);
            }
        }
        return new DomainRules(out, false);
    }

    /** Rules that may apply to a domain's rows; {@code complete}: every action of the domain has one of them. */
    public record DomainRules(List<RetentionRule> rules, boolean complete) {
    }

    /** How long {@code domain}'s rows stay only in the warm store: the shortest archive-after that can apply. */
    public Duration archiveAfterFor(String domain) {
        DomainRules d = rulesForDomain(domain);
        Duration shortest = d.complete() ? null : archiveAfter;
        for (RetentionRule r : d.rules()) {
            Duration a = r.archiveAfterOr(archiveAfter);
            shortest = shortest == null || a.compareTo(shortest) < 0 ? a : shortest;
        }
        return shortest == null ? archiveAfter : shortest;
    }

    /**
     * Rows whose action the first matching {@code pattern} selects are kept for {@code keep} in the warm store and
     * copied to the cold tier after {@code archiveAfter} ({@code null}: the {@code archive.after.days} setting).
     */
    public record RetentionRule(ActionPattern pattern, Duration keep, Duration archiveAfter) {
        private static final Pattern RULE = Pattern.compile("\\s*([^=\\s]+)\\s*=\\s*([^/\\s]+)\\s*(?:/\\s*([^/\\s]+)\\s*)?");
        private static final Pattern DURATION = Pattern.compile("(\\d+)([dhyDHY])");

        public RetentionRule(ActionPattern pattern, Duration keep) {
            this(pattern, keep, null);
        }

        public Duration archiveAfterOr(Duration fallback) {
            return archiveAfter == null ? fallback : archiveAfter;
        }

        /**
         * Parses {@code auth.user.login_failed=7y/2y, auth.*=2y/1y, security.*=2555d, *=7y}: an action pattern
         * ({@link ActionPattern}), {@code =}, how long rows are kept, optionally {@code /} and after how long they
         * are archived; durations in {@code d} (days), {@code h} (hours) or {@code y} (365 days). Rules are tried in
         * order and the first match wins; a rule an earlier one makes unreachable is refused.
         */
        public static List<RetentionRule> parseList(String text) {
            List<RetentionRule> rules = new ArrayList<>();
            if (text == null || text.isBlank()) {
                return rules;
            }
            for (String part : text.split(",")) {
                // the earlier form allowed a space between number and unit (730 d)
                Matcher m = RULE.matcher(part.replaceAll("(\\d)\\s+([A-Za-z])", "$1$2"));
                if (!m.matches()) {
                    throw new ConfigException("retention rule '" + part.trim() + "' must look like <action pattern>=<keep>"
                            + " or <action pattern>=<keep>/<archive after>, e.g. auth.*=2y/1y or *.login_failed=2555d");
                }
                ActionPattern pattern;
                try {
                    pattern = ActionPattern.parse(m.group(1));
                } catch (InvalidActionNameException e) {
                    throw new ConfigException("retention rule '" + part.trim() + "': " + e.getMessage());
                }
                Duration keep = duration(part, m.group(2));
                Duration archive = m.group(3) == null ? null : duration(part, m.group(3));
                if (archive != null && archive.compareTo(keep) >= 0) {
                    throw new ConfigException("retention rule '" + part.trim() + "': archive after " + m.group(3)
                            + " is not shorter than keep " + m.group(2) + ": the rows would be deleted before they are archived");
                }
                if (expansions(segments(pattern)).isEmpty()) {
                    throw new ConfigException("retention rule '" + part.trim() + "' can never match a Domain.Entity.Action name");
                }
                for (RetentionRule earlier : rules) {
                    if (covers(earlier.pattern(), segments(pattern))) {
                        throw new ConfigException("retention rule '" + part.trim() + "' is never used: the earlier rule '"
                                + earlier.pattern() + "' matches every action it matches (the first matching rule"
                                + " wins; put more specific patterns first and '*' last)");
                    }
                }
                rules.add(new RetentionRule(pattern, keep, archive));
            }
            return rules;
        }

        private static Duration duration(String rule, String text) {
            Matcher d = DURATION.matcher(text);
            if (!d.matches()) {
                throw new ConfigException("retention rule '" + rule.trim() + "': '" + text
                        + "' is not a duration (<n>d days, <n>h hours or <n>y years of 365 days)");
            }
            long n = Long.parseLong(d.group(1));
            return switch (d.group(2).toLowerCase(Locale.ROOT)) {
                case "h" -> Duration.ofHours(n);
                case "y" -> Duration.ofDays(365 * n);
                default -> Duration.ofDays(n);
            };
        }

        /** The text {@link #parseList} reads back as this rule. */
        public String format() {
            return pattern + "=" + format(keep) + (archiveAfter == null ? "" : "/" + format(archiveAfter));
        }

        private static String format(Duration d) {
            return d.toHours() % 24 == 0 ? d.toDays() + "d" : d.toHours() + "h";
        }
    }

    private static List<String> segments(ActionPattern p) {
        return Arrays.asList(p.toString().split("\\.", -1));
    }

    /**
     * Whether {@code earlier} matches every three-segment action name that the pattern {@code later} matches. Exact:
     * each {@code *} of {@code later} is expanded into fresh segments that no literal can equal, in every way that
     * makes three segments; {@code earlier} covers {@code later} when it matches all those expansions.
     */
    static boolean covers(ActionPattern earlier, List<String> later) {
        List<String> names = expansions(later);
        return !names.isEmpty() && names.stream().allMatch(earlier::matches);
    }

    private static List<String> expansions(List<String> segments) {
        List<String> out = new ArrayList<>();
        expand(segments, 0, new ArrayList<>(), out);
        return out;
    }

    private static void expand(List<String> pattern, int i, List<String> name, List<String> out) {
        if (name.size() > 3) {
            return;
        }
        if (i == pattern.size()) {
            if (name.size() == 3) {
                out.add(String.join(".", name));
            }
            return;
        }
        if (!pattern.get(i).equals("*")) {
            name.add(pattern.get(i));
            expand(pattern, i + 1, name, out);
            name.remove(name.size() - 1);
            return;
        }
        for (int take = 1; take <= 3; take++) {
            for (int k = 0; k < take; k++) {
                name.add("#" + i + "_" + k); // no literal segment can equal it
            }
            expand(pattern, i + 1, name, out);
            for (int k = 0; k < take; k++) {
                name.remove(name.size() - 1);
            }
        }
    }
}
