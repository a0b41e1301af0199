package io.quintet.model;

/**
 * The rule of the canonical {@code organization_id} (the tenant): 1 to {@value #MAX_LENGTH} characters, the first an
 * ASCII letter or digit, the rest ASCII letters, digits, {@code .}, {@code _}, {@code :} or {@code -}; the schema's
 * {@code "pattern": "^[A-Za-z0-9][A-Za-z0-9._:-]*$", "maxLength": 128}. Safe as an Iceberg partition value, a SQL
 * literal and a query parameter without escaping. An organisation id identifies an organisation, not a person: it is
 * not personal data.
 */
public final class OrganizationId {
    public static final int MAX_LENGTH = 128;
    /** The canonical JSON field. */
    public static final String FIELD = "organization_id";

    private OrganizationId() {}

    public static boolean isValid(CharSequence s) {
        if (s == null || s.length() == 0 || s.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alnum && (i == 0 || (c != '.' && c != '_' && c != ':' && c != '-'))) {
                return false;
            }
        }
        return true;
    }

    /** {@code value} when valid; otherwise an {@link IllegalArgumentException} saying what the rule is. */
    public static String require(String value, String where) {
        if (!isValid(value)) {
            throw new IllegalArgumentException(where + ": '" + value + "' is not an organization id (1-" + MAX_LENGTH
                    + " characters: a letter or digit, then letters, digits, '.', '_', ':' or '-')");
        }
        return value;
    }
}
