package io.quintet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.audit.ToolConfig;
import io.quintet.console.ConsoleConfig;
import io.quintet.enricher.EnricherConfig;
import io.quintet.feeds.app.FeedAggregatorConfig;
import io.quintet.gateway.config.GatewayConfig;
import io.quintet.sink.config.SinkConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md is the configuration reference of every service, generated from their ConfigDefs: this test
 * fails when it drifts (run with {@code -Dquintet.update.docs=true} to rewrite it), and when a deployment manifest
 * sets an environment variable that names no setting.
 */
class ConfigurationReferenceTest {
    private static final Path DOC = Path.of("../docs/configuration.md");

    record Service(String name, String envPrefix, ConfigDef def, String main) {}

    static final List<Service> SERVICES = List.of(
            new Service(
                    "ingest-gateway",
                    GatewayConfig.ENV_PREFIX,
                    GatewayConfig.DEFINITION,
                    "io.quintet.gateway.GatewayMain"),
            new Service("enricher", EnricherConfig.ENV_PREFIX, EnricherConfig.DEF, "io.quintet.enricher.EnricherApp"),
            new Service(
                    "feed-aggregator",
                    FeedAggregatorConfig.ENV_PREFIX,
                    FeedAggregatorConfig.DEF,
                    "io.quintet.feeds.app.FeedAggregatorApp"),
            new Service(
                    "analytics-sink",
                    SinkConfig.ENV_PREFIX,
                    SinkConfig.definition(),
                    "io.quintet.sink.app.AnalyticsSinkMain"),
            new Service(
                    "audit tools",
                    ToolConfig.ENV_PREFIX,
                    ToolConfig.DEF,
                    "io.quintet.audit.VerifyMain, ExportMain, KeysMain"),
            new Service("console", ConsoleConfig.ENV_PREFIX, ConsoleConfig.DEF, "io.quintet.console.ConsoleMain"));

    static String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Configuration reference\n\n")
                .append(
                        "Generated from each service's `ConfigDef` by `deploy/src/test/java/io/quintet/deploy/ConfigurationReferenceTest.java`,\n")
                .append(
                        "which fails when this page drifts from the code (`mvn -pl deploy test -Dquintet.update.docs=true` rewrites it).\n\n")
                .append(
                        "Every service reads, in order: the defaults below, a properties file (the main's argument), then environment\n")
                .append(
                        "variables: the service's prefix followed by the setting name in upper case, with `.` written `_` and `_` written\n")
                .append(
                        "`__` (`kafka.bootstrap.servers` -> `QUINTET_ENRICHER_KAFKA_BOOTSTRAP_SERVERS`). Every bad or unknown setting is\n")
                .append(
                        "reported at start-up, each with its own message, and the service exits with status 2. Settings under\n")
                .append(
                        "`kafka.client.` go to the Kafka clients unchanged (`kafka.client.security.protocol=SASL_SSL`).\n");
        for (Service s : SERVICES) {
            sb.append("\n## ")
                    .append(s.name())
                    .append("\n\n")
                    .append("Main: `")
                    .append(s.main())
                    .append("`; environment prefix `")
                    .append(s.envPrefix())
                    .append("`.\n\n")
                    .append("| setting | environment variable | type | default | valid values | meaning |\n")
                    .append("|---|---|---|---|---|---|\n");
            for (ConfigDef.ConfigKey k : s.def().configKeys().values()) {
                sb.append("| `")
                        .append(k.name)
                        .append("` | `")
                        .append(envName(s.envPrefix(), k.name))
                        .append("` | ")
                        .append(k.type.name().toLowerCase(Locale.ROOT))
                        .append(" | ")
                        .append(defaultOf(k))
                        .append(" | ")
                        .append(validValues(k))
                        .append(" | ")
                        .append(cell(k.documentation))
                        .append(" |\n");
            }
        }
        return sb.toString();
    }

    static String envName(String prefix, String setting) {
        return prefix + setting.replace("_", "__").replace('.', '_').toUpperCase(Locale.ROOT);
    }

    private static String defaultOf(ConfigDef.ConfigKey k) {
        if (!k.hasDefault()) {
            return "(required)";
        }
        Object v = k.defaultValue;
        if (v instanceof Password) {
            return "(hidden)";
        }
        String text = v instanceof List<?> l
                ? String.join(",", l.stream().map(String::valueOf).toList())
                : String.valueOf(v);
        if (text.startsWith(System.getProperty("java.io.tmpdir"))) {
            text = "<java.io.tmpdir>"
                    + text.substring(System.getProperty("java.io.tmpdir").length());
        }
        return text.isEmpty() ? "(empty)" : "`" + cell(text) + "`";
    }

    private static String validValues(ConfigDef.ConfigKey k) {
        if (k.validator == null) {
            return "";
        }
        String text = k.validator.toString();
        // a validator written as a lambda has no description: its checks are in the meaning column
        return text.contains("$$Lambda") || text.contains("$Lambda") ? "(checked at start-up)" : cell(text);
    }

    private static String cell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }

    @Test
    void theReferenceInDocsMatchesEveryServicesConfigDef() throws Exception {
        String expected = render();
        if (Boolean.getBoolean("quintet.update.docs")) {
            Files.writeString(DOC, expected, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(DOC))
                .as("docs/configuration.md is stale: rerun with -Dquintet.update.docs=true")
                .isEqualTo(expected);
    }

    @Test
    void everyEnvironmentVariableInTheManifestsNamesARealSetting() throws Exception {
        Map<String, Service> byPrefix = new LinkedHashMap<>();
        SERVICES.forEach(s -> byPrefix.put(s.envPrefix(), s));
        Pattern env = Pattern.compile("\\b(QUINTET_[A-Z0-9_]+)\\b");
        List<String> unknown = new ArrayList<>();
        int checked = 0;
        for (Path file : List.of(Path.of("compose/docker-compose.yaml"), Path.of("k8s/quintet.yaml"))) {
            Matcher m = env.matcher(Files.readString(file));
            while (m.find()) {
                String var = m.group(1);
                Service service = byPrefix.entrySet().stream()
                        .filter(e -> var.startsWith(e.getKey()))
                        .max(java.util.Comparator.comparingInt(e -> e.getKey().length()))
                        .map(Map.Entry::getValue)
                        .orElse(null);
                if (service == null) {
                    unknown.add(file + ": " + var + " (no service has this prefix)");
                    continue;
                }
                String setting = io.quintet.support.config.ConfigLoader.fromEnvironment(
                                Map.of(var, "x"), service.envPrefix())
                        .keySet()
                        .iterator()
                        .next();
                checked++;
                if (!service.def().configKeys().containsKey(setting) && !setting.startsWith("kafka.client.")) {
                    unknown.add(file + ": " + var + " -> " + setting + " is not a setting of " + service.name());
                }
            }
        }
        assertThat(checked).isGreaterThan(10);
        assertThat(unknown).isEmpty();
    }
}
