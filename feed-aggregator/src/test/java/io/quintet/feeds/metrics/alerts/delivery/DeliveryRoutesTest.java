package io.quintet.feeds.metrics.alerts.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quintet.feeds.metrics.alerts.AlertRulesFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliveryRoutesTest {
    static final String RULE = """
              - id: brute-force-login
                pattern: auth.user.login_failed
                group_by: actor
                window: 5m
                threshold: {count: 5}
            """;

    @Test
    void eachRuleGetsItsNamedDestinationsWithSecretsFromTheEnvironmentOrAFile(@TempDir Path dir) throws IOException {
        Path secretFile = dir.resolve("pager.secret");
        Files.writeString(secretFile, "file-secret-0123456789\n");
        String yaml = """
                destinations:
                  - id: soc
                    url: https://soc.example.com/hooks/quintet
                    secret_env: SOC_SECRET
                  - id: pager
                    url: http://127.0.0.1:9999/alerts
                    secret_file: %s
                rules:
                %s    deliver_to: [soc, pager]
                  - id: quiet
                    pattern: auth.user.login_succeeded
                    group_by: actor
                    window: 5m
                    threshold: {count: 5}
                """.formatted(secretFile, RULE);

        DeliveryRoutes routes = DeliveryRoutes.parse(yaml, Map.of("SOC_SECRET", "env-secret-0123456789")::get, "test");

        assertThat(routes.destinations("brute-force-login"))
                .extracting(WebhookDestination::id)
                .containsExactly("soc", "pager");
        assertThat(routes.destinations("brute-force-login").get(0).secret())
                .isEqualTo("env-secret-0123456789".getBytes(StandardCharsets.UTF_8));
        assertThat(routes.destinations("brute-force-login").get(1).secret())
                .isEqualTo("file-secret-0123456789".getBytes(StandardCharsets.UTF_8))
                .as("trailing newline stripped");
        assertThat(routes.destinations("quiet")).isEmpty();
        assertThat(routes.destinations("brute-force-login").get(0).toString()).doesNotContain("env-secret");
        assertThat(AlertRulesFile.parse(yaml, Duration.ofSeconds(10), "test").size())
                .as("the rules file itself accepts deliver_to")
                .isEqualTo(2);
    }

    @Test
    void everyDestinationProblemIsReportedAtOnceAndASecretInClearIsRefused() {
        String yaml = """
                destinations:
                  - id: soc
                    url: https://soc.example.com/hooks
                    secret_env: UNSET_SECRET
                  - id: clear
                    url: ftp://example.com/x
                    secret: do-not-put-me-here
                rules:
                %s    deliver_to: [soc, nowhere]
                """.formatted(RULE);

        assertThatThrownBy(() -> DeliveryRoutes.parse(yaml, name -> null, "rules.yaml"))
                .isInstanceOfSatisfying(
                        AlertRulesFile.InvalidRulesException.class,
                        e -> assertThat(e.problems())
                                .anySatisfy(p -> assertThat(p)
                                        .contains("'soc'")
                                        .contains("UNSET_SECRET")
                                        .contains("not set"))
                                .anySatisfy(
                                        p -> assertThat(p).contains("'clear'").contains("unknown field 'secret'"))
                                .anySatisfy(
                                        p -> assertThat(p).contains("'clear'").contains("http or https"))
                                .anySatisfy(
                                        p -> assertThat(p).contains("'clear'").contains("exactly one of secret_env"))
                                .anySatisfy(p -> assertThat(p).contains("deliver_to names 'nowhere'")));
    }

    @Test
    void theShippedRulesFileRoutesNothingWithoutDestinations() {
        assertThat(DeliveryRoutes.load(Path.of("config/alert-rules.yaml"), name -> null)
                        .isEmpty())
                .isTrue();
    }
}
