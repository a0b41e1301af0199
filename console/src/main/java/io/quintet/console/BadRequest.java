package io.quintet.console;

/**
 * A request the console cannot answer because of its input: answered 400 with what was wrong ({@code error}) and
 * where ({@code where}: the query parameter, path segment or body field).
 */
public final class BadRequest extends RuntimeException {
    private final String where;

    public BadRequest(String where, String message) {
        super(message);
        this.where = where;
    }

    public String where() {
        return where;
    }
}
