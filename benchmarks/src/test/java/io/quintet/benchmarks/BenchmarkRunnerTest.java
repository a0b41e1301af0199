package io.quintet.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.quintet.support.cli.Cli;
import org.junit.jupiter.api.Test;

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
}
