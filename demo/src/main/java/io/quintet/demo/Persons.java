package io.quintet.demo;

import java.util.List;

/**
 * The fictitious people of the demo: each user id ({@code user-N}) has a stable email address, full name and phone
 * number, so that the demo's events carry personal data the way real ones do (and the privacy scan knows exactly
 * which raw values must never come out of the pipeline). Emails use {@code example.com} (RFC 2606), phone numbers
 * the UK's fictitious {@code +44 7700 9xxxxx} range.
 */
public final class Persons {
    private static final List<String> FIRST = List.of(
            "Ada", "Bruno", "Chiara", "Dmitri", "Elif", "Farah", "Goran", "Hana", "Ines", "Jonas", "Kwame", "Lucia",
            "Mateo", "Noor", "Oskar", "Priya");
    private static final List<String> LAST = List.of(
            "Abernathy",
            "Bellweather",
            "Castellanos",
            "Drummond",
            "Eriksen",
            "Fairbairn",
            "Grimaldi",
            "Holloway",
            "Ishikawa",
            "Jovanovic",
            "Kowalczyk",
            "Lindqvist",
            "Montague",
            "Nakashima",
            "Oyelaran",
            "Pemberton");

    private Persons() {}

    public static String email(String userId) {
        return userId + "@example.com";
    }

    public static String name(String userId) {
        int n = number(userId);
        return FIRST.get(n % FIRST.size()) + " " + LAST.get((n / FIRST.size()) % LAST.size());
    }

    public static String phone(String userId) {
        return String.format("+44 7700 9%05d", number(userId) % 100_000);
    }

    private static int number(String userId) {
        int dash = userId.lastIndexOf('-');
        try {
            return Integer.parseInt(userId.substring(dash + 1));
        } catch (NumberFormatException e) {
            return Math.floorMod(userId.hashCode(), 1_000_000);
        }
    }
}
