package io.quintet.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.quintet.support.cli.Cli;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParameterException;

class BenchmarkRunnerTest {
    @Test
    void theRegistryHoldsEveryBenchmarkOnceInItsOrder() {
        var implementations = new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.quintet.benchmarks")
                        .get(Benchmark.class)
                        .getAllSubclasses()
                        .stream()
                        .filter(c -> !c.getModifiers().contains(JavaModifier.ABSTRACT))
                        .map(JavaClass::getName)
                        .sorted()
                        .toList();

        assertThat(BenchmarkRunner.BENCHMARKS)
                .extracting(b -> b.getClass().getName())
                .containsExactlyInAnyOrderElementsOf(implementations);
        assertThat(BenchmarkRunner.BENCHMARKS)
                .extracting(Benchmark::name)
                .startsWith("publisher", "gateway")
                .endsWith("pipeline", "import")
                .doesNotHaveDuplicates();
    }

    @Test
    void anyOtherOptionIsHandedToTheBenchmarks() {
        String[] args = {"--only", "publisher", "--events", "500000", "--bootstrap", "b:9092", "--seed", "3"};
        BenchmarkRunner.Line line = new BenchmarkRunner.Line(args);
        Cli.commandLine(line, null).parseArgs(args);

        assertThat(line.only).isEqualTo("publisher");
        assertThat(line.bootstrap).isEqualTo("b:9092");
        assertThat(line.rest).containsExactly("--events", "500000", "--seed", "3");
    }

    @Test
    void keepTopicsIsTheRunnersOwnFlagAndOffByDefault() {
        BenchmarkRunner.Line line = parse("--bootstrap", "b:9092", "--keep-topics", "--events", "10");

        assertThat(line.keepTopics).isTrue();
        assertThat(line.options()).containsExactly(Map.entry("events", "10"));
        assertThat(parse("--bootstrap", "b:9092").keepTopics).isFalse();
    }

    @Test
    void theOtherOptionsBecomeKeysWithoutDashesAndOnlySelectsInRegistryOrder() {
        BenchmarkRunner.Line line = parse("--only", "pipeline,publisher", "--events", "500000", "--seed", "3");

        assertThat(line.options()).containsExactly(Map.entry("events", "500000"), Map.entry("seed", "3"));
        assertThat(line.selected()).extracting(Benchmark::name).containsExactly("publisher", "pipeline");
        assertThat(parse().selected()).as("no --only: all").isEqualTo(BenchmarkRunner.BENCHMARKS);
    }

    @Test
    void anOptionWithoutAValueIsRefusedNamingIt() {
        assertThatThrownBy(() -> parse("--events", "5", "--seed").options())
                .isInstanceOf(ParameterException.class)
                .hasMessage("--seed needs a value");
    }

    @Test
    void aBareWordIsRefusedAsAnUnexpectedArgument() {
        assertThatThrownBy(() -> parse("--events", "5", "publisher", "x").options())
                .isInstanceOf(ParameterException.class)
                .hasMessage("unexpected argument publisher");
    }

    @Test
    void anUnknownBenchmarkNameIsRefusedPointingAtList() {
        assertThatThrownBy(() -> parse("--only", "publsher").selected())
                .isInstanceOf(ParameterException.class)
                .hasMessage("no benchmark named publsher; try --list");
    }

    @Test
    void runningOneBenchmarkStandalonePutsOnlyItsNameBeforeTheCallersOptions() {
        assertThat(BenchmarkRunner.only("sink", new String[] {"--events", "10"}))
                .containsExactly("--only", "sink", "--events", "10");
    }

    private static BenchmarkRunner.Line parse(String... args) {
        BenchmarkRunner.Line line = new BenchmarkRunner.Line(args);
        Cli.commandLine(line, null).parseArgs(args);
        return line;
    }
}
