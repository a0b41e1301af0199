package io.quintet.audit.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quintet.model.CanonicalEvent;
import io.quintet.model.fixtures.EventFixtures;
import io.quintet.model.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The one-pass canonicalizer against the oracle: {@link JsonCanonicalizer} over the parsed tree. */
class StreamingCanonicalizerTest {

    private static byte[] oracle(byte[] json) {
        return JsonCanonicalizer.canonicalize(CanonicalJson.parseTree(json));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void randomDocumentsGetExactlyTheBytesOfTheTreePath() {
        SplittableRandom random = new SplittableRandom(8785);
        int streamed = 0;
        for (int i = 0; i < 5_000; i++) {
            StringBuilder doc = new StringBuilder();
            randomValue(random, doc, 0);
            byte[] json = utf8(doc.toString());
            byte[] fast = StreamingCanonicalizer.canonicalize(json);
            if (fast != null) {
                streamed++;
                assertThat(new String(fast, StandardCharsets.UTF_8))
                        .as(doc.toString())
                        .isEqualTo(new String(oracle(json), StandardCharsets.UTF_8));
            }
            assertThat(CanonicalForm.ofData(json)).as(doc.toString()).isEqualTo(oracle(json));
        }
        assertThat(streamed)
                .as("documents without repeated names take the one-pass path")
                .isGreaterThan(4_000);
    }

    @Test
    void everyFixtureEventGetsTheBytesOfTheTreePath() {
        for (CanonicalEvent e : List.of(
                EventFixtures.login(),
                EventFixtures.invoiceCreated(),
                EventFixtures.failedWorkflowRun(),
                EventFixtures.failedLogin("f-1", EventFixtures.T0))) {
            byte[] data = CanonicalJson.toBytes(e);
            assertThat(StreamingCanonicalizer.canonicalize(data)).as(e.id()).isEqualTo(oracle(data));
        }
    }

    @Test
    void aRepeatedMemberNameIsLeftToTheTreeWhichKeepsTheLast() {
        byte[] json = utf8("{\"b\":1,\"a\":2,\"b\":3}");
        assertThat(StreamingCanonicalizer.canonicalize(json)).isNull();
        assertThat(new String(CanonicalForm.ofData(json), StandardCharsets.UTF_8))
                .isEqualTo("{\"a\":2,\"b\":3}");
    }

    @Test
    void textThatIsNotJsonIsLeftToTheTreeWhichSaysWhere() {
        assertThat(StreamingCanonicalizer.canonicalize(utf8("{\"a\":"))).isNull();
        assertThatThrownBy(() -> CanonicalForm.ofData(utf8("{\"a\":"))).hasMessageContaining("not well-formed JSON");
    }

    @Test
    void aLoneSurrogateIsRejectedAsTheTreePathRejectsIt() {
        assertThatThrownBy(() -> StreamingCanonicalizer.canonicalize(utf8("{\"a\":\"x\\ud800y\"}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lone surrogate");
    }

    private static final String[] NAMES = {
        "id",
        "a",
        "b",
        "A",
        "aa",
        "\u00e9",
        "\u20ac",
        "\ud83d\ude00",
        "\ufb33",
        "1",
        "",
        "\\r",
        "\\u0000",
        "z\\\"q",
        "actor",
        "type",
        "time"
    };

    private static final String[] NUMBERS = {
        "0",
        "-0",
        "-0.0",
        "1",
        "-1",
        "100",
        "1e30",
        "1E30",
        "4.50",
        "2e-3",
        "1e-27",
        "333333333.33333329",
        "333333333.3333333",
        "9007199254740993",
        "-9007199254740993",
        "123456789012345678901234567890",
        "1.5e300",
        "1e400",
        "5e-324",
        "0.1",
        "12.000",
        "1E+2"
    };

    private static final String[] STRINGS = {
        "",
        "plain",
        "caf\u00e9",
        "\ud83d\ude00",
        "\\ud83d\\ude00",
        "tab\\there",
        "\\u000f",
        "\\u001F",
        "q\\\"q",
        "back\\\\slash",
        "\\/",
        "\u007f",
        "\u2028",
        "\\b\\f\\n\\r"
    };

    private static void randomValue(SplittableRandom r, StringBuilder out, int depth) {
        int kind = depth >= 4 ? 2 + r.nextInt(5) : r.nextInt(7);
        switch (kind) {
            case 0 -> {
                out.append('{').append(r.nextBoolean() ? " " : "");
                int n = r.nextInt(6);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    out.append('"').append(NAMES[r.nextInt(NAMES.length)]).append("\" : ");
                    randomValue(r, out, depth + 1);
                }
                out.append('}');
            }
            case 1 -> {
                out.append('[');
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        out.append(", ");
                    }
                    randomValue(r, out, depth + 1);
                }
                out.append(']');
            }
            case 2 -> out.append(NUMBERS[r.nextInt(NUMBERS.length)]);
            case 3 -> out.append(r.nextLong()).append(r.nextBoolean() ? "" : "." + r.nextInt(1000));
            case 4 -> out.append('"').append(STRINGS[r.nextInt(STRINGS.length)]).append('"');
            case 5 -> out.append(r.nextBoolean() ? "true" : "false");
            default -> out.append(r.nextDouble() * Math.pow(10, r.nextInt(-30, 30)));
        }
    }
}
