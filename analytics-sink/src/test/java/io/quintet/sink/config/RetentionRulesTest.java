package io.quintet.sink.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quintet.sink.config.MaintenanceSettings.RetentionRule;
import io.quintet.support.config.ConfigLoader.InvalidConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetentionRulesTest {
    /** The enricher's tracking plan as shipped (read from its source tree: the sink does not depend on the enricher). */
    private static final Path TRACKING_PLAN =
            Path.of("../event-model/src/main/resources/io/quintet/model/plan/tracking-plan.json");

    /** Seed 003's retention table: retention_period / archive_after. */
    enum Policy {
        USER(730, 365),
        WORKFLOW(365, 182),
        SECURITY(2555, 730),
        BUSINESS(2555, 1095),
        UNPLANNED(2555, 730);

        final Duration keep;
        final Duration archiveAfter;

        Policy(int keepDays, int archiveDays) {
            this.keep = Duration.ofDays(keepDays);
            this.archiveAfter = Duration.ofDays(archiveDays);
        }
    }

    record Intended(String rule, Policy policy) {}

    /** Every event of the shipped plan, the rule meant to select it and the seed policy that rule stands for. */
    private static final Map<String, Intended> INTENDED = new LinkedHashMap<>();

    private static void intend(String action, String rule, Policy policy) {
        INTENDED.put(action, new Intended(rule, policy));
    }

    static {
        // catalogue user.login / user.logout / user.session_expired: user engagement
        intend("auth.user.login_succeeded", "auth.*", Policy.USER);
        intend("auth.user.logged_out", "auth.*", Policy.USER);
        intend("auth.session.expired", "auth.*", Policy.USER);
        // catalogue security.login_attempt, and its failure half: security
        intend("auth.user.login_attempted", "auth.user.login_attempted", Policy.SECURITY);
        intend("auth.user.login_failed", "auth.user.login_failed", Policy.SECURITY);
        intend("security.suspicious_activity.detected", "security.*", Policy.SECURITY);
        // catalogue user.page_view / user.feature_used / user.search_performed: user engagement
        intend("analytics.page.viewed", "analytics.*", Policy.USER);
        intend("analytics.feature.used", "analytics.*", Policy.USER);
        intend("analytics.search.performed", "analytics.*", Policy.USER);
        for (String a : List.of(
                "definition.created",
                "definition.updated",
                "definition.deleted",
                "execution.started",
                "execution.completed",
                "execution.failed",
                "node.executed")) {
            intend("workflow." + a, "workflow.*", Policy.WORKFLOW);
        }
        // AI model calls, integrations, API requests and system health: operational monitoring, as workflow events
        intend("ai.model.requested", "ai.*", Policy.WORKFLOW);
        intend("ai.model.completed", "ai.*", Policy.WORKFLOW);
        intend("ai.model.failed", "ai.*", Policy.WORKFLOW);
        for (String a : List.of("started", "completed", "failed")) {
            intend("integration.sync." + a, "integration.*", Policy.WORKFLOW);
        }
        for (String a : List.of("received", "completed", "failed")) {
            intend("api.request." + a, "api.*", Policy.WORKFLOW);
        }
        intend("system.performance.measured", "system.*", Policy.WORKFLOW);
        intend("system.error.occurred", "system.*", Policy.WORKFLOW);
        // AI cost (amount, billing period) is financial reporting, as business events
        intend("ai.cost.incurred", "ai.cost.incurred", Policy.BUSINESS);
        intend("business.workflow_value.delivered", "business.*", Policy.BUSINESS);
        intend("business.adoption_milestone.reached", "business.*", Policy.BUSINESS);
        intend("business.revenue.generated", "business.*", Policy.BUSINESS);
        // planned for its personal-data paths (issue #20); no seed policy names identity events: the unplanned default
        intend("identity.profile.identified", "*", Policy.UNPLANNED);
    }

    private static MaintenanceSettings defaults() {
        return SinkConfig.fromRaw(Map.of()).maintenance();
    }

    private static MaintenanceSettings rules(String text) {
        return SinkConfig.fromRaw(Map.of(SinkConfig.RETENTION_RULES, text)).maintenance();
    }

    @Test
    void everyEventOfTheShippedTrackingPlanFallsToTheRuleSeed003Intends() throws Exception {
        JsonNode plan = new ObjectMapper().readTree(TRACKING_PLAN.toFile());
        List<String> planned = new ArrayList<>();
        plan.get("events").fieldNames().forEachRemaining(planned::add);
        // a new planned event fails here until this table says which rule it belongs to
        assertThat(planned).containsExactlyInAnyOrderElementsOf(INTENDED.keySet());
        MaintenanceSettings defaults = defaults();

        for (String action : planned) {
            Intended intended = INTENDED.get(action);
            RetentionRule rule =
                    defaults.ruleFor(action).orElseThrow(() -> new AssertionError(action + " has no rule"));
            assertThat(rule.pattern().toString()).as(action).isEqualTo(intended.rule());
            assertThat(rule.keep()).as(action + " keep").isEqualTo(intended.policy().keep);
            assertThat(rule.archiveAfterOr(Duration.ZERO))
                    .as(action + " archive after")
                    .isEqualTo(intended.policy().archiveAfter);
            assertThat(defaults.retention().stream()
                            .filter(r -> r.pattern().matches(action))
                            .findFirst())
                    .as(action + ": the intended rule is the first that matches")
                    .contains(rule);
        }
    }

    @Test
    void anUnplannedActionFallsToTheDocumentedDefaultOfSevenYearsArchivedAfterTwo() {
        MaintenanceSettings defaults = defaults();

        RetentionRule unplannedDomain =
                defaults.ruleFor("messaging.email.opened").orElseThrow();
        RetentionRule unplannedInPlannedDomain =
                defaults.ruleFor("auth.user.password_reset").orElseThrow();

        assertThat(unplannedDomain.pattern().toString()).isEqualTo("*");
        assertThat(unplannedDomain.keep()).isEqualTo(Policy.UNPLANNED.keep);
        assertThat(unplannedDomain.archiveAfter()).isEqualTo(Policy.UNPLANNED.archiveAfter);
        assertThat(unplannedInPlannedDomain.pattern().toString())
                .as("its domain's rule")
                .isEqualTo("auth.*");
        assertThat(defaults.ruleFor("billing.invoice.created").orElseThrow().keep())
                .isEqualTo(Policy.BUSINESS.keep);
    }

    @Test
    void theFirstMatchingRuleWinsWhereTwoPatternsOverlap() {
        MaintenanceSettings securityFirst = rules("*.login_failed=7y,auth.*=2y");
        MaintenanceSettings authFirst = rules("auth.*=2y,*.login_failed=7y");

        assertThat(securityFirst.ruleFor("auth.user.login_failed").orElseThrow().keep())
                .isEqualTo(Duration.ofDays(2555));
        assertThat(authFirst.ruleFor("auth.user.login_failed").orElseThrow().keep())
                .isEqualTo(Duration.ofDays(730));
        assertThat(authFirst.ruleFor("billing.user.login_failed").orElseThrow().keep())
                .isEqualTo(Duration.ofDays(2555));
        assertThat(authFirst.ruleFor("auth.user.logged_out").orElseThrow().keep())
                .isEqualTo(Duration.ofDays(730));
        assertThat(authFirst.ruleFor("billing.invoice.created"))
                .as("no rule: kept")
                .isEmpty();
    }

    @Test
    void aPerOrganizationOverrideAppliesOnlyToThatOrganizationsRows() {
        MaintenanceSettings s =
                rules("billing.*@org-acme=10y/3y,auth.user.login_failed@org-acme=1y,billing.*=7y/3y,auth.*=2y/1y");

        assertThat(s.ruleFor("billing.invoice.created", "org-acme")
                        .orElseThrow()
                        .keep())
                .isEqualTo(Duration.ofDays(3650));
        assertThat(s.ruleFor("billing.invoice.created", "org-globex")
                        .orElseThrow()
                        .keep())
                .isEqualTo(Duration.ofDays(2555));
        assertThat(s.ruleFor("billing.invoice.created", null).orElseThrow().keep())
                .as("no organisation: the general rule")
                .isEqualTo(Duration.ofDays(2555));
        assertThat(s.ruleFor("billing.invoice.created").orElseThrow().organizationId())
                .isNull();
        assertThat(s.ruleFor("auth.user.login_failed", "org-acme").orElseThrow().keep())
                .isEqualTo(Duration.ofDays(365));
        assertThat(s.ruleFor("auth.user.logged_out", "org-acme").orElseThrow().keep())
                .isEqualTo(Duration.ofDays(730));
        assertThat(s.rulesForDomain("billing").rules())
                .extracting(RetentionRule::label)
                .containsExactly("billing.*@org-acme", "billing.*");
        assertThat(s.rulesForPartition("billing", true, "org-globex").rules())
                .as("a partition of one other tenant")
                .extracting(RetentionRule::label)
                .containsExactly("billing.*");
        assertThat(s.rulesForPartition("billing", true, "org-acme"))
                .as("the override covers the tenant's partition")
                .satisfies(d -> assertThat(d.complete()).isTrue())
                .satisfies(d ->
                        assertThat(d.rules()).extracting(RetentionRule::label).containsExactly("billing.*@org-acme"));
    }

    @Test
    void anOverrideAfterTheGeneralRuleItOverridesOrForAMalformedOrganizationIsRefused() {
        assertThatThrownBy(() -> rules("billing.*=7y,billing.*@org-acme=10y"))
                .isInstanceOfSatisfying(
                        InvalidConfigException.class,
                        e -> assertThat(e.problems())
                                .singleElement()
                                .satisfies(p -> assertThat(p)
                                        .contains("'billing.*@org-acme=10y' is never used")
                                        .contains("earlier rule 'billing.*'")
                                        .contains("organisation overrides")));
        assertThatThrownBy(() -> rules("billing.*@org-acme=10y,billing.invoice.created@org-acme=1y"))
                .isInstanceOfSatisfying(
                        InvalidConfigException.class,
                        e -> assertThat(e.problems())
                                .singleElement()
                                .satisfies(p -> assertThat(p).contains("earlier rule 'billing.*@org-acme'")));
        assertThatThrownBy(() -> rules("billing.*@acme corp=10y"))
                .isInstanceOfSatisfying(
                        InvalidConfigException.class,
                        e -> assertThat(e.problems())
                                .singleElement()
                                .satisfies(p -> assertThat(p).startsWith("retention.rules: ")));
        assertThatThrownBy(() -> rules("billing.*@-acme=10y"))
                .isInstanceOfSatisfying(
                        InvalidConfigException.class,
                        e -> assertThat(e.problems())
                                .singleElement()
                                .satisfies(p -> assertThat(p).contains("'-acme' is not an organization id")));
        assertThat(rules("billing.*@org-acme=10y,billing.*@org-globex=1y,billing.*=7y")
                        .retention())
                .hasSize(3);
    }

    @Test
    void overridesPrintAsTextThatReadsBackAsTheSameRules() {
        SinkConfig config = SinkConfig.fromRaw(Map.of(SinkConfig.RETENTION_RULES, "billing.*@org-acme=10y/3y,*=7y/2y"));
        assertThat(config.toRaw().get(SinkConfig.RETENTION_RULES))
                .isEqualTo("billing.*@org-acme=3650d/1095d,*=2555d/730d");
        assertThat(SinkConfig.fromRaw(config.toRaw()).maintenance().retention())
                .isEqualTo(config.maintenance().retention());
    }

    @Test
    void aRuleAnEarlierOneMakesUnreachableIsRefusedAtStartUpNamingTheSetting() {
        assertThatThrownBy(() -> rules("*=365d,security.*=2555d"))
                .isInstanceOfSatisfying(
                        InvalidConfigException.class,
                        e -> assertThat(e.problems())
                                .singleElement()
                                .satisfies(p -> assertThat(p)
                                        .startsWith("retention.rules: ")
                                        .contains("'security.*=2555d'")
                                        .contains("earlier rule '*'")));
        assertThatThrownBy(() -> rules("auth.*=2y,auth.user.login_failed=7y"))
                .isInstanceOfSatisfying(
                        InvalidConfigException.class,
                        e -> assertThat(e.problems())
                                .singleElement()
                                .satisfies(p -> assertThat(p)
                                        .startsWith("retention.rules: ")
                                        .contains("earlier rule 'auth.*'")));
        assertThatThrownBy(() -> rules("auth.*.*=2y,auth.user.login_failed=7y"))
                .as("auth.*.* matches every three-segment auth action")
                .isInstanceOf(InvalidConfigException.class);
    }

    @Test
    void malformedRulesAreRefusedAtStartUpNamingTheSettingAndTheRule() {
        Map<String, String> bad = Map.of(
                "auth.*=2years", "'2years' is not a duration",
                "auth.*=2y/3y", "is not shorter than keep",
                "auth.user.login.failed=7y", "more than 3 segments",
                "auth.user=7y", "can never match",
                "Auth.*=7y", "neither '*' nor a lower snake-case word",
                "auth.*", "must look like");
        bad.forEach((text, why) -> assertThatThrownBy(() -> rules(text))
                .as(text)
                .isInstanceOfSatisfying(
                        InvalidConfigException.class,
                        e -> assertThat(e.problems())
                                .singleElement()
                                .satisfies(p -> assertThat(p)
                                        .startsWith("retention.rules: ")
                                        .contains(why))));
    }

    @Test
    void theOldWholeDomainFormMeansWhatItMeantWithArchiveAfterFromTheGlobalSetting() {
        MaintenanceSettings old = SinkConfig.fromRaw(Map.of(
                        SinkConfig.RETENTION_RULES,
                                "security.*=2555d, billing.*=2555d,user.* = 730 d,workflow.*=365D,*=48h",
                        SinkConfig.ARCHIVE_AFTER_DAYS, "40"))
                .maintenance();

        assertThat(old.ruleFor("user.profile.updated").orElseThrow().keep()).isEqualTo(Duration.ofDays(730));
        assertThat(old.ruleFor("security.alert.raised").orElseThrow().keep()).isEqualTo(Duration.ofDays(2555));
        assertThat(old.ruleFor("messaging.email.sent").orElseThrow().keep()).isEqualTo(Duration.ofHours(48));
        assertThat(Set.of("security", "user", "messaging"))
                .allSatisfy(domain -> assertThat(old.archiveAfterFor(domain)).isEqualTo(Duration.ofDays(40)));
    }

    @Test
    void theConfigurationPrintsItsRulesAsTextThatReadsBackAsTheSameRules() {
        SinkConfig config = SinkConfig.fromRaw(
                Map.of(SinkConfig.RETENTION_RULES, "auth.user.login_failed=7y/2y,auth.*=36h,*=30d/1d"));

        SinkConfig again = SinkConfig.fromRaw(config.toRaw());

        assertThat(again.maintenance().retention())
                .isEqualTo(config.maintenance().retention());
        assertThat(SinkConfig.fromRaw(Map.of()).toRaw().get(SinkConfig.RETENTION_RULES))
                .isNotBlank();
        assertThat(SinkConfig.fromRaw(SinkConfig.fromRaw(Map.of()).toRaw())
                        .maintenance()
                        .retention())
                .isEqualTo(defaults().retention());
    }

    @Test
    void aDomainIsArchivedAtTheShortestArchiveAfterOfTheRulesThatCanReachIt() {
        MaintenanceSettings defaults = defaults();

        assertThat(defaults.archiveAfterFor("auth"))
                .as("auth.* (1y) is shorter than the login rules' 2y")
                .isEqualTo(Duration.ofDays(365));
        assertThat(defaults.archiveAfterFor("business"))
                .as("'*' cannot reach business: business.* covers it")
                .isEqualTo(Duration.ofDays(1095));
        assertThat(defaults.archiveAfterFor("ai")).isEqualTo(Duration.ofDays(182));
        assertThat(defaults.archiveAfterFor("messaging")).isEqualTo(Duration.ofDays(730));
        assertThat(rules("auth.user.login_failed=7y/2y").archiveAfterFor("auth"))
                .as("actions without a rule are archived after archive.after.days")
                .isEqualTo(Duration.ofDays(35));
    }
}
