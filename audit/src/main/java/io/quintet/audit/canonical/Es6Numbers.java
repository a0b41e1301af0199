package io.quintet.audit.canonical;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Number serialization of the canonical byte form.
 * <ul>
 *   <li>A number whose decimal value is exactly what the ECMAScript {@code Number.prototype.toString} form of its
 *       nearest IEEE-754 double denotes is written in that form: this is RFC 8785 section 3.2.2.3 (shortest
 *       round-tripping digits, ties to the closer and then the even candidate, ES6 layout with {@code e+N}/{@code e-N}).
 *       Every number that survives a double round trip (all ordinary integers below 2^53 and decimals of up to 15
 *       significant digits, for example) is therefore written exactly as RFC 8785 writes it.</li>
 *   <li>Any other number (one RFC 8785 would silently round, such as {@code 12345678901234567891} or
 *       {@code 0.1000000000000000000001}) is written as its exact decimal value: its significant digits without
 *       trailing zeros, laid out by the same ES6 rules. Two different exact values never share a form, so changing
 *       a large identifier in the 18th digit changes the hash.</li>
 * </ul>
 */
public final class Es6Numbers {
    private static final BigInteger TWO_POW_53 = BigInteger.ONE.shiftLeft(53);
    private static final BigDecimal MIN_NORMAL = new BigDecimal("1e-300");
    private static final BigDecimal MAX_FAST = new BigDecimal("1e300");

    private Es6Numbers() {}

    /** The canonical text of an exact decimal value. */
    public static String toCanonical(BigDecimal value) {
        if (value.signum() == 0) {
            return "0";
        }
        BigDecimal x = value.stripTrailingZeros();
        BigDecimal abs = x.abs();
        boolean negative = x.signum() < 0;
        // Fast path: at most 15 significant digits in the normal range always survive a double round trip, and
        // the digits are then the shortest round-tripping ones (DBL_DIG = 15), so no double arithmetic is needed.
        if (x.precision() <= 15 && abs.compareTo(MIN_NORMAL) >= 0 && abs.compareTo(MAX_FAST) <= 0) {
            return layout(negative, abs.unscaledValue().toString(), abs.precision() - abs.scale());
        }
        double d = x.doubleValue();
        if (Double.isFinite(d) && d != 0.0) {
            String es6 = toString(d);
            if (new BigDecimal(es6).compareTo(x) == 0) {
                return es6;
            }
        }
        return layout(negative, abs.unscaledValue().toString(), abs.precision() - abs.scale());
    }

    /** The canonical text of an integer. */
    public static String toCanonical(BigInteger value) {
        if (value.abs().compareTo(TWO_POW_53) <= 0) {
            return value.toString(); // exact double, fewer than 21 digits: ES6 writes the plain digits
        }
        return toCanonical(new BigDecimal(value));
    }

    public static String toCanonical(long value) {
        if (value >= -(1L << 53) && value <= (1L << 53)) {
            return Long.toString(value);
        }
        return toCanonical(BigInteger.valueOf(value));
    }

    /**
     * ECMAScript {@code Number.prototype.toString(d)} for a finite double (RFC 8785 section 3.2.2.3): shortest
     * digits that round-trip; when two candidates of that length round-trip, the closer one, ties to even.
     */
    public static String toString(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("NaN and Infinity have no JSON form");
        }
        if (d == 0.0) {
            return "0"; // also -0
        }
        boolean negative = d < 0;
        double a = Math.abs(d);
        BigDecimal exact = new BigDecimal(a);
        // Double.toString round-trips; its length is at most one digit more than the shortest on JDK 17
        // (JDK-4511638). Walk down from it while a shorter candidate still round-trips (if a (p-1)-digit decimal
        // round-trips, the (p-1)-digit floor or ceiling of the exact value does, as the interval is contiguous).
        int p = new BigDecimal(Double.toString(a)).stripTrailingZeros().precision();
        BigDecimal best = closest(exact, a, p);
        if (best == null) { // cannot happen with a correct Double.toString; fall back to the full search
            p = 18;
        }
        while (p > 1) {
            BigDecimal shorter = closest(exact, a, p - 1);
            if (shorter == null) {
                break;
            }
            best = shorter;
            p--;
        }
        if (best == null) {
            throw new IllegalStateException("no round-tripping decimal for " + d);
        }
        BigDecimal s = best.stripTrailingZeros();
        return layout(negative, s.unscaledValue().toString(), s.precision() - s.scale());
    }

    /** The p-digit decimal closest to {@code exact} that parses back to {@code a} (ties to even), or null. */
    private static BigDecimal closest(BigDecimal exact, double a, int p) {
        BigDecimal nearest = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
        if (Double.parseDouble(nearest.toString()) == a) {
            return nearest; // the closest candidate of all, ties to even
        }
        if ((Double.doubleToRawLongBits(a) & 0x000F_FFFF_FFFF_FFFFL) != 0) {
            return null; // symmetric round-trip interval: the farther candidate cannot round-trip either
        }
        // a power of two: the interval below is half as wide as the one above, so the other side may still fit
        BigDecimal other = nearest.compareTo(exact) < 0
                ? exact.round(new MathContext(p, RoundingMode.CEILING))
                : exact.round(new MathContext(p, RoundingMode.FLOOR));
        return Double.parseDouble(other.toString()) == a ? other : null;
    }

    /**
     * ES6 layout of {@code 0.digits * 10^n} (digits without leading or trailing zeros; k = number of digits).
     */
    static String layout(boolean negative, String digits, int n) {
        int k = digits.length();
        StringBuilder sb = new StringBuilder(k + 8);
        if (negative) {
            sb.append('-');
        }
        if (k <= n && n <= 21) {
            sb.append(digits);
            sb.append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            sb.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            sb.append("0.").append("0".repeat(-n)).append(digits);
        } else {
            int e = n - 1;
            sb.append(digits.charAt(0));
            if (k > 1) {
                sb.append('.').append(digits, 1, k);
            }
            sb.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
        }
        return sb.toString();
    }
}
