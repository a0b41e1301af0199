package io.quintet.audit.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.fixtures.EventFixtures;
import io.quintet.model.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonCanonicalizerTest {

    private static String jcs(String json) {
        return JsonCanonicalizer.canonicalString(CanonicalJson.parseTree(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void membersAreSortedByUtf16CodeUnitsAndWhitespaceIsDropped() {
        // RFC 8785 section 3.2.3 sorting example
        String in =
                "{\"\\u20ac\": \"Euro Sign\", \"\\r\": \"Carriage Return\", \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\","
                        + " \"1\": \"One\", \"\\ud83d\\ude00\": \"Emoji: Grinning Face\", \"\\u0080\": \"Control\","
                        + " \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"}";
        String expectedOrder = "\\r,1,\u0080,\u00f6,\u20ac,\ud83d\ude00,\ufb33";
        JsonNode tree = CanonicalJson.parseTree(in.getBytes(StandardCharsets.UTF_8));
        String out = JsonCanonicalizer.canonicalString(tree);
        int i = 0;
        for (String k : expectedOrder.split(",")) {
            int at = out.indexOf("\"" + k + "\":", i);
            assertThat(at).as("key %s after position %d in %s", k, i, out).isGreaterThanOrEqualTo(i);
            i = at;
        }
        assertThat(out).doesNotContain(" \"").startsWith("{\"\\r\":\"Carriage Return\",\"1\":\"One\"");
    }

    /**
     * RFC 8785 section 3.2.2 example. The one difference is deliberate: 333333333.33333329 carries more digits than
     * a double holds, so it keeps its exact value (RFC 8785 would round it to 333333333.3333333, and a change to the
     * last digits would then go unnoticed); the double's own shortest form is written exactly as RFC 8785 does.
     */
    @Test
    void rfc8785StringAndLiteralExample() {
        String in = "{\"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],"
                + " \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\", \"literals\": [null, true, false]}";
        assertThat(jcs(in))
                .isEqualTo("{\"literals\":[null,true,false],\"numbers\":[333333333.33333329,1e+30,4.5,0.002,1e-27],"
                        + "\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    }

    @Test
    void numbersThatFitADoubleAreWrittenAsRfc8785WritesThem() {
        assertThat(jcs("[333333333.3333333, 1E30, 4.50, 2e-3, 1e-27, 100, -0, 1.5e300]"))
                .isEqualTo("[333333333.3333333,1e+30,4.5,0.002,1e-27,100,0,1.5e+300]");
    }

    @Test
    void nestedObjectsAndArraysKeepArrayOrder() {
        assertThat(jcs("{\"b\":[3,1,{\"z\":1,\"a\":2}],\"a\":{}}"))
                .isEqualTo("{\"a\":{},\"b\":[3,1,{\"a\":2,\"z\":1}]}");
    }

    @Test
    void loneSurrogatesAreRejected() {
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("a", "x\ud800y");
        assertThatThrownBy(() -> JsonCanonicalizer.canonicalize(o))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lone surrogate");
    }

    @Test
    void anEventsCanonicalBytesDoNotDependOnFieldOrderOrWhitespace() {
        CanonicalEvent e = EventFixtures.invoiceCreated();
        byte[] fromEvent = CanonicalForm.of(e);
        String reordered = "{ \"source\" : \"billing-service\", "
                + CanonicalJson.toJson(e)
                        .substring(1)
                        .replace("\"source\":\"billing-service\",", "")
                        .replace(",", " ,\n ");
        assertThat(CanonicalForm.ofData(reordered.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(fromEvent);
        // and a round trip through the model does not change them
        CanonicalEvent back = CanonicalJson.fromBytes(CanonicalJson.toBytes(e));
        assertThat(CanonicalForm.of(back)).isEqualTo(fromEvent);
        String text = new String(fromEvent, StandardCharsets.UTF_8);
        assertThat(text)
                .startsWith("{\"action\":{\"name\":\"billing.invoice.created\",\"type\":\"create\"},\"actor\":")
                .contains("\"amount\":1249.9");
    }

    @Test
    void floatsAndDoublesInTheModelHashLikeTheirJsonText() {
        CanonicalEvent withFloat = EventFixtures.login().toBuilder()
                .extension("ratio", 0.1f)
                .extension("big", 1.0e23)
                .build();
        byte[] direct = CanonicalForm.of(withFloat);
        byte[] viaWire =
                CanonicalForm.ofData(CanonicalJson.toBytes(CanonicalJson.fromBytes(CanonicalJson.toBytes(withFloat))));
        assertThat(direct).isEqualTo(viaWire);
        // the value hashed is the one the JSON text carries (whatever digits the writer chose), never a re-rounding
        String big = CanonicalJson.parseTree(CanonicalJson.toBytes(withFloat))
                .get("big")
                .decimalValue()
                .toString();
        assertThat(new String(direct, StandardCharsets.UTF_8))
                .contains("\"ratio\":0.1")
                .contains("\"big\":" + Es6Numbers.toCanonical(new java.math.BigDecimal(big)));
    }

    @Test
    void theBytesComputedFromTheModelEqualThoseAReaderRecomputesFromTheDataForEveryKindOfValue() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        List<CanonicalEvent> events = new java.util.ArrayList<>(List.of(
                EventFixtures.login(),
                EventFixtures.invoiceCreated(),
                EventFixtures.failedWorkflowRun(),
                EventFixtures.failedLogin("f-1", EventFixtures.T0)));
        for (int i = 0; i < 300; i++) {
            java.util.Map<String, Object> props = new java.util.LinkedHashMap<>();
            props.put("d", random.nextDouble() * Math.pow(10, random.nextInt(-30, 30)));
            props.put("f", (float) random.nextDouble());
            props.put(
                    "bd",
                    new java.math.BigDecimal(java.math.BigInteger.valueOf(random.nextLong()), random.nextInt(-5, 25)));
            props.put("bi", java.math.BigInteger.valueOf(random.nextLong()).shiftLeft(random.nextInt(80)));
            props.put("l", random.nextLong());
            props.put("bytes", new byte[] {(byte) i, 2, 3});
            props.put("nested", java.util.Arrays.asList(1, "two", null, java.util.Map.of("k\u00e9\n", true)));
            props.put("text", "caf\u00e9 \ud83d\ude00 \"q\" \t" + i);
            props.put("none", null);
            events.add(EventFixtures.login().toBuilder()
                    .id("e-" + i)
                    .extension("x" + (i % 7), props)
                    .context(EventFixtures.login().contextOrEmpty().withAttributes(props))
                    .build());
        }
        for (CanonicalEvent e : events) {
            byte[] data = CanonicalJson.toBytes(e); // what the CloudEvent carries
            assertThat(CanonicalForm.of(e)).as(e.id()).isEqualTo(CanonicalForm.ofData(data));
            // a reader that maps the data to the model and back gets the same bytes too
            assertThat(CanonicalForm.of(CanonicalJson.fromBytes(data)))
                    .as(e.id())
                    .isEqualTo(CanonicalForm.ofData(data));
        }
    }
}
