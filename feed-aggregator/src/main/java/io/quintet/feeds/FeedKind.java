package io.quintet.feeds;

import java.util.Locale;

/** The feeds kept per reader. The notification feed is the aggregated feed seen with its seen/read state. */
public enum FeedKind {
    /** "My activity": what the reader did, newest first. */
    FLAT("f"),
    /** Activities of the people the reader follows (fan-out on write; celebrities merged at read time). */
    TIMELINE("t"),
    /** Activities on the reader's things, grouped per (verb, object) and window. */
    AGGREGATED("a");

    private final String code;

    FeedKind(String code) {
        this.code = code;
    }

    /** One-letter code used inside store keys. */
    public String code() {
        return code;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
