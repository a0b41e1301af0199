package io.quintet.model;

import java.util.Arrays;
import java.util.List;

/**
 * A pattern over action names in which {@code *} stands for one or more whole segments:
 * {@code billing.*} matches {@code billing.invoice.created}; {@code *.login_failed} matches
 * {@code auth.user.login_failed}; {@code billing.*.created} matches {@code billing.invoice.created};
 * {@code *} alone matches every name. Literal segments follow the {@link ActionName} segment rule.
 */
public final class ActionPattern {
    private static final String WILDCARD = "*";

    private final String text;
    private final List<String> segments;

    private ActionPattern(String text, List<String> segments) {
        this.text = text;
        this.segments = segments;
    }

    public static ActionPattern parse(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw new InvalidActionNameException(pattern, -1, "action pattern is empty");
        }
        String[] parts = pattern.split("\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            if (WILDCARD.equals(parts[i])) {
                continue;
            }
            if (parts[i].isEmpty() || !ActionName.SEGMENT.matcher(parts[i]).matches()) {
                throw new InvalidActionNameException(
                        pattern,
                        i,
                        "action pattern '" + pattern + "': segment " + (i + 1) + " '" + parts[i]
                                + "' is neither '*' nor a lower snake-case word");
            }
        }
        if (parts.length > 3) {
            throw new InvalidActionNameException(
                    pattern,
                    3,
                    "action pattern '" + pattern
                            + "' has more than 3 segments and can never match a Domain.Entity.Action name");
        }
        return new ActionPattern(pattern, List.of(parts));
    }

    public boolean matches(ActionName name) {
        return matches(name.toString());
    }

    /** True when {@code name} (a dotted action name) matches; an invalid name never matches. */
    public boolean matches(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        return match(0, Arrays.asList(name.split("\\.", -1)), 0);
    }

    private boolean match(int p, List<String> name, int n) {
        if (p == segments.size()) {
            return n == name.size();
        }
        String seg = segments.get(p);
        if (WILDCARD.equals(seg)) {
            // one or more whole segments
            for (int take = 1; n + take <= name.size(); take++) {
                if (match(p + 1, name, n + take)) {
                    return true;
                }
            }
            return false;
        }
        return n < name.size() && seg.equals(name.get(n)) && match(p + 1, name, n + 1);
    }

    /** True when the pattern has no wildcard: it matches exactly one name. */
    public boolean isLiteral() {
        return !segments.contains(WILDCARD);
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ActionPattern other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
