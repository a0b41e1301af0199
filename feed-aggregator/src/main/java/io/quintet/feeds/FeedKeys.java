package io.quintet.feeds;

import java.time.Instant;

/**
 * Store keys of the feed read models. Items sort newest first inside {@code recipient|kind|}: the time is stored
 * inverted and zero-padded, so a forward range scan is a page of the feed and a reverse scan finds the oldest item.
 * A cursor is the sort suffix {@code inverted-time|item-id} of the last item of a page.
 */
final class FeedKeys {
    static final char SEP = '|';
    /** Sorts after every character used in keys: the exclusive end of a prefix range. */
    static final String END = "\uffff";

    private FeedKeys() {}

    static String prefix(String recipient, FeedKind kind) {
        return recipient + SEP + kind.code() + SEP;
    }

    static String sortSuffix(Instant time, String itemId) {
        return pad19(Long.MAX_VALUE - time.toEpochMilli()) + SEP + itemId;
    }

    static String item(String recipient, FeedKind kind, String sortSuffix) {
        return prefix(recipient, kind) + sortSuffix;
    }

    static String index(String recipient, FeedKind kind, String itemId) {
        return recipient + SEP + kind.code() + SEP + itemId;
    }

    static String meta(String recipient, FeedKind kind) {
        return recipient + SEP + kind.code();
    }

    static String following(String follower, String followee) {
        return follower + SEP + followee;
    }

    static String follower(String followee, String follower) {
        return followee + SEP + follower;
    }

    /** Close time first, so that closed groups are one range scan. */
    static String group(long close, String recipient, String verb, String group, long windowStart) {
        return pad19(close) + SEP + recipient + SEP + verb + SEP + windowStart + SEP + group;
    }

    /** {@code String.format("%019d", v)} without a Formatter (it is on every feed write). */
    static String pad19(long v) {
        if (v < 0) {
            return String.format("%019d", v);
        }
        String digits = Long.toString(v);
        return "0".repeat(19 - digits.length()) + digits;
    }
}
