package io.quintet.model;

import java.util.regex.Pattern;

/**
 * A Domain.Entity.Action name: exactly three lower snake-case segments joined by dots
 * ({@code billing.invoice.created}, {@code auth.user.login_failed}).
 */
public record ActionName(String domain, String entity, String action) {

    static final Pattern SEGMENT = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
    private static final String[] SEGMENT_NAMES = {"domain", "entity", "action"};

    public ActionName {
        String full = domain + "." + entity + "." + action;
        checkSegment(full, 0, domain);
        checkSegment(full, 1, entity);
        checkSegment(full, 2, action);
    }

    /** Parses a name; the exception message names the offending segment. */
    public static ActionName parse(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidActionNameException(
                    name, -1, "action name is empty; expected Domain.Entity.Action, e.g. billing.invoice.created");
        }
        String[] parts = name.split("\\.", -1);
        if (parts.length != 3) {
            throw new InvalidActionNameException(
                    name,
                    -1,
                    "action name '" + name + "' has " + parts.length
                            + " segment(s); expected 3 (Domain.Entity.Action, e.g. billing.invoice.created)");
        }
        return new ActionName(parts[0], parts[1], parts[2]);
    }

    public static boolean isValid(String name) {
        try {
            parse(name);
            return true;
        } catch (InvalidActionNameException e) {
            return false;
        }
    }

    /** The domain-level pattern, e.g. {@code billing.*}. */
    public ActionPattern domainPattern() {
        return ActionPattern.parse(domain + ".*");
    }

    @Override
    public String toString() {
        return domain + "." + entity + "." + action;
    }

    /**
     * Whether {@code s} matches {@link #SEGMENT} ({@code [a-z][a-z0-9]*(_[a-z0-9]+)*}), without the regex: the
     * gateway checks the name of every event it receives, and the matcher allocated per segment (the group loop
     * of the pattern keeps a hash set) was a visible part of its work per request. {@code ActionNameTest} compares
     * both on generated strings.
     */
    static boolean isSegment(String s) {
        int n = s.length();
        if (n == 0 || s.charAt(0) < 'a' || s.charAt(0) > 'z') {
            return false;
        }
        for (int i = 1; i < n; i++) {
            char c = s.charAt(i);
            if (c == '_') {
                if (i == n - 1 || s.charAt(i + 1) == '_') {
                    return false; // a '_' must be followed by at least one [a-z0-9]
                }
            } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    static void checkSegment(String name, int index, String segment) {
        String which = index >= 0 && index < SEGMENT_NAMES.length ? SEGMENT_NAMES[index] : "segment " + (index + 1);
        if (segment == null || segment.isEmpty()) {
            throw new InvalidActionNameException(
                    name, index, "action name '" + name + "': " + which + " segment (" + (index + 1) + ") is empty");
        }
        if (!isSegment(segment)) {
            throw new InvalidActionNameException(
                    name,
                    index,
                    "action name '" + name + "': " + which + " segment (" + (index + 1) + ") '" + segment
                            + "' is not lower snake case ([a-z][a-z0-9]* words joined by single '_')");
        }
    }
}
