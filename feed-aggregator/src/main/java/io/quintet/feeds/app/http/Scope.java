package io.quintet.feeds.app.http;

import java.util.Arrays;
import java.util.Optional;

/** What an API key may do. A per-user token has none of these: it reads and marks its own reader's feeds only. */
public enum Scope {
    /** read any reader's feeds (a back end) */
    FEEDS_READ_ANY("feeds:read-any"),
    /** mark any reader's notifications seen/read */
    FEEDS_WRITE_ANY("feeds:write-any"),
    /** live metrics ({@code /metrics/current}) */
    METRICS_READ("metrics:read"),
    /** active alerts and the alert stream */
    ALERTS_READ("alerts:read"),
    /** the stream of canonical events (pseudonymized, as on the topic) */
    EVENTS_READ("events:read"),
    /** issue per-user tokens ({@code POST /v1/tokens}), by pseudonym or, through the vault lookup, by user id */
    TOKENS_ISSUE("tokens:issue"),
    /**
     * the web console's pages and read API (it admits the same key entries); grants nothing on the feed API itself
     */
    CONSOLE_READ("console:read"),
    /** the web console's dead-letter replay; grants nothing on the feed API itself */
    CONSOLE_REPLAY("console:replay");

    private final String id;

    Scope(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<Scope> fromId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }

    public static String ids() {
        return String.join(", ", Arrays.stream(values()).map(Scope::id).toList());
    }
}
