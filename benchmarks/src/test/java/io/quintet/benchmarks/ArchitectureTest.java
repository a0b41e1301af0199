package io.quintet.benchmarks;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module direction of README.md (event-model <- service-support <- audit <- services <- demo, deploy, benchmarks;
 * the model depends on nothing of the services' support, so a producer needs only event-model; no service depends on
 * another; testkit is for tests only, which its test scope sees to) and no cycle between packages, checked on the
 * main classes of every module. It lives in the benchmarks module, whose class path holds every other module.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar")) // event-model's test-jar
                .importPackages("io.quintet");
    }

    @Test
    void everyModuleIsThere() {
        // a rule over a module whose classes were not imported would pass without checking anything
        for (String pkg : new String[] {
            "io.quintet.model",
            "io.quintet.support",
            "io.quintet.audit",
            "io.quintet.gateway",
            "io.quintet.enricher",
            "io.quintet.feeds",
            "io.quintet.sink",
            "io.quintet.console",
            "io.quintet.demo",
            "io.quintet.deploy",
            "io.quintet.benchmarks"
        }) {
            assertThat(classes.containPackage(pkg))
                    .as("a class of " + pkg + " imported")
                    .isTrue();
        }
    }

    @Test
    void modulesDependInOneDirection() {
        assertThat(layeredArchitecture()
                        .consideringOnlyDependenciesInLayers()
                        .layer("event-model")
                        .definedBy("io.quintet.model..")
                        .layer("service-support")
                        .definedBy("io.quintet.support..")
                        .layer("audit")
                        .definedBy("io.quintet.audit..")
                        .layer("ingest-gateway")
                        .definedBy("io.quintet.gateway..")
                        .layer("enricher")
                        .definedBy("io.quintet.enricher..")
                        .layer("feed-aggregator")
                        .definedBy("io.quintet.feeds..")
                        .layer("analytics-sink")
                        .definedBy("io.quintet.sink..")
                        .layer("console")
                        .definedBy("io.quintet.console..")
                        .layer("demo")
                        .definedBy("io.quintet.demo..")
                        .layer("deploy")
                        .definedBy("io.quintet.deploy..")
                        .layer("benchmarks")
                        .definedBy("io.quintet.benchmarks..")
                        .whereLayer("service-support")
                        .mayOnlyBeAccessedByLayers(
                                "audit",
                                "ingest-gateway",
                                "enricher",
                                "feed-aggregator",
                                "analytics-sink",
                                "console",
                                "demo",
                                "deploy",
                                "benchmarks")
                        .whereLayer("console")
                        .mayOnlyBeAccessedByLayers("demo", "deploy", "benchmarks")
                        .whereLayer("audit")
                        .mayOnlyBeAccessedByLayers(
                                "ingest-gateway",
                                "enricher",
                                "feed-aggregator",
                                "analytics-sink",
                                "console",
                                "demo",
                                "deploy",
                                "benchmarks")
                        .whereLayer("ingest-gateway")
                        .mayOnlyBeAccessedByLayers("demo", "deploy", "benchmarks")
                        .whereLayer("enricher")
                        .mayOnlyBeAccessedByLayers("demo", "deploy", "benchmarks")
                        .whereLayer("feed-aggregator")
                        .mayOnlyBeAccessedByLayers("demo", "deploy", "benchmarks")
                        .whereLayer("analytics-sink")
                        .mayOnlyBeAccessedByLayers("demo", "deploy", "benchmarks")
                        .whereLayer("demo")
                        .mayOnlyBeAccessedByLayers("benchmarks")
                        .whereLayer("deploy")
                        .mayNotBeAccessedByAnyLayer()
                        .whereLayer("benchmarks")
                        .mayNotBeAccessedByAnyLayer()
                        .evaluate(classes)
                        .getFailureReport()
                        .getDetails())
                .as("violations")
                .isEmpty();
    }

    @Test
    void packagesHaveNoCycles() {
        assertThat(slices().matching("io.quintet.(**)")
                        .should()
                        .beFreeOfCycles()
                        .evaluate(classes)
                        .getFailureReport()
                        .getDetails())
                .as("violations")
                .isEmpty();
    }
}
