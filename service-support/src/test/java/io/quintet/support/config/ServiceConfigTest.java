package io.quintet.support.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.junit.jupiter.api.Test;

class ServiceConfigTest {
    static final ConfigDef DEF = new ConfigDef()
            .define("name", Type.STRING, "quintet", Importance.HIGH, "a name")
            .define("threads", Type.INT, 1, ConfigDef.Range.atLeast(1), Importance.HIGH, "threads")
            .define("window.ms", Type.LONG, 1_000L, Importance.LOW, "a window")
            .define("types", Type.LIST, "a,b", Importance.LOW, "types")
            .define("secret", Type.PASSWORD, "", Importance.LOW, "a secret");

    static final class Example extends ServiceConfig {
        Example(Map<String, String> raw) {
            super(DEF, raw);
        }

        Duration window() {
            return getMillis("window.ms");
        }

        String secret() {
            return getSecret("secret");
        }
    }

    @Test
    void typedGettersGiveTheParsedValuesAndTheDefaults() {
        Example c = new Example(Map.of("threads", "4", "window.ms", "250", "secret", "s3cret"));

        assertThat(c.getString("name")).isEqualTo("quintet");
        assertThat(c.getInt("threads")).isEqualTo(4);
        assertThat(c.window()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.getList("types")).isEqualTo(List.of("a", "b"));
        assertThat(c.secret()).isEqualTo("s3cret");
    }

    @Test
    void kafkaClientSettingsPassThroughAsGivenWithoutTheirPrefix() {
        Example c = new Example(Map.of(
                "kafka.client.security.protocol", "SSL",
                "kafka.client.sasl.jaas.config", "${file:/etc/jaas:config}"));

        assertThat(c.kafkaClientOverrides())
                .isEqualTo(Map.of("security.protocol", "SSL", "sasl.jaas.config", "${file:/etc/jaas:config}"));
    }

    @Test
    void everyBadOrUnknownSettingIsReportedAtOnce() {
        assertThatThrownBy(() -> new Example(Map.of("threads", "0", "window.ms", "soon", "colour", "red")))
                .isInstanceOf(ConfigLoader.InvalidConfigException.class)
                .satisfies(e -> assertThat(((ConfigLoader.InvalidConfigException) e).problems())
                        .hasSize(3)
                        .anySatisfy(p -> assertThat(p).startsWith("threads: "))
                        .anySatisfy(p -> assertThat(p).startsWith("window.ms: "))
                        .anySatisfy(p -> assertThat(p).startsWith("colour: unknown setting")));
    }
}
