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
            throw new InvalidActionNameException(name, -1, "action name is empty; expected Domain.Entity.Action, e.g. billing.invoice.created");
        }
        String[] parts = name.split("\\.", -1);
        if (parts.length != 3) {
            throw new InvalidActionNameException(name, -1, "action name '" + name + "' has " + parts.length
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

    static void checkSegment(String name, int index, String segment) {
        String which = index >= 0 && index < SEGMENT_NAMES.length ? SEGMENT_NAMES[index] : "segment " + (index + 1);
        if (segment == null || segment.isEmpty()) {
            throw new InvalidActionNameException(name, index, "action name '" + name + "': " + which
                    + " segment (" + (index + 1) + ") is empty");
        }
        if (!SEGMENT.matcher(segment).matches()) {
            throw new InvalidActionNameException(name, index, "action name '" + name + "': " + which + " segment ("
                    + (index + 1) + ") '" + segment + "' is not lower snake case ([a-z][a-z0-9]* words joined by single '_')");
        }
    }
}
