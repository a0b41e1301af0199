package io.quintet.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.gateway.auth.WriteKey;
import io.quintet.gateway.auth.WriteKeyAuthenticator;
import io.quintet.model.fixtures.EventFixtures;
import io.quintet.model.json.CanonicalJson;
import io.quintet.model.limits.EventLimits;
import io.quintet.model.plan.TrackingPlan;
import io.quintet.model.plan.TrackingPlanRules;
import io.quintet.model.schema.CanonicalSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EdgeValidatorTest {
    static final CanonicalSchema SCHEMA = CanonicalSchema.load();
    static final Instant NOW = EventFixtures.T0.plusSeconds(5);
    final EdgeValidator validator = new EdgeValidator(
            new Limits(new EventLimits(4_096, 200, 200), 12, 6, 100, 1 << 20, Duration.ofHours(1), Duration.ofDays(7)),
            SCHEMA);
    final WriteKey authKey =
            new WriteKey("auth", WriteKeyAuthenticator.sha256("s"), List.of("https://auth.example.com/*"), false);

    static ObjectNode login() {
        return (ObjectNode) CanonicalJson.toTree(EventFixtures.login());
    }

    Rejection rejection(ObjectNode event) {
        EdgeValidator.Result r = validator.validate(event, authKey, NOW);
        assertThat(r).isInstanceOf(EdgeValidator.Invalid.class);
        return ((EdgeValidator.Invalid) r).rejection();
    }

    @Test
    void aValidEventMapsToTheCanonicalModel() {
        EdgeValidator.Result r = validator.validate(login(), authKey, NOW);
        assertThat(r)
                .isInstanceOfSatisfying(
                        EdgeValidator.Valid.class, v -> assertThat(v.event()).isEqualTo(EventFixtures.login()));
    }

    @Test
    void anotherSourceIsForbidden() {
        ObjectNode e = login().put("source", "billing-service");
        Rejection r = rejection(e);
        assertThat(r.code()).isEqualTo(ErrorCode.FORBIDDEN_SOURCE);
        assertThat(r.errors()).extracting(FieldError::pointer).containsExactly("/source");
    }

    @Test
    void aKeyBoundToAnOrganizationStampsItOnEventsWithoutOne() {
        EdgeValidator.Result r = validator.validate(login(), authKey.boundTo("org-4711"), NOW);
        assertThat(r)
                .isInstanceOfSatisfying(
                        EdgeValidator.Valid.class,
                        v -> assertThat(v.event().organizationId()).isEqualTo("org-4711"));
        EdgeValidator.Result same =
                validator.validate(login().put("organization_id", "org-4711"), authKey.boundTo("org-4711"), NOW);
        assertThat(same).isInstanceOf(EdgeValidator.Valid.class);
    }

    @Test
    void aKeyBoundToAnOrganizationMayNotPublishAnotherOrganizationsEvents() {
        EdgeValidator.Result r =
                validator.validate(login().put("organization_id", "org-1"), authKey.boundTo("org-4711"), NOW);
        assertThat(r).isInstanceOfSatisfying(EdgeValidator.Invalid.class, i -> {
            assertThat(i.rejection().code()).isEqualTo(ErrorCode.FORBIDDEN_ORGANIZATION);
            assertThat(i.rejection().code().httpStatus()).isEqualTo(403);
            assertThat(i.rejection().errors()).extracting(FieldError::pointer).containsExactly("/organization_id");
            assertThat(i.rejection().message()).contains("'auth'", "'org-4711'", "'org-1'");
        });
    }

    @Test
    void anUnboundKeyKeepsTheEventsOrganizationAndAMalformedOneIsInvalidEvenWithoutTheSchema() {
        EdgeValidator requiredOnly = new EdgeValidator(
                new Limits(
                        new EventLimits(4_096, 200, 200), 12, 6, 100, 1 << 20, Duration.ofHours(1), Duration.ofDays(7)),
                null);
        assertThat(requiredOnly.validate(login().put("organization_id", "org-1"), authKey, NOW))
                .isInstanceOfSatisfying(
                        EdgeValidator.Valid.class,
                        v -> assertThat(v.event().organizationId()).isEqualTo("org-1"));
        assertThat(requiredOnly.validate(login(), authKey, NOW))
                .isInstanceOfSatisfying(
                        EdgeValidator.Valid.class,
                        v -> assertThat(v.event().organizationId()).isNull());
        for (ObjectNode bad : List.of(
                login().put("organization_id", "org 1"),
                login().put("organization_id", 7),
                login().put("organization_id", ""))) {
            assertThat(requiredOnly.validate(bad, authKey.boundTo("org-1"), NOW))
                    .as(bad.toString())
                    .isInstanceOfSatisfying(EdgeValidator.Invalid.class, i -> {
                        assertThat(i.rejection().code()).isEqualTo(ErrorCode.INVALID_EVENT);
                        assertThat(i.rejection().errors())
                                .extracting(FieldError::pointer)
                                .containsExactly("/organization_id");
                    });
        }
    }

    @Test
    void nestingAndWidthLimitsNameTheObject() {
        ObjectNode deep = login();
        ((ObjectNode) deep.at("/context/domain_specific/analytics/properties"))
                .putObject("a")
                .putObject("b");
        Rejection tooDeep = rejection(deep);
        assertThat(tooDeep.code()).isEqualTo(ErrorCode.TOO_DEEP);
        assertThat(tooDeep.errors().get(0).pointer()).isEqualTo("/context/domain_specific/analytics/properties/a/b");

        ObjectNode wide = login();
        ObjectNode attributes = (ObjectNode) wide.at("/context/attributes");
        for (int i = 0; i < 10; i++) {
            attributes.put("a/b~" + i, i);
        }
        Rejection tooWide = rejection(wide);
        assertThat(tooWide.code()).isEqualTo(ErrorCode.TOO_MANY_PROPERTIES);
        assertThat(tooWide.errors().get(0).pointer()).isEqualTo("/context/attributes");
    }

    @Test
    void analyticsPropertiesAndAttributesOverTheLimitsSharedWithTheEnricherAre422() {
        EdgeValidator shared = new EdgeValidator(
                new Limits(new EventLimits(4_096, 3, 2), 12, 6, 100, 1 << 20, Duration.ofHours(1), Duration.ofDays(7)),
                null);
        ObjectNode atLimit = login();
        ObjectNode props = (ObjectNode) atLimit.at("/context/domain_specific/analytics/properties");
        props.removeAll();
        props.put("a", 1).put("b", 2).put("c", 3);
        ObjectNode attributes = (ObjectNode) atLimit.at("/context/attributes");
        attributes.removeAll();
        attributes.put("x", 1).put("y", 2);
        assertThat(shared.validate(atLimit, authKey, NOW)).isInstanceOf(EdgeValidator.Valid.class);

        ObjectNode manyProperties = atLimit.deepCopy();
        ((ObjectNode) manyProperties.at("/context/domain_specific/analytics/properties")).put("d", 4);
        assertThat(shared.validate(manyProperties, authKey, NOW))
                .isInstanceOfSatisfying(EdgeValidator.Invalid.class, i -> {
                    assertThat(i.rejection().code()).isEqualTo(ErrorCode.TOO_MANY_PROPERTIES);
                    assertThat(i.rejection().errors().get(0).pointer()).isEqualTo(EventLimits.PROPERTIES_POINTER);
                });
        ObjectNode manyAttributes = atLimit.deepCopy();
        ((ObjectNode) manyAttributes.at("/context/attributes")).put("z", 3);
        assertThat(shared.validate(manyAttributes, authKey, NOW))
                .isInstanceOfSatisfying(EdgeValidator.Invalid.class, i -> {
                    assertThat(i.rejection().code()).isEqualTo(ErrorCode.TOO_MANY_ATTRIBUTES);
                    assertThat(i.rejection().errors().get(0).pointer()).isEqualTo("/context/attributes");
                });
    }

    @Test
    void actionNameErrorsNameTheSegment() {
        ObjectNode e = login();
        ((ObjectNode) e.get("action")).put("name", "auth.user.Login-Failed");
        Rejection r = rejection(e);
        assertThat(r.code()).isEqualTo(ErrorCode.INVALID_ACTION_NAME);
        assertThat(r.message()).contains("action segment (3)");
        assertThat(r.errors()).extracting(FieldError::pointer).containsExactly("/action/name");
    }

    @Test
    void schemaViolationsCarryPointers() {
        ObjectNode e = login();
        e.remove("source");
        ((ObjectNode) e.at("/context/client")).put("ip_address", "999.1.1.1");
        Rejection r = rejection(e);
        assertThat(r.code()).isEqualTo(ErrorCode.INVALID_EVENT);
        assertThat(r.errors()).extracting(FieldError::pointer).contains("/source", "/context/client/ip_address");
    }

    @Test
    void withoutTheSchemaRequiredFieldsAndEnumsAreStillChecked() {
        EdgeValidator requiredOnly = new EdgeValidator(Limits.defaults(), null);
        ObjectNode e = login().put("id", "12345");
        e.remove("actor");
        ((ObjectNode) e.get("action")).put("type", "teleport");
        EdgeValidator.Result r = requiredOnly.validate(e, authKey, NOW);
        assertThat(r).isInstanceOfSatisfying(EdgeValidator.Invalid.class, i -> {
            assertThat(i.rejection().code()).isEqualTo(ErrorCode.INVALID_EVENT);
            assertThat(i.rejection().errors())
                    .extracting(FieldError::pointer)
                    .containsExactly("/id", "/action/type", "/actor");
        });
        assertThat(requiredOnly.validate(login(), authKey, NOW)).isInstanceOf(EdgeValidator.Valid.class);
    }

    @Test
    void eventTimeWindowIsEnforcedBothWays() {
        ObjectNode future =
                login().put("event_timestamp", NOW.plus(Duration.ofMinutes(61)).toString());
        ObjectNode old = login().put(
                        "event_timestamp",
                        NOW.minus(Duration.ofDays(7)).minusSeconds(1).toString());
        ObjectNode edge =
                login().put("event_timestamp", NOW.plus(Duration.ofMinutes(59)).toString());
        assertThat(rejection(future).code()).isEqualTo(ErrorCode.TIMESTAMP_OUT_OF_RANGE);
        assertThat(rejection(old).code()).isEqualTo(ErrorCode.TIMESTAMP_OUT_OF_RANGE);
        assertThat(validator.validate(edge, authKey, NOW)).isInstanceOf(EdgeValidator.Valid.class);
    }

    @Test
    void strictModeRefusesWhatTheTrackingPlanRejectsAndEdgeModeLeavesItToTheEnricher() {
        TrackingPlan plan = TrackingPlan.parse("""
                {"name": "t", "version": 3, "events": {"auth.user.login_succeeded": {"properties": {
                  "method": {"type": "string", "required": true, "enum": ["password", "sso"]},
                  "mfa": {"type": "boolean"}}}}}""".getBytes(java.nio.charset.StandardCharsets.UTF_8), "test");
        EdgeValidator strict = new EdgeValidator(Limits.defaults(), null, new TrackingPlanRules(plan));
        EdgeValidator edge = new EdgeValidator(Limits.defaults(), null);
        ObjectNode bad = login();
        ((ObjectNode) bad.at("/context/domain_specific/analytics/properties"))
                .put("method", "telepathy")
                .put("mfa", "yes");

        assertThat(strict.validate(login(), authKey, NOW)).isInstanceOf(EdgeValidator.Valid.class);
        assertThat(edge.validate(bad, authKey, NOW)).isInstanceOf(EdgeValidator.Valid.class);
        assertThat(strict.validate(bad, authKey, NOW)).isInstanceOfSatisfying(EdgeValidator.Invalid.class, i -> {
            assertThat(i.rejection().code()).isEqualTo(ErrorCode.TRACKING_PLAN_VIOLATION);
            assertThat(i.rejection().code().httpStatus()).isEqualTo(422);
            assertThat(i.rejection().errors())
                    .extracting(FieldError::pointer)
                    .containsExactly(
                            "/context/domain_specific/analytics/properties/method",
                            "/context/domain_specific/analytics/properties/mfa");
            assertThat(i.rejection().message()).contains("tracking plan t v3");
        });
    }
}
