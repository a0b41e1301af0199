package io.quintet.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every main class of the modules on this module's test class path (found in their sources, so a new main is
 * covered without editing this test) answers {@code --help} at once: a usage message on standard output, no
 * exception, no exit, no configuration read and no connection attempted. The demo's mains: {@code MainsHelpTest}
 * in the demo module.
 */
class MainsAnswerHelpTest {
    static final List<String> MODULES = List.of(
            "service-support",
            "audit",
            "ingest-gateway",
            "enricher",
            "feed-aggregator",
            "analytics-sink",
            "console",
            "deploy");

    static List<String> mainClasses() throws Exception {
        List<String> out = new ArrayList<>();
        for (String module : MODULES) {
            Path src = Path.of("..", module, "src/main/java");
            try (Stream<Path> files = Files.walk(src)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java"))
                        .sorted()
                        .toList()) {
                    if (Files.readString(f).contains("public static void main(String[] args)")) {
                        out.add(src.relativize(f)
                                .toString()
                                .replace(".java", "")
                                .replace('/', '.'));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void theSourcesHoldEveryServiceAndToolMain() throws Exception {
        assertThat(mainClasses())
                .contains(
                        "io.quintet.gateway.GatewayMain",
                        "io.quintet.enricher.EnricherApp",
                        "io.quintet.feeds.app.FeedAggregatorApp",
                        "io.quintet.sink.app.AnalyticsSinkMain",
                        "io.quintet.sink.maintenance.MaintenanceMain",
                        "io.quintet.sink.verify.VerifyTableMain",
                        "io.quintet.audit.VerifyMain",
                        "io.quintet.audit.ProveMain",
                        "io.quintet.audit.ExportMain",
                        "io.quintet.audit.KeysMain",
                        "io.quintet.support.topics.TopicsTool",
                        "io.quintet.console.ConsoleMain");
    }

    @TestFactory
    Stream<DynamicTest> everyMainPrintsItsUsageOnHelpAndReturns() throws Exception {
        return mainClasses().stream()
                .flatMap(name -> Stream.of("--help", "-h")
                        .map(flag -> DynamicTest.dynamicTest(name + " " + flag, () -> {
                            String out = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> runMain(name, flag));
                            assertThat(out).as(name + " " + flag).startsWith("usage:");
                        })));
    }

    @Test
    void aServiceHelpListsItsSettingsAndTheirEnvironmentVariables() throws Exception {
        String out = runMain("io.quintet.enricher.EnricherApp", "--help");
        assertThat(out)
                .contains(
                        "privacy.master.keys.file",
                        "QUINTET_ENRICHER_PRIVACY_MASTER_KEYS_FILE",
                        "docs/configuration.md");
    }

    static String runMain(String className, String... args) throws Exception {
        Method main = Class.forName(className).getMethod("main", String[].class);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream before = System.out;
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            main.invoke(null, (Object) args);
        } finally {
            System.setOut(before);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
