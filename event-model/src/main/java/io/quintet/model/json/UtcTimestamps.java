package io.quintet.model.json;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The canonical timestamp form, {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z} (what every Quintet writer produces: JSON
 * timestamps and the CloudEvents {@code time} attribute), read by a fixed-position parser. Anything else answers null,
 * and the caller falls back to a general parser, so what is accepted and how a bad value fails stay the general
 * parser's. Every service reads several timestamps per event; the general parsers were a tenth of a consumer's CPU.
 */
public final class UtcTimestamps {
    private UtcTimestamps() {}

    /** The instant of a canonical UTC timestamp, or null when the text is not exactly that form. */
    public static Instant parse(String s) {
        int n = s.length();
        if (n < 20
                || n > 30
                || s.charAt(n - 1) != 'Z'
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || s.charAt(10) != 'T'
                || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        if (year < 0
                || month < 0
                || day < 0
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            if (s.charAt(19) != '.' || n == 21) {
                return null;
            }
            int fraction = digits(s, 20, n - 1);
            if (fraction < 0) {
                return null;
            }
            for (int i = n - 1 - 20; i < 9; i++) {
                fraction *= 10;
            }
            nanos = fraction;
        } else if (s.charAt(19) != 'Z') {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException invalidDate) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal value of s[from, to) (at most 9 digits), or -1 when a character is not a digit. */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
