package io.quintet.enricher.validate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.model.ActionName;
import io.quintet.model.json.CanonicalJson;
import io.quintet.model.schema.CanonicalSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The one-pass check against its oracle, the canonical JSON Schema: generated valid events (every optional part
 * present or absent, at random) and generated invalid ones (each a valid event with one random defect) must get the
 * same verdict from both; forms the fast path leaves to the oracle still get the oracle's answer.
 */
class FastSchemaCheckTest {
    private static final ObjectMapper JSON = CanonicalJson.newMapper();
    private static final Set<String> TYPES =
            Set.of("create", "read", "update", "delete", "execute", "access", "communicate", "other");
    private static final int EVENTS = 3_000;

    private final CanonicalSchema oracle = CanonicalSchema.load();
    private final FastSchemaCheck fast = new FastSchemaCheck(TYPES);
    private final SplittableRandom random = new SplittableRandom(18);

    @Test
    void generatedValidEventsAreValidForTheSchemaAndAcceptedByTheFastCheck() {
        for (int i = 0; i < EVENTS; i++) {
            String json = validEvent().toString();
            assertThat(oracle.validate(json)).as(json).isEmpty();
            assertThat(fast.accepts(json)).as(json).isTrue();
        }
    }

    @Test
    void generatedInvalidEventsAreRefusedByTheSchemaAndByTheFastCheck() {
        List<Defect> defects = defects();
        int[] used = new int[defects.size()];
        for (int i = 0; i < EVENTS; i++) {
            ObjectNode e = validEvent();
            int d = random.nextInt(defects.size());
            defects.get(d).apply().accept(e);
            used[d]++;
            String json = e.toString();
            assertThat(oracle.validate(json))
                    .as(defects.get(d).name() + ": " + json)
                    .isNotEmpty();
            assertThat(fast.accepts(json))
                    .as(defects.get(d).name() + ": " + json)
                    .isFalse();
        }
        assertThat(used).as("every defect was tried").doesNotContain(0);
    }

    @Test
    void schemaCheckGivesTheOraclesViolationsWhenTheFastCheckRefuses() {
        SchemaCheck check = SchemaCheck.standard();
        List<Defect> defects = defects();
        for (int i = 0; i < 500; i++) {
            ObjectNode e = validEvent();
            defects.get(random.nextInt(defects.size())).apply().accept(e);
            assertThat(check.validate(e.toString())).isEqualTo(oracle.validate(e.toString()));
        }
    }

    @Test
    void validFormsOutsideTheFastPathAreLeftToTheSchema() {
        List<Consumer<ObjectNode>> forms = List.of(
                e -> e.put("event_timestamp", "2026-11-02T08:00:00+01:00"),
                e -> e.put("observed_timestamp", "2026-11-02t08:00:00z"),
                e -> e.put("observed_timestamp", "2026-11-02T08:00:00.1234567890Z"),
                e -> e.put("source", "https://example.com/app"),
                e -> ((ObjectNode) e.with("context").with("client")).put("ip_address", "2001:db8::1"),
                e -> ((ObjectNode) e.with("context").with("telemetry")).put("duration_ms", -0.0));
        SchemaCheck check = SchemaCheck.standard();
        for (Consumer<ObjectNode> form : forms) {
            ObjectNode e = validEvent();
            form.accept(e);
            String json = e.toString();
            assertThat(fast.accepts(json)).as(json).isFalse();
            assertThat(check.validate(json))
                    .as(json)
                    .isEqualTo(oracle.validate(json))
                    .isEmpty();
        }
    }

    @Test
    void theActionNameCheckIsTheDomainEntityActionRule() {
        // EventValidator skips ActionName.parse when the fast check accepts: both must agree on every name
        String alphabet = "ab_.z09A-";
        int valid = 0;
        for (int i = 0; i < 50_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(12);
            for (int j = 0; j < n; j++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String name = random.nextInt(3) == 0 ? "a" + sb + ".b_1.c" : sb.toString();
            boolean rule = ActionName.isValid(name);
            assertThat(FastSchemaCheck.actionName(name)).as(name).isEqualTo(rule);
            valid += rule ? 1 : 0;
        }
        assertThat(valid).as("valid names were generated too").isGreaterThan(100);
    }

    @Test
    void configuredActionTypesAreAccepted() {
        ObjectNode e = validEvent();
        e.with("action").put("type", "approve");
        assertThat(fast.accepts(e.toString())).isFalse();
        assertThat(new FastSchemaCheck(Set.of("create", "approve")).accepts(e.toString()))
                .isTrue();
        assertThat(new SchemaCheck(Set.of("approve")).validate(e.toString())).isEmpty();
    }

    @Test
    void theCheckTurnsItselfOffWhenTheSchemaIsNotTheOneItImplements() {
        assertThat(fast.enabled()).as("written for the bundled schema").isTrue();
        FastSchemaCheck other =
                new FastSchemaCheck(TYPES, CanonicalSchema.text().replace("\"minLength\": 1", "\"minLength\": 2"));
        assertThat(other.enabled()).isFalse();
        assertThat(other.accepts(validEvent().toString())).isFalse();
    }

    @Test
    void malformedOrTrailingJsonIsLeftToTheOracle() {
        String json = validEvent().toString();
        assertThat(fast.accepts(json + " {}")).isFalse();
        assertThat(fast.accepts(json.substring(0, json.length() - 1))).isFalse();
        assertThat(fast.accepts("[]")).isFalse();
    }

    // ---- generation ----

    private ObjectNode validEvent() {
        ObjectNode e = JSON.createObjectNode();
        e.put("id", uuid());
        e.put("event_timestamp", timestamp());
        e.put("observed_timestamp", timestamp());
        e.put("source", pick("web-app", "auth-service", "billing/eu", "a", "x.y_z~1"));
        maybe(() -> e.put("spec_version", pick("2.0", "1.0", "")));
        maybe(() -> e.put("correlation_id", "corr-" + random.nextInt()));
        maybe(() -> e.put("causation_id", uuid()));
        maybe(() -> e.put("organization_id", pick("org-4711", "acme.eu:prod_1", "7", "A-b_c.d:e", "o".repeat(128))));
        ObjectNode action = e.putObject("action");
        action.put(
                "name",
                pick("auth.user.login_succeeded", "analytics.page.viewed", "a.b.c", "ai2.model_x.completed_ok_1"));
        action.put("type", pick(TYPES.toArray(String[]::new)));
        maybe(() -> action.put("extra", random.nextInt()));
        ObjectNode actor = e.putObject("actor");
        actor.put("id", "user-" + random.nextInt(1000));
        maybe(() -> actor.put("type", pick("user", "service", "anonymous", "system")));
        maybe(() -> actor.put("pseudonym", "ps_" + random.nextInt()));
        maybe(() -> actor.putObject("details")
                .put("email", "a@b.c")
                .putArray("roles")
                .add("x"));
        maybe(() -> {
            ObjectNode entity = e.putObject("entity");
            maybe(() -> entity.put("id", "inv-" + random.nextInt()));
            maybe(() -> entity.put("type", "invoice"));
            maybe(() -> entity.putObject("details").put("amount", 12.5));
        });
        maybe(() -> {
            ObjectNode c = e.putObject("context");
            maybe(() -> {
                ObjectNode client = c.putObject("client");
                maybe(() -> client.put(
                        "ip_address",
                        random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                                + random.nextInt(256)));
                maybe(() -> client.put("user_agent", "Mozilla/5.0 \"quoted\" \u00e9"));
                maybe(() -> client.put("session_id", "sess-1"));
            });
            maybe(() -> {
                ObjectNode t = c.putObject("telemetry");
                maybe(() -> t.put("trace_id", hex(32)));
                maybe(() -> t.put("span_id", hex(16)));
                maybe(() -> {
                    if (random.nextBoolean()) {
                        t.put("duration_ms", random.nextInt(10_000));
                    } else {
                        t.put("duration_ms", random.nextDouble() * 100);
                    }
                });
            });
            maybe(() -> {
                ObjectNode ds = c.putObject("domain_specific");
                maybe(() -> {
                    ObjectNode audit = ds.putObject("audit");
                    maybe(() -> audit.putObject("request").put("q", 1));
                    maybe(() -> audit.putObject("response").putNull("r"));
                });
                maybe(() -> {
                    ObjectNode an = ds.putObject("analytics");
                    maybe(() -> an.putObject("properties")
                            .put("plan", "pro")
                            .put("n", 3)
                            .putObject("nested")
                            .put("id", 5));
                    maybe(() -> an.putObject("user_state_snapshot").put("plan", "pro"));
                });
                maybe(() -> ds.putObject("other_domain").put("k", "v"));
            });
            maybe(() -> c.putObject("attributes").put("a", 1).put("b", "x"));
            maybe(() -> c.put("status", pick("SUCCESS", "FAILURE", "PENDING", "UNKNOWN")));
            maybe(() -> {
                ObjectNode err = c.putObject("error");
                maybe(() -> err.put("code", "E1"));
                maybe(() -> err.put("message", "m"));
            });
        });
        maybe(() -> e.putObject("future_field").put("anything", true));
        maybe(() -> e.put("another_unknown", 42));
        return e;
    }

    private record Defect(String name, Consumer<ObjectNode> apply) {}

    private List<Defect> defects() {
        List<Defect> d = new ArrayList<>();
        for (String required : List.of("id", "event_timestamp", "observed_timestamp", "source", "action", "actor")) {
            d.add(new Defect("missing " + required, e -> e.remove(required)));
        }
        d.add(new Defect("missing action.name", e -> e.with("action").remove("name")));
        d.add(new Defect("missing action.type", e -> e.with("action").remove("type")));
        d.add(new Defect("missing actor.id", e -> e.with("actor").remove("id")));
        for (String s : List.of(
                "/id",
                "/event_timestamp",
                "/observed_timestamp",
                "/source",
                "/spec_version",
                "/correlation_id",
                "/causation_id",
                "/organization_id",
                "/action/name",
                "/action/type",
                "/actor/id",
                "/actor/type",
                "/actor/pseudonym",
                "/entity/id",
                "/entity/type",
                "/context/client/ip_address",
                "/context/client/user_agent",
                "/context/client/session_id",
                "/context/telemetry/trace_id",
                "/context/telemetry/span_id",
                "/context/status",
                "/context/error/code",
                "/context/error/message")) {
            d.add(new Defect(
                    "number at " + s, e -> put(e, s, JSON.getNodeFactory().numberNode(7))));
            d.add(new Defect(
                    "null at " + s, e -> put(e, s, JSON.getNodeFactory().nullNode())));
            d.add(new Defect("object at " + s, e -> put(e, s, JSON.createObjectNode())));
        }
        for (String o : List.of(
                "/action",
                "/actor",
                "/entity",
                "/context",
                "/actor/details",
                "/entity/details",
                "/context/client",
                "/context/telemetry",
                "/context/domain_specific",
                "/context/domain_specific/audit",
                "/context/domain_specific/audit/request",
                "/context/domain_specific/audit/response",
                "/context/domain_specific/analytics",
                "/context/domain_specific/analytics/properties",
                "/context/domain_specific/analytics/user_state_snapshot",
                "/context/attributes",
                "/context/error")) {
            d.add(new Defect(
                    "string at " + o, e -> put(e, o, JSON.getNodeFactory().textNode("x"))));
            d.add(new Defect(
                    "array at " + o, e -> put(e, o, JSON.createArrayNode().add(1))));
        }
        d.add(new Defect(
                "string duration",
                e -> put(
                        e,
                        "/context/telemetry/duration_ms",
                        JSON.getNodeFactory().textNode("5"))));
        d.add(new Defect(
                "negative duration",
                e -> put(
                        e,
                        "/context/telemetry/duration_ms",
                        JSON.getNodeFactory().numberNode(-1 - random.nextInt(100)))));
        d.add(new Defect(
                "negative fraction duration",
                e -> put(
                        e,
                        "/context/telemetry/duration_ms",
                        JSON.getNodeFactory().numberNode(-0.5))));
        for (String bad : List.of(
                "not-a-uuid",
                uuid().substring(1),
                uuid() + "0",
                uuid().replace('-', '_'),
                uuid().replaceFirst("[0-9a-f]", "g"),
                "")) {
            d.add(new Defect("bad uuid " + bad, e -> e.put("id", bad)));
        }
        for (String bad : List.of(
                "2026-02-30T08:00:00Z",
                "2026-13-01T08:00:00Z",
                "2026-11-02T24:00:00Z",
                "2026-11-02T08:60:00Z",
                "2026-11-02 08:00:00Z",
                "2026-11-02T08:00:00",
                "2026-11-02",
                "2025-02-29T00:00:00Z",
                "2026-11-02T08:00:00.Z",
                "yesterday",
                "2026-11-02T08:00Z")) {
            d.add(new Defect(
                    "bad date-time " + bad,
                    e -> e.put(random.nextBoolean() ? "event_timestamp" : "observed_timestamp", bad)));
        }
        for (String bad : List.of("", "web app", "a|b", "%zz", "\\x")) {
            d.add(new Defect("bad source '" + bad + "'", e -> e.put("source", bad)));
        }
        for (String bad : List.of(
                "auth.user",
                "Auth.user.login",
                "auth.user.login.extra",
                "auth..login",
                "auth.user_.login",
                "auth.user__x.login",
                "1auth.user.login",
                "auth.user.login-x",
                "auth.user._login",
                "")) {
            d.add(new Defect("bad action name " + bad, e -> e.with("action").put("name", bad)));
        }
        for (String bad :
                List.of("", " org", "org 1", "_org", "-org", "org/1", "\u00e9t\u00e9", "org\t", "o".repeat(129))) {
            d.add(new Defect("bad organization id '" + bad + "'", e -> e.put("organization_id", bad)));
        }
        d.add(new Defect("bad action type", e -> e.with("action").put("type", "approve")));
        d.add(new Defect("bad actor type", e -> e.with("actor").put("type", "robot")));
        d.add(new Defect("empty actor id", e -> e.with("actor").put("id", "")));
        d.add(new Defect(
                "bad status",
                e -> put(e, "/context/status", JSON.getNodeFactory().textNode("success"))));
        for (String bad :
                List.of("256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.4 ", "a.b.c.d", "", "1..2.3", "::g")) {
            d.add(new Defect(
                    "bad ip " + bad,
                    e -> put(
                            e,
                            "/context/client/ip_address",
                            JSON.getNodeFactory().textNode(bad))));
        }
        d.add(new Defect(
                "upper-case trace id",
                e -> put(
                        e,
                        "/context/telemetry/trace_id",
                        JSON.getNodeFactory().textNode(hex(32).toUpperCase().replace('0', 'A')))));
        d.add(new Defect(
                "short trace id",
                e -> put(e, "/context/telemetry/trace_id", JSON.getNodeFactory().textNode(hex(31)))));
        d.add(new Defect(
                "long span id",
                e -> put(e, "/context/telemetry/span_id", JSON.getNodeFactory().textNode(hex(17)))));
        d.add(new Defect(
                "non-hex span id",
                e -> put(e, "/context/telemetry/span_id", JSON.getNodeFactory().textNode("g" + hex(15)))));
        return d;
    }

    /** Sets the value at a pointer, creating the objects on the way. */
    private static void put(ObjectNode root, String pointer, JsonNode value) {
        String[] parts = pointer.substring(1).split("/");
        ObjectNode o = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = o.get(parts[i]);
            o = next instanceof ObjectNode n ? n : o.putObject(parts[i]);
        }
        o.set(parts[parts.length - 1], value);
    }

    private void maybe(Runnable r) {
        if (random.nextBoolean()) {
            r.run();
        }
    }

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }

    private String uuid() {
        String u = new UUID(random.nextLong(), random.nextLong()).toString();
        return random.nextInt(4) == 0 ? u.toUpperCase() : u;
    }

    private String hex(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("0123456789abcdef".charAt(random.nextInt(16)));
        }
        return sb.toString();
    }

    private String timestamp() {
        int year = 1970 + random.nextInt(100), month = 1 + random.nextInt(12);
        int day = 1
                + random.nextInt(
                        month == 2
                                ? (year % 4 == 0 ? 29 : 28)
                                : List.of(4, 6, 9, 11).contains(month) ? 30 : 31);
        String base = String.format(
                "%04d-%02d-%02dT%02d:%02d:%02d",
                year, month, day, random.nextInt(24), random.nextInt(60), random.nextInt(60));
        int fraction = random.nextInt(11);
        return base + (fraction == 0 ? "" : "." + "123456789".substring(0, Math.min(fraction, 9))) + "Z";
    }
}
