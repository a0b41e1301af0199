package io.quintet.support.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class CliTest {
    @Command(name = "Tool", description = "does one thing")
    static final class Tool implements Callable<Integer> {
        @Option(
                names = "--count",
                paramLabel = "N",
                defaultValue = "1",
                description = "how many (default ${DEFAULT-VALUE})")
        int count;

        int ran;

        @Override
        public Integer call() {
            ran = count;
            return count == 7 ? 3 : 0;
        }
    }

    record Run(int status, String out, String err, Tool tool) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Tool tool = new Tool();
        int status = Cli.execute(
                tool,
                "\nsettings:\n  a.b  (QUINTET_X_A_B)\n",
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), tool);
    }

    @Test
    void helpInEveryFormIsTheUsageOnStandardOutputAndNothingRuns() {
        for (String[] help : new String[][] {{"--help"}, {"-h"}, {"help"}, {"--count", "2", "--help"}}) {
            Run r = run(help);
            assertThat(r.status()).isZero();
            assertThat(r.out())
                    .startsWith("usage: Tool")
                    .contains("--count=N", "how many (default 1)", "QUINTET_X_A_B");
            assertThat(r.err()).isEmpty();
            assertThat(r.tool().ran).isZero();
        }
    }

    @Test
    void aWrongCommandLineIsStatusTwoWithTheProblemAndTheUsageOnStandardError() {
        Run r = run("--count", "many");
        assertThat(r.status()).isEqualTo(Cli.USAGE);
        assertThat(r.err()).contains("--count", "'many'").contains("usage: Tool");
        assertThat(r.out()).isEmpty();
        assertThat(run("--bogus").err()).contains("Unknown option: '--bogus'");
        assertThat(r.tool().ran).isZero();
    }

    @Test
    void otherwiseTheCommandRunsAndItsStatusIsReturned() {
        assertThat(run("--count", "2").tool().ran).isEqualTo(2);
        assertThat(run("--count", "7").status()).isEqualTo(3);
    }

    @Test
    void aServiceFooterListsEverySettingWithItsEnvironmentVariable() {
        ConfigDef def = new ConfigDef()
                .define(
                        "kafka.bootstrap_servers",
                        ConfigDef.Type.STRING,
                        "localhost:9092",
                        ConfigDef.Importance.HIGH,
                        "Kafka");
        assertThat(Cli.settings(def, "QUINTET_X_"))
                .contains(
                        "kafka.bootstrap_servers  (QUINTET_X_KAFKA_BOOTSTRAP__SERVERS, string, default 'localhost:9092')");
    }
}
