package io.quintet.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quintet.gateway.auth.WriteKey;
import io.quintet.gateway.auth.WriteKeyAuthenticator;
import io.quintet.model.Action;
import io.quintet.support.config.ConfigLoader.InvalidConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {
    static final String HASH = WriteKeyAuthenticator.sha256Hex("secret");

    @Test
    void parsesWriteKeysErasureRightsAndAliases() {
        GatewayConfig c = GatewayConfig.of(Map.of(
                "auth.write.keys",
                        "web:" + HASH + ":web-app|https://shop.example.com/*, admin:" + HASH.toUpperCase()
                                + ":privacy-admin",
                "auth.erasure.keys", "admin",
                "segment.aliases",
                        "Order Completed=commerce.order.completed:create, Signed Up=account.user.signed_up"));

        assertThat(c.writeKeys()).extracting(WriteKey::id).containsExactly("web", "admin");
        WriteKey web = c.writeKeys().get(0);
        assertThat(web.sources()).containsExactly("web-app", "https://shop.example.com/*");
        assertThat(web.mayErase()).isFalse();
        assertThat(c.writeKeys().get(1).mayErase()).isTrue();
        assertThat(c.segment().aliases())
                .containsEntry("Order Completed", new Action("commerce.order.completed", "create"))
                .containsEntry("Signed Up", new Action("account.user.signed_up", null));
        assertThat(c.limits().maxBatchEvents()).isEqualTo(2_000);
        assertThat(c.limits().event()).isEqualTo(io.quintet.model.limits.EventLimits.DEFAULTS);
    }

    @Test
    void bindsWriteKeysToOrganizationsAndReportsBadBindings() {
        GatewayConfig c = GatewayConfig.of(Map.of(
                "auth.write.keys",
                "web:" + HASH + ":web-app, acme:" + HASH + ":billing-service",
                "auth.write.key.organizations",
                "acme=org-acme"));
        assertThat(c.writeKeys()).extracting(WriteKey::organizationId).containsExactly(null, "org-acme");

        assertThatThrownBy(() -> GatewayConfig.of(Map.of(
                        "auth.write.keys",
                        "web:" + HASH + ":web-app",
                        "auth.write.key.organizations",
                        "web=acme corp, nobody=org-1, web")))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.problems()).hasSize(3);
                    assertThat(e.getMessage())
                            .contains("'acme corp' is not an organization id")
                            .contains("'nobody' is not the id of a configured write key")
                            .contains("entry 'web' is not key-id=organization-id");
                });
    }

    @Test
    void reportsEveryProblemAtOnceWithoutEchoingSecrets() {
        assertThatThrownBy(() -> GatewayConfig.of(Map.of(
                        "auth.write.keys", "web:qk_live_THE_ACTUAL_SECRET_KEY:web-app, broken",
                        "auth.erasure.keys", "nobody",
                        "segment.aliases", "Order Completed=Commerce.Order",
                        "http.trusted.proxies", "lb.internal",
                        "kafka.client.acks", "1",
                        "http.port", "99999")))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.problems()).hasSize(7);
                    assertThat(e.getMessage())
                            .doesNotContain("THE_ACTUAL_SECRET")
                            .contains("64-hex-digit SHA-256")
                            .contains("auth.erasure.keys: 'nobody'")
                            .contains("segment.aliases")
                            .contains("kafka.client.acks")
                            .contains("http.port")
                            .contains("lb.internal");
                });
    }

    @Test
    void loadsTheShippedSampleFile() throws Exception {
        Path sample = Path.of("config/ingest-gateway.properties.sample");
        assertThat(sample).exists();
        Path copy = Files.createTempFile("gateway", ".properties");
        Files.copy(sample, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        GatewayConfig c = GatewayConfig.load(copy, Map.of("QUINTET_GATEWAY_HTTP_PORT", "9090"));
        assertThat(c.httpPort()).isEqualTo(9090);
        assertThat(c.writeKeys()).isNotEmpty();
    }
}
