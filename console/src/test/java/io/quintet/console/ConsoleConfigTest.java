package io.quintet.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quintet.support.config.ConfigLoader.InvalidConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleConfigTest {

    @Test
    void theConsoleBindsToLoopbackByDefault() {
        ConsoleConfig c = ConsoleConfig.of(Map.of());
        assertThat(c.httpHost()).isEqualTo("127.0.0.1");
        assertThat(c.healthUrls()).containsKeys("gateway", "feed-aggregator");
        assertThat(c.feedsUrl().toString()).isEqualTo("http://127.0.0.1:8083");
    }

    @Test
    void everyBadSettingIsReportedAtOnce() {
        assertThatThrownBy(() -> ConsoleConfig.of(Map.of(
                        ConsoleConfig.HEALTH_ENDPOINTS, "gateway=ftp://x/readyz,nameless",
                        ConsoleConfig.FEEDS_URL, "not a url")))
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(
                        e -> assertThat(((InvalidConfigException) e).problems()).hasSize(3));
        assertThatThrownBy(() -> ConsoleConfig.of(Map.of(ConsoleConfig.LIVE_BUFFER, "3", "no.such.setting", "x")))
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(
                        e -> assertThat(((InvalidConfigException) e).problems()).hasSize(2));
    }

    @Test
    void settingsComeFromTheEnvironmentWithTheConsolePrefix() {
        ConsoleConfig c =
                ConsoleConfig.load(null, Map.of("QUINTET_CONSOLE_HTTP_PORT", "9999", "QUINTET_CONSOLE_FEEDS_URL", ""));
        assertThat(c.httpPort()).isEqualTo(9999);
        assertThat(c.feedsUrl()).isNull();
    }
}
