package io.quintet.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line of ./quintet run: its defaults, the settings it gives and the values it refuses. */
class PipelineSettingsTest {
    private static final Path REPO = Path.of("/repo");

    private static PipelineSettings.Line parse(String... args) {
        PipelineSettings.Line line = new PipelineSettings.Line(() -> REPO, s -> 0);
        new CommandLine(line).parseArgs(args);
        return line;
    }

    @Test
    void withoutOptionsARunUsesTheDocumentedDefaults() {
        PipelineSettings s = parse().settings(REPO);

        assertThat(s.work()).isEqualTo(Path.of("/repo/.quintet/run"));
        assertThat(s.logs()).isEqualTo(Path.of("/repo/.quintet/run/logs"));
        assertThat(s.bootstrap()).isNull();
        assertThat(s.rate()).isEqualTo(40);
        assertThat(s.duration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.users()).isEqualTo(200);
        assertThat(s.seed()).isEqualTo(42);
        assertThat(s.keep()).isFalse();
        assertThat(s.gatewayUrl()).isEqualTo("http://127.0.0.1:8080");
        assertThat(s.feedsUrl()).isEqualTo("http://127.0.0.1:8083");
        assertThat(s.withConsole()).isTrue();
        assertThat(s.consoleUrl()).isEqualTo("http://127.0.0.1:8090");
    }

    @Test
    void givenOptionsReachTheSettings() {
        PipelineSettings s = parse(
                        "--keep",
                        "--rate",
                        "5",
                        "--duration",
                        "3",
                        "--users",
                        "2",
                        "--seed",
                        "7",
                        "--gateway-port",
                        "18080",
                        "--console-port",
                        "0",
                        "--bootstrap",
                        "b:9092",
                        "--work",
                        "/tmp/run")
                .settings(REPO);

        assertThat(s.keep()).isTrue();
        assertThat(s.rate()).isEqualTo(5);
        assertThat(s.duration()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.users()).isEqualTo(2);
        assertThat(s.seed()).isEqualTo(7);
        assertThat(s.gatewayUrl()).isEqualTo("http://127.0.0.1:18080");
        assertThat(s.withConsole()).as("--console-port 0: no console").isFalse();
        assertThat(s.bootstrap()).isEqualTo("b:9092");
        assertThat(s.work()).isEqualTo(Path.of("/tmp/run"));
    }

    @Test
    void aRateBelowOneOrFewerThanTwoUsersAreRefused() {
        assertThatThrownBy(() -> parse("--rate", "0").settings(REPO))
                .hasMessage("--rate must be >= 1 and --users >= 2");
        assertThatThrownBy(() -> parse("--users", "1").settings(REPO))
                .hasMessage("--rate must be >= 1 and --users >= 2");
    }

    @Test
    void aConsolePortOutsideThePortRangeIsRefused() {
        assertThatThrownBy(() -> parse("--console-port", "70000").settings(REPO))
                .hasMessage("--console-port must be 1..65535, or 0 for no console");
        assertThatThrownBy(() -> parse("--console-port", "-1").settings(REPO)).hasMessageContaining("--console-port");
    }

    @Test
    void aRefusedValueReachesTheUserAsACommandLineErrorAndTheRunDoesNotStart() {
        int[] runs = {0};
        PipelineSettings.Line line = new PipelineSettings.Line(() -> REPO, s -> ++runs[0]);
        new CommandLine(line).parseArgs("--rate", "0");

        assertThatThrownBy(line::call)
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("--rate must be >= 1 and --users >= 2");
        assertThat(runs[0]).isZero();
    }
}
