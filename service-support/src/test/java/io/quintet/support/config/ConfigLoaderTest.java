package io.quintet.support.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final ConfigDef DEF = new ConfigDef()
            .define(
                    "kafka.bootstrap.servers",
                    ConfigDef.Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    ConfigDef.Importance.HIGH,
                    "brokers")
            .define(
                    "http.port",
                    ConfigDef.Type.INT,
                    8080,
                    ConfigDef.Range.between(1, 65535),
                    ConfigDef.Importance.MEDIUM,
                    "port")
            .define(
                    "dedup.window_days",
                    ConfigDef.Type.INT,
                    7,
                    ConfigDef.Range.atLeast(1),
                    ConfigDef.Importance.LOW,
                    "days");

    @Test
    void fileThenEnvironmentOverrides(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("svc.properties");
        Files.writeString(file, "kafka.bootstrap.servers=file:9092\nhttp.port=9000\n");

        Map<String, Object> cfg = ConfigLoader.load(
                DEF,
                file,
                Map.of(
                        "QUINTET_SVC_HTTP_PORT",
                        "9100",
                        "QUINTET_SVC_DEDUP_WINDOW__DAYS",
                        "3",
                        "OTHER",
                        "x",
                        "QUINTET_SVC_KAFKA_CLIENT_SECURITY_PROTOCOL",
                        "SSL"),
                "QUINTET_SVC_");

        assertThat(cfg)
                .containsEntry("kafka.bootstrap.servers", "file:9092")
                .containsEntry("http.port", 9100)
                .containsEntry("dedup.window_days", 3);
        assertThat(ConfigLoader.kafkaClientOverrides(cfg)).containsEntry("security.protocol", "SSL");
    }

    @Test
    void reportsEveryBadSettingWithItsOwnMessage() {
        assertThatThrownBy(() -> ConfigLoader.validate(
                        DEF, Map.of("http.port", "99999", "dedup.window_days", "soon", "htp.port", "1")))
                .isInstanceOfSatisfying(ConfigLoader.InvalidConfigException.class, e -> {
                    assertThat(e.problems()).hasSize(4);
                    assertThat(e.problems()).anyMatch(p -> p.startsWith("kafka.bootstrap.servers: required"));
                    assertThat(e.problems()).anyMatch(p -> p.startsWith("http.port:"));
                    assertThat(e.problems()).anyMatch(p -> p.startsWith("dedup.window_days:"));
                    assertThat(e.problems()).anyMatch(p -> p.startsWith("htp.port: unknown setting"));
                });
    }
}
