package io.quintet.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quintet.support.auth.HashedApiKey;
import io.quintet.support.config.ConfigLoader.InvalidConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleConfigTest {

    static final String VIEWER_KEY = "qfk_console-test-viewer";
    static final Map<String, String> KEYS =
            Map.of(ConsoleConfig.AUTH_API_KEYS, "viewer:" + HashedApiKey.sha256Hex(VIEWER_KEY) + ":console:read");

    @Test
    void theConsoleBindsToLoopbackByDefault() {
        ConsoleConfig c = ConsoleConfig.of(KEYS);
        assertThat(c.httpHost()).isEqualTo("127.0.0.1");
        assertThat(c.healthUrls()).containsKeys("gateway", "feed-aggregator");
        assertThat(c.feedsUrl().toString()).isEqualTo("http://127.0.0.1:8083");
    }

    @Test
    void everyBadSettingIsReportedAtOnce() {
        assertThatThrownBy(() -> ConsoleConfig.of(Map.of(
                        ConsoleConfig.AUTH_ENABLED, "false",
                        ConsoleConfig.HEALTH_ENDPOINTS, "gateway=ftp://x/readyz,nameless",
                        ConsoleConfig.FEEDS_URL, "not a url")))
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(
                        e -> assertThat(((InvalidConfigException) e).problems()).hasSize(3));
        assertThatThrownBy(() -> ConsoleConfig.of(Map.of(
                        ConsoleConfig.AUTH_ENABLED, "false", ConsoleConfig.LIVE_BUFFER, "3", "no.such.setting", "x")))
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(
                        e -> assertThat(((InvalidConfigException) e).problems()).hasSize(2));
    }

    @Test
    void settingsComeFromTheEnvironmentWithTheConsolePrefix() {
        ConsoleConfig c = ConsoleConfig.load(
                null,
                Map.of(
                        "QUINTET_CONSOLE_HTTP_PORT",
                        "9999",
                        "QUINTET_CONSOLE_FEEDS_URL",
                        "",
                        "QUINTET_CONSOLE_AUTH_API_KEYS",
                        KEYS.get(ConsoleConfig.AUTH_API_KEYS)));
        assertThat(c.httpPort()).isEqualTo(9999);
        assertThat(c.feedsUrl()).isNull();
    }

    @Test
    void theConsoleAdmitsTheFeedApisKeyEntriesAndIgnoresTheirFeedScopes() {
        // the same entry as the feed-aggregator's http.auth.api.keys (deploy/bin/secrets.sh, ./quintet run)
        String entry = "ops:" + HashedApiKey.sha256Hex("qfk_ops") + ":feeds:read-any|metrics:read|console:read"
                + "|console:replay";
        ConsoleConfig c = ConsoleConfig.of(Map.of(ConsoleConfig.AUTH_API_KEYS, entry));
        assertThat(c.authEnabled()).isTrue();
        assertThat(c.apiKeys())
                .singleElement()
                .satisfies(k -> assertThat(k.id()).isEqualTo("ops"));
        ConsoleAuth auth = new ConsoleAuth(true, c.apiKeys(), c.sessionTtl(), java.time.Clock.systemUTC());
        assertThat(auth.authenticate("Bearer qfk_ops", null).scopes())
                .containsExactlyInAnyOrder(ConsoleAuth.READ, ConsoleAuth.REPLAY);
    }

    @Test
    void authWithoutAKeyThatMayReadOrWithAMisspelledConsoleScopeIsRefusedAtStart() {
        assertThatThrownBy(() -> ConsoleConfig.of(Map.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("auth.api.keys: no key has the scope console:read");
        assertThatThrownBy(() -> ConsoleConfig.of(Map.of(
                        ConsoleConfig.AUTH_API_KEYS,
                        "a:" + HashedApiKey.sha256Hex("k") + ":console:reed,b:abc:console:read")))
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> assertThat(((InvalidConfigException) e).problems())
                        .anySatisfy(p -> assertThat(p).contains("'a'", "unknown scope 'console:reed'"))
                        .anySatisfy(p -> assertThat(p).contains("'b'", "SHA-256")));
        assertThat(ConsoleConfig.of(Map.of(ConsoleConfig.AUTH_ENABLED, "false")).authEnabled())
                .isFalse();
    }

    @Test
    void anHmacKeyFileWithoutThePublishedKeysIsRefused() {
        assertThatThrownBy(() -> ConsoleConfig.of(Map.of(
                        ConsoleConfig.AUTH_ENABLED, "false", ConsoleConfig.AUDIT_HMAC_KEYS, "/no/such/hmac.keys")))
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> assertThat(((InvalidConfigException) e).problems())
                        .anySatisfy(p -> assertThat(p).contains("audit.hmac.keys.file", "not a readable file"))
                        .anySatisfy(p -> assertThat(p).contains("needs audit.public.keys.file")));
    }

    @Test
    void theSampleFileLoadsOnceAKeyIsGivenAndNotBefore() {
        java.nio.file.Path sample = java.nio.file.Path.of("config", "console.properties.sample");
        assertThatThrownBy(() -> ConsoleConfig.load(sample, Map.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("no key has the scope console:read");
        ConsoleConfig c = ConsoleConfig.load(
                sample, Map.of("QUINTET_CONSOLE_AUTH_API_KEYS", KEYS.get(ConsoleConfig.AUTH_API_KEYS)));
        assertThat(c.httpHost()).isEqualTo("127.0.0.1");
        assertThat(c.apiKeys()).extracting(k -> k.id()).containsExactly("viewer");
        assertThat(c.auditPublicKeys()).isNull();
    }
}
