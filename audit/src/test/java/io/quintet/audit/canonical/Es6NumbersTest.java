package io.quintet.audit.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Es6NumbersTest {

    /** RFC 8785 Appendix B: IEEE-754 bit patterns and their canonical text. */
    @ParameterizedTest
    @CsvSource({
        "0000000000000000, 0",
        "8000000000000000, 0",
        "0000000000000001, 5e-324",
        "8000000000000001, -5e-324",
        "7fefffffffffffff, 1.7976931348623157e+308",
        "ffefffffffffffff, -1.7976931348623157e+308",
        "4340000000000000, 9007199254740992",
        "c340000000000000, -9007199254740992",
        "4430000000000000, 295147905179352830000",
        "44b52d02c7e14af5, 9.999999999999997e+22",
        "44b52d02c7e14af6, 1e+23",
        "44b52d02c7e14af7, 1.0000000000000001e+23",
        "444b1ae4d6e2ef4e, 999999999999999700000",
        "444b1ae4d6e2ef4f, 999999999999999900000",
        "444b1ae4d6e2ef50, 1e+21",
        "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
        "3eb0c6f7a0b5ed8d, 0.000001",
        "41b3de4355555553, 333333333.3333332",
        "41b3de4355555554, 333333333.33333325",
        "41b3de4355555555, 333333333.3333333",
        "41b3de4355555556, 333333333.3333334",
        "41b3de4355555557, 333333333.33333343",
        "becbf647612f3696, -0.0000033333333333333333",
        "43143ff3c1cb0959, 1424953923781206.2"
    })
    void doublesAreWrittenAsRfc8785AppendixBSays(String bits, String expected) {
        double d = Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16));
        assertThat(Es6Numbers.toString(d)).isEqualTo(expected);
        // the exact decimal written by a JSON producer takes the same form
        if (d != 0) {
            assertThat(Es6Numbers.toCanonical(new BigDecimal(expected))).isEqualTo(expected);
        }
    }

    @Test
    void nanAndInfinityHaveNoForm() {
        assertThatThrownBy(() -> Es6Numbers.toString(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Es6Numbers.toString(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decimalsThatSurviveADoubleRoundTripMatchJcs() {
        assertThat(Es6Numbers.toCanonical(new BigDecimal("1249.90"))).isEqualTo("1249.9");
        assertThat(Es6Numbers.toCanonical(new BigDecimal("84.5"))).isEqualTo("84.5");
        assertThat(Es6Numbers.toCanonical(new BigDecimal("1E+2"))).isEqualTo("100");
        assertThat(Es6Numbers.toCanonical(new BigDecimal("0.10"))).isEqualTo("0.1");
        assertThat(Es6Numbers.toCanonical(new BigDecimal("-0.0"))).isEqualTo("0");
        assertThat(Es6Numbers.toCanonical(new BigDecimal("1e-7"))).isEqualTo("1e-7");
        assertThat(Es6Numbers.toCanonical(new BigDecimal("123e20"))).isEqualTo("1.23e+22");
        assertThat(Es6Numbers.toCanonical(new BigDecimal("0.30000000000000004")))
                .isEqualTo("0.30000000000000004");
    }

    @Test
    void numbersBeyondDoublePrecisionKeepTheirExactValueSoATamperChangesTheForm() {
        // RFC 8785 would write both as 12345678901234567000 and a change in the last digits would go unnoticed
        String a = Es6Numbers.toCanonical(new BigDecimal("12345678901234567891"));
        String b = Es6Numbers.toCanonical(new BigDecimal("12345678901234567890"));
        assertThat(a).isEqualTo("12345678901234567891");
        assertThat(b).isEqualTo("12345678901234567890");
        assertThat(Es6Numbers.toCanonical(new BigDecimal("0.1000000000000000000001")))
                .isEqualTo("0.1000000000000000000001");
        assertThat(Es6Numbers.toCanonical(new BigDecimal("1e400"))).isEqualTo("1e+400");
        assertThat(Es6Numbers.toCanonical(new BigDecimal("-2.50000000000000000000001e-30")))
                .isEqualTo("-2.50000000000000000000001e-30");
    }

    @Test
    void integersUpTo2Pow53AreTheirDigits() {
        assertThat(Es6Numbers.toCanonical(0L)).isEqualTo("0");
        assertThat(Es6Numbers.toCanonical(-7L)).isEqualTo("-7");
        assertThat(Es6Numbers.toCanonical(9007199254740992L)).isEqualTo("9007199254740992");
        assertThat(Es6Numbers.toCanonical(Long.MIN_VALUE)).isEqualTo("-9223372036854775808");
        assertThat(Es6Numbers.toCanonical(1L << 60)).isEqualTo("1152921504606846976");
    }

    @Test
    void randomDoublesRoundTripThroughTheirShortestForm() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (!Double.isFinite(d)) {
                continue;
            }
            String s = Es6Numbers.toString(d);
            assertThat(Double.parseDouble(s)).as("round trip of %s", s).isEqualTo(d == 0 ? 0.0 : d);
            // shortest: one digit fewer never round-trips
            BigDecimal digits = new BigDecimal(s).stripTrailingZeros();
            if (digits.precision() > 1) {
                BigDecimal shorter = digits.round(
                        new java.math.MathContext(digits.precision() - 1, java.math.RoundingMode.HALF_EVEN));
                assertThat(Double.parseDouble(shorter.toString()))
                        .as("shorter form of %s", s)
                        .isNotEqualTo(d);
            }
            // a producer's exact text of that double takes the same form
            assertThat(Es6Numbers.toCanonical(new BigDecimal(s))).isEqualTo(s);
        }
    }
}
