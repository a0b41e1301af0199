package io.quintet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code quintet} script, run from a copy in a folder shaped like the repository, with {@code mvn} and
 * {@code java} replaced by stand-ins that record their calls: every command answers {@code --help} without
 * building, and {@code run} builds only when a source or pom changed since the last build.
 */
class QuintetScriptTest {
    static final List<String> MODULES = List.of(
            "event-model",
            "service-support",
            "audit",
            "ingest-gateway",
            "enricher",
            "feed-aggregator",
            "analytics-sink",
            "console",
            "demo",
            "deploy");

    @TempDir
    Path repo;

    Path calls;
    Path bin;

    @BeforeEach
    void fakeRepository() throws Exception {
        Files.copy(Path.of("../quintet"), repo.resolve("quintet"));
        repo.resolve("quintet").toFile().setExecutable(true);
        Files.writeString(repo.resolve("pom.xml"), "<project/>");
        calls = repo.resolve("calls.log");
        bin = Files.createDirectories(repo.resolve("fake-bin"));
        // the stand-in build writes what a real package writes: classes and the class path file of every module
        StringBuilder mvn = new StringBuilder("#!/usr/bin/env bash\necho \"mvn $*\" >> '" + calls + "'\n");
        for (String m : MODULES) {
            Path src = Files.createDirectories(repo.resolve(m + "/src/main/java"));
            Files.writeString(src.resolve("A.java"), "class A {}");
            Files.writeString(repo.resolve(m + "/pom.xml"), "<project/>");
            mvn.append("mkdir -p '")
                    .append(repo.resolve(m + "/target/classes"))
                    .append("'; touch '")
                    .append(repo.resolve(m + "/target/classpath.txt"))
                    .append("'\n");
        }
        script("mvn", mvn.toString());
        script("java", "#!/usr/bin/env bash\necho \"java $*\" >> '" + calls + "'\n");
        // sources older than any build this test runs
        for (String m : MODULES) {
            Files.setLastModifiedTime(
                    repo.resolve(m + "/src/main/java/A.java"),
                    FileTime.from(Instant.now().minusSeconds(60)));
            Files.setLastModifiedTime(
                    repo.resolve(m + "/pom.xml"), FileTime.from(Instant.now().minusSeconds(60)));
        }
        Files.setLastModifiedTime(
                repo.resolve("pom.xml"), FileTime.from(Instant.now().minusSeconds(60)));
    }

    @Test
    void everyCommandAnswersHelpWithoutBuildingOrStartingAnything() throws Exception {
        for (String command :
                List.of("run", "test", "broker", "stop", "bench", "chaos", "replay", "warm-store", "import")) {
            for (String flag : List.of("--help", "-h")) {
                Result r = quintet(command, flag);
                assertThat(r.exit()).as(command + " " + flag).isZero();
                assertThat(r.output()).as(command + " " + flag).startsWith("usage: ./quintet " + command);
            }
        }
        Result top = quintet("--help");
        assertThat(top.exit()).isZero();
        assertThat(top.output())
                .contains("run", "test", "broker", "stop", "bench", "chaos", "replay", "warm-store", "import");
        assertThat(quintet("run", "--keep", "--help").output()).startsWith("usage: ./quintet run");
        assertThat(calls()).as("nothing built or started").isEmpty();
    }

    @Test
    void runBuildsTheFirstTimeThenOnlyWhenASourceOrPomChanged() throws Exception {
        assertThat(quintet("run").output()).contains("==> building: no previous build");
        List<String> first = calls();
        assertThat(first).hasSize(2);
        assertThat(first.get(0)).isEqualTo("mvn -B -ntp -Dstyle.color=never -q package -DskipTests");
        assertThat(first.get(1)).startsWith("java ").endsWith("io.quintet.demo.LocalPipeline");

        assertThat(quintet("run", "--rate", "5").output()).contains("build is up to date");
        List<String> second = calls();
        assertThat(second).hasSize(1);
        assertThat(second.get(0)).startsWith("java ").endsWith("io.quintet.demo.LocalPipeline --rate 5");
    }

    @Test
    void runRebuildsAfterAnEditedSourceAndAfterAnEditedPom() throws Exception {
        quintet("run");
        calls();
        TimeUnit.MILLISECONDS.sleep(1100); // file times of a second's resolution on some file systems
        Files.writeString(repo.resolve("enricher/src/main/java/A.java"), "class A { int edited; }");
        assertThat(quintet("run").output()).contains("==> building:", "enricher/src/main/java/A.java changed");
        assertThat(calls()).first().asString().startsWith("mvn ");

        assertThat(quintet("run").output()).contains("build is up to date");
        TimeUnit.MILLISECONDS.sleep(1100);
        Files.writeString(repo.resolve("demo/pom.xml"), "<project><!-- edited --></project>");
        assertThat(quintet("run").output()).contains("demo/pom.xml changed");
    }

    @Test
    void runRebuildsWhenAModuleWasNeverBuilt() throws Exception {
        quintet("run");
        Files.delete(repo.resolve("feed-aggregator/target/classpath.txt"));
        assertThat(quintet("run").output()).contains("feed-aggregator is not built");
    }

    @Test
    void quintetSkipBuildNeverBuilds() throws Exception {
        Result r = quintet(List.of("QUINTET_SKIP_BUILD=1"), "run");
        assertThat(r.output()).doesNotContain("building");
        assertThat(calls()).noneMatch(c -> c.startsWith("mvn"));
    }

    @Test
    void chaosBuildsNothingWhenItAttachesToAKeptRunAndBuildsOtherwise() throws Exception {
        Files.createDirectories(repo.resolve("benchmarks/target"));
        Files.writeString(repo.resolve("benchmarks/target/classpath.txt"), "");
        // a kept run whose process is alive (this test's JVM), as PipelineState writes it
        Path state = Files.createDirectories(repo.resolve(".quintet/run")).resolve("pipeline-state.json");
        Files.writeString(
                state,
                "{\n  \"version\" : 1,\n  \"run_pid\" : "
                        + ProcessHandle.current().pid() + ",\n  \"keep\" : true,\n  \"services\" : [ ]\n}\n");
        assertThat(quintet("chaos").output()).contains("chaos attaches to a kept run: nothing is built");
        assertThat(calls()).noneMatch(c -> c.startsWith("mvn")).anyMatch(c -> c.endsWith("ChaosMain"));

        assertThat(quintet("chaos", "--own").output()).contains("==> building:");
        assertThat(calls()).anyMatch(c -> c.startsWith("mvn"));

        Files.writeString(state, Files.readString(state).replace("\"keep\" : true", "\"keep\" : false"));
        assertThat(quintet("chaos").output()).doesNotContain("attaches");
        Files.delete(state);
        assertThat(quintet("chaos", "--attach").output()).contains("chaos attaches to a kept run");
    }

    // ---- helpers

    record Result(int exit, String output) {}

    private void script(String name, String text) throws Exception {
        Path p = bin.resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Result quintet(String... args) throws Exception {
        return quintet(List.of(), args);
    }

    private Result quintet(List<String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(repo.resolve("quintet").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().remove("QUINTET_SKIP_BUILD");
        env.forEach(kv -> pb.environment().put(kv.split("=", 2)[0], kv.split("=", 2)[1]));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    /** The recorded calls since the last look, and forgets them. */
    private List<String> calls() throws Exception {
        if (!Files.exists(calls)) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(calls);
        Files.delete(calls);
        return lines;
    }
}
