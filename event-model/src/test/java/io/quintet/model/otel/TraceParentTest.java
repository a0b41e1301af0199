package io.quintet.model.otel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TraceParentTest {

    @Test
    void parsesAndFormatsW3cTraceparent() {
        String header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        TraceParent tp = TraceParent.parse(header).orElseThrow();
        assertThat(tp.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(tp.spanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(tp.sampled()).isTrue();
        assertThat(tp).hasToString(header);
    }

    @Test
    void rejectsInvalidValues() {
        assertThat(TraceParent.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
                .isEmpty();
        assertThat(TraceParent.parse("00-00000000000000000000000000000000-00f067aa0ba902b7-01"))
                .isEmpty();
        assertThat(TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"))
                .isEmpty();
        assertThat(TraceParent.parse("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"))
                .isEmpty();
        assertThat(TraceParent.parse("garbage")).isEmpty();
        assertThat(TraceParent.of("abc", "def")).isEmpty();
    }

    @Test
    void acceptsExactlyTheW3cGrammarOnRandomNearMisses() {
        // the W3C grammar as a regex: the oracle for the hand-written check
        Pattern w3c = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
        String alphabet = "0123456789abcdefABCDEFg/:`";
        Random random = new Random(42);
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            String header = "00-" + field(random, alphabet, 32) + "-" + field(random, alphabet, 16) + "-"
                    + field(random, alphabet, 2);
            boolean expected = w3c.matcher(header).matches()
                    && !header.startsWith("00-" + "0".repeat(32))
                    && !header.contains("-" + "0".repeat(16) + "-");
            assertThat(TraceParent.parse(header).isPresent()).as("%s", header).isEqualTo(expected);
            accepted += expected ? 1 : 0;
        }
        assertThat(accepted).as("the generator makes valid values too").isGreaterThan(1_000);
    }

    /** Mostly valid lower-case hex of the right length; sometimes one character off the grammar, or one too many or few. */
    private static String field(Random random, String alphabet, int length) {
        int len = random.nextInt(10) == 0 ? length + random.nextInt(3) - 1 : length;
        StringBuilder b = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            b.append(alphabet.charAt(random.nextInt(random.nextInt(40) == 0 ? alphabet.length() : 16)));
        }
        return b.toString();
    }
}
