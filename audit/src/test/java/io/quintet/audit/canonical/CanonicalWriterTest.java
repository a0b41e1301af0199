package io.quintet.audit.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.Entity;
import io.quintet.model.fixtures.EventFixtures;
import io.quintet.model.json.CanonicalJson;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The chain's writer against the oracle: the canonical bytes it gives are those of {@link CanonicalForm#ofData} over
 * the event as {@link CanonicalJson} writes it, its data is the same JSON value, and whenever it vouches for its own
 * text (or for the text with its numbers in ES6 form), that is the canonical form.
 */
class CanonicalWriterTest {

    /** How the writer got an event's canonical bytes. */
    enum Path {
        /** the data as written */
        AS_WRITTEN,
        /** the data with numbers in ES6 form */
        SPLICED,
        /** a second pass over the data (the canonicalizer) */
        SECOND_PASS
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Every property the class promises, for one event; returns how the writer got the canonical bytes. */
    private static Path checkAgainstOracle(CanonicalEvent event) {
        byte[] plain = CanonicalJson.toBytes(event);
        CanonicalForm.Written written = CanonicalForm.write(event);
        assertThat(utf8(written.canonical()))
                .as("canonical bytes of %s", utf8(plain))
                .isEqualTo(utf8(CanonicalForm.ofData(plain)));
        assertThat(utf8(CanonicalForm.ofData(written.data())))
                .as("a reader recomputes the same bytes from the data: the same JSON value")
                .isEqualTo(utf8(written.canonical()));
        CanonicalWriter.Written raw = CanonicalWriter.write(event);
        assertThat(written.secondPass()).isEqualTo(raw.canonical() == null);
        if (raw.canonical() == null) {
            return Path.SECOND_PASS;
        }
        assertThat(utf8(raw.canonical()))
                .as("bytes vouched for are the text's canonical form")
                .isEqualTo(utf8(CanonicalForm.ofData(raw.json())));
        if (raw.asWritten()) {
            assertThat(written.canonical()).as("no second pass, no copy").isSameAs(written.data());
            return Path.AS_WRITTEN;
        }
        assertThat(utf8(raw.canonical())).isNotEqualTo(utf8(raw.json()));
        return Path.SPLICED;
    }

    @Test
    void fixtureEventsGetTheOraclesBytesAndMostNeedNoSecondPass() {
        List<CanonicalEvent> fixtures = List.of(
                EventFixtures.login(),
                EventFixtures.invoiceCreated(),
                EventFixtures.failedWorkflowRun(),
                EventFixtures.failedLogin("f-1", EventFixtures.T0));
        List<Path> paths =
                fixtures.stream().map(CanonicalWriterTest::checkAgainstOracle).toList();
        // invoiceCreated's revenue 1249.90 is not in ES6 form (1249.9): written as it is, and 1249.9 in its canonical
        // bytes
        assertThat(paths).containsExactly(Path.AS_WRITTEN, Path.SPLICED, Path.AS_WRITTEN, Path.AS_WRITTEN);
    }

    @Test
    void theLoginFixtureIsWrittenSortedAtEveryLevel() {
        CanonicalWriter.Written w = CanonicalWriter.write(EventFixtures.login());
        assertThat(w.asWritten()).isTrue();
        String json = utf8(w.json());
        assertThat(json).startsWith("{\"action\":{").contains("\"attributes\":{\"attempt\":1,\"deployment\"");
    }

    @Test
    void numbersNotInEs6FormAreReplacedInTheCanonicalBytesWithoutASecondPass() {
        CanonicalEvent base = EventFixtures.login();
        List<Object> numbersNotInEs6Form = List.of(
                new BigDecimal("19.90"), // ES6: 19.9
                new BigDecimal("1E+3"), // ES6: 1000
                1.0E-7, // Java writes 1.0E-7, ES6 1e-7
                1.0E21,
                new BigInteger("1230000000000000000000000"), // ES6: 1.23e+24
                new BigInteger("123456789012345678901234567890"),
                List.of(new BigDecimal("0.50"), 7, new BigDecimal("2.000"), "x", 1.0E-9));
        for (Object value : numbersNotInEs6Form) {
            CanonicalEvent e = base.withEntity(new Entity("x-1", "thing", Map.of("v", value, "w", "after")));
            assertThat(checkAgainstOracle(e)).as("path for %s", value).isEqualTo(Path.SPLICED);
        }
    }

    @Test
    void tokensItCannotVouchForFallBackToTheCanonicalizer() {
        CanonicalEvent base = EventFixtures.login();
        List<Object> notCanonicalAsWritten = List.of(
                "bell\u0007", // Jackson: \\u0007 is fine, but \\u001F would be upper case
                "unit\u001f",
                "emoji \uD83D\uDE00",
                List.of(new BigDecimal("19.90"), "unit\u001f")); // a number to replace does not save the event
        for (Object value : notCanonicalAsWritten) {
            CanonicalEvent e = base.withEntity(new Entity("x-1", "thing", Map.of("v", value)));
            assertThat(checkAgainstOracle(e)).as("path for %s", value).isEqualTo(Path.SECOND_PASS);
        }
        CanonicalEvent withExtension =
                base.toBuilder().extension("aaa_extension", "x").build();
        assertThat(checkAgainstOracle(withExtension))
                .as("extensions are written after the sorted members")
                .isEqualTo(Path.SECOND_PASS);
    }

    @Test
    void valuesAlreadyInCanonicalFormNeedNoSecondPass() {
        CanonicalEvent base = EventFixtures.login();
        for (Object value : List.of(
                new BigDecimal("19.9"),
                new BigDecimal("0.000015"),
                BigDecimal.ZERO,
                84.5,
                300.0, // written as 300
                -0.0,
                1L << 53,
                (1L << 53) + 1, // an integer a double cannot hold keeps its exact digits (see Es6Numbers)
                -42,
                "tab\tnew line\n quote\" backslash\\ \u00e9\u4e2d",
                true)) {
            CanonicalEvent e = base.withEntity(new Entity("x-1", "thing", Map.of("v", value)));
            assertThat(checkAgainstOracle(e)).as("path for %s", value).isEqualTo(Path.AS_WRITTEN);
        }
    }

    @Test
    void randomEventsGetTheOraclesBytesOnBothPaths() {
        SplittableRandom random = new SplittableRandom(8785);
        Map<Path, Integer> paths = new java.util.EnumMap<>(Path.class);
        int n = 3_000;
        for (int i = 0; i < n; i++) {
            CanonicalEvent base =
                    random.nextBoolean() ? EventFixtures.invoiceCreated() : EventFixtures.failedWorkflowRun();
            Map<String, Object> details = randomMap(random, 0);
            Map<String, Object> properties = randomMap(random, 1);
            CanonicalEvent e = base.withEntity(new Entity("e-" + i, "thing", details))
                    .withContext(base.context()
                            .withAttributes(properties)
                            .withTelemetry(new Context.Telemetry(
                                    "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", randomDouble(random))));
            paths.merge(checkAgainstOracle(e), 1, Integer::sum);
        }
        assertThat(paths.values()).as("every path is exercised: %s", paths).allMatch(count -> count >= n / 300);
        assertThat(paths).hasSize(3);
    }

    private static Map<String, Object> randomMap(SplittableRandom r, int depth) {
        Map<String, Object> m = new LinkedHashMap<>();
        int size = r.nextInt(5);
        for (int i = 0; i < size; i++) {
            m.put(randomString(r, "abcAB_z\u00e9\u4e2d", 1 + r.nextInt(6)), randomValue(r, depth));
        }
        return m;
    }

    private static Object randomValue(SplittableRandom r, int depth) {
        return switch (r.nextInt(depth < 2 ? 9 : 7)) {
            case 0 -> randomString(r, "ab \"\\\t\n\u00e9", r.nextInt(8));
            case 1 -> r.nextInt(50) == 0 ? randomString(r, "a\u0001\u001f\b\f\r", 3) + "\uD83D\uDE00" : "plain";
            case 2 -> r.nextLong(-(1L << 54), 1L << 54);
            case 3 -> BigDecimal.valueOf(r.nextInt(1_000_000), r.nextInt(6));
            case 4 -> randomDouble(r);
            case 5 -> r.nextBoolean();
            case 6 -> r.nextInt(1000);
            case 7 -> randomMap(r, depth + 1);
            default -> {
                List<Object> list = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    list.add(randomValue(r, depth + 1));
                }
                yield list;
            }
        };
    }

    private static double randomDouble(SplittableRandom r) {
        return switch (r.nextInt(4)) {
            case 0 -> Math.round(r.nextDouble() * 100_000) / 10.0;
            case 1 -> r.nextInt(10_000);
            case 2 -> r.nextDouble() * Math.pow(10, r.nextInt(-8, 25));
            default -> r.nextDouble();
        };
    }

    private static String randomString(SplittableRandom r, String alphabet, int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
