package io.quintet.sink.config;

import io.quintet.model.ActionPattern;
import io.quintet.model.InvalidActionNameException;
import io.quintet.model.OrganizationId;
import io.quintet.sink.maintenance.TableMaintenance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigException;

/**
 * What {@link TableMaintenance} does to the warm store.
 *
 * @param retention       retention rules in order; for a row the first rule whose pattern matches its action name (and,
 *                        for a per-organisation override, whose organisation is the row's) applies; a row no rule
 *                        matches is kept
 * @param snapshotMaxAge  snapshots older than this are expired (the newest {@code snapshotRetainLast} are kept)
 * @param orphanMinAge    files no snapshot references are removed once older than this (never younger: a running
 *                        sink's written-but-not-yet-committed files look the same)
 * @param compactMinFiles a partition with at least this many data files is rewritten into few large sorted ones
 * @param archiveDir      cold tier: closed partitions are copied here with a manifest of file hashes; empty = off
 * @param archiveAfter    a partition is closed once its day is this far in the past (for rules without their own)
 */
public record MaintenanceSettings(
        List<RetentionRule> retention,
        Duration snapshotMaxAge,
        int snapshotRetainLast,
        Duration orphanMinAge,
        int compactMinFiles,
        String archiveDir,
        Duration archiveAfter) {

    /**
     * The default of {@code retention.rules}: seed 003's retention table (user 2 y / archive 1 y, workflow 1 y / 6 mo,
     * security 7 y / 2 y, business 7 y / 3 y) mapped onto the domains of the shipped tracking plan; see
     * docs/analytics-sink.md ("Retention rules") for why each pattern gets its policy.
     */
    public static final String DEFAULT_RULES = String.join(
            ",",
            "auth.user.login_attempted=7y/2y",
            "auth.user.login_failed=7y/2y",
            "security.*=7y/2y", // security
            "auth.*=2y/1y",
            "analytics.*=2y/1y", // user
            "ai.cost.incurred=7y/3y",
            "business.*=7y/3y",
            "billing.*=7y/3y", // business
            "workflow.*=1y/182d",
            "ai.*=1y/182d",
            "integration.*=1y/182d",
            "api.*=1y/182d", // workflow
            "system.*=1y/182d",
            "*=7y/2y"); // unplanned

    public MaintenanceSettings {
        retention = List.copyOf(retention);
    }

    /** The rule for an action name of a row without organisation: the first that matches, or none (kept forever). */
    public Optional<RetentionRule> ruleFor(String actionName) {
        return ruleFor(actionName, null);
    }

    /** The rule for a row: the first that matches its action name and organisation (null: none), or none. */
    public Optional<RetentionRule> ruleFor(String actionName, String organizationId) {
        for (RetentionRule r : retention) {
            if (r.matches(actionName, organizationId)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /**
     * The rules that can apply to some action of {@code domain}, in order, up to and including the first that
     * matches every action of the domain.
     */
    public DomainRules rulesForDomain(String domain) {
        return rulesForPartition(domain, false, null);
    }

    /**
     * {@link #rulesForDomain} for a partition of {@code domain}; with {@code organizationKnown} the partition holds
     * only rows of {@code organizationId} (null: rows without one), so the other organisations' overrides are left
     * out and an override of this one can complete the list. Without it every override of the domain may apply.
     */
    public DomainRules rulesForPartition(String domain, boolean organizationKnown, String organizationId) {
        List<RetentionRule> out = new ArrayList<>();
        List<String> wholeDomain = List.of(domain, "*");
        for (RetentionRule r : retention) {
            String first = r.pattern().toString().split("\\.", -1)[0];
            if (!first.equals("*") && !first.equals(domain)) {
                continue;
            }
            if (r.organizationId() != null
                    && organizationKnown
                    && !r.organizationId().equals(organizationId)) {
                continue;
            }
            out.add(r);
            if ((r.organizationId() == null || organizationKnown) && covers(r.pattern(), wholeDomain)) {
                return new DomainRules(out, true);
            }
        }
        return new DomainRules(out, false);
    }

    /** Rules that may apply to a domain's rows; {@code complete}: every action of the domain has one of them. */
    public record DomainRules(List<RetentionRule> rules, boolean complete) {}

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
     * With an {@code organizationId} the rule is a per-organisation (tenant) override: it matches only rows of that
     * organisation ({@code pattern@organization=keep[/archive after]}).
     */
    public record RetentionRule(ActionPattern pattern, Duration keep, Duration archiveAfter, String organizationId) {
        private static final Pattern RULE =
                Pattern.compile("\\s*([^=\\s]+)\\s*=\\s*([^/\\s]+)\\s*(?:/\\s*([^/\\s]+)\\s*)?");
        private static final Pattern DURATION = Pattern.compile("(\\d+)([dhyDHY])");

        public RetentionRule(ActionPattern pattern, Duration keep) {
            this(pattern, keep, null, null);
        }

        public RetentionRule(ActionPattern pattern, Duration keep, Duration archiveAfter) {
            this(pattern, keep, archiveAfter, null);
        }

        /** Whether the rule selects a row of this action and organisation (null: a row without one). */
        public boolean matches(String actionName, String organization) {
            return (organizationId == null || organizationId.equals(organization)) && pattern.matches(actionName);
        }

        public Duration archiveAfterOr(Duration fallback) {
            return archiveAfter == null ? fallback : archiveAfter;
        }

        /**
         * Parses {@code auth.user.login_failed=7y/2y, billing.*@org-acme=10y/3y, auth.*=2y/1y, security.*=2555d, *=7y}:
         * an action pattern ({@link ActionPattern}), optionally {@code @} and an organisation id (a per-tenant
         * override), {@code =}, how long rows are kept, optionally {@code /} and after how long they are archived;
         * durations in {@code d} (days), {@code h} (hours) or {@code y} (365 days). Rules are tried in order and the
         * first match wins; a rule an earlier one makes unreachable is refused (so an override comes before the
         * general rule it overrides).
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
                    throw new ConfigException(
                            "retention rule '" + part.trim() + "' must look like <action pattern>=<keep>"
                                    + " or <action pattern>=<keep>/<archive after>, e.g. auth.*=2y/1y or *.login_failed=2555d");
                }
                String patternText = m.group(1);
                String organization = null;
                int at = patternText.indexOf('@');
                if (at >= 0) {
                    organization = patternText.substring(at + 1);
                    patternText = patternText.substring(0, at);
                    if (!OrganizationId.isValid(organization)) {
                        throw new ConfigException("retention rule '" + part.trim() + "': '" + organization
                                + "' is not an"
                                + " organization id (1-" + OrganizationId.MAX_LENGTH + " characters: a letter or digit,"
                                + " then letters, digits, '.', '_', ':' or '-')");
                    }
                }
                ActionPattern pattern;
                try {
                    pattern = ActionPattern.parse(patternText);
                } catch (InvalidActionNameException e) {
                    throw new ConfigException("retention rule '" + part.trim() + "': " + e.getMessage());
                }
                Duration keep = duration(part, m.group(2));
                Duration archive = m.group(3) == null ? null : duration(part, m.group(3));
                if (archive != null && archive.compareTo(keep) >= 0) {
                    throw new ConfigException("retention rule '" + part.trim() + "': archive after " + m.group(3)
                            + " is not shorter than keep " + m.group(2)
                            + ": the rows would be deleted before they are archived");
                }
                if (expansions(segments(pattern)).isEmpty()) {
                    throw new ConfigException(
                            "retention rule '" + part.trim() + "' can never match a Domain.Entity.Action name");
                }
                for (RetentionRule earlier : rules) {
                    boolean sameRows = earlier.organizationId() == null
                            || earlier.organizationId().equals(organization);
                    if (sameRows && covers(earlier.pattern(), segments(pattern))) {
                        throw new ConfigException(
                                "retention rule '" + part.trim() + "' is never used: the earlier rule '"
                                        + earlier.label() + "' matches every row it matches (the first matching rule"
                                        + " wins; put organisation overrides and more specific patterns first and '*' last)");
                    }
                }
                rules.add(new RetentionRule(pattern, keep, archive, organization));
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
            return label() + "=" + format(keep) + (archiveAfter == null ? "" : "/" + format(archiveAfter));
        }

        /** The rule's selector as written: {@code pattern} or {@code pattern@organization}. */
        public String label() {
            return organizationId == null ? pattern.toString() : pattern + "@" + organizationId;
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
