package io.quintet.benchmarks.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quintet.demo.PipelineState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which pipeline {@code ./quintet chaos} works on: a kept run it finds or is pointed at, or one of its own. */
class ChaosTargetTest {
    static final long RUN_PID = 4242;

    @TempDir
    Path repo;

    static PipelineState state(Path work, boolean keep) {
        return new PipelineState(
                PipelineState.VERSION,
                RUN_PID,
                keep,
                "/repo",
                work.toString(),
                "127.0.0.1:9092",
                new PipelineState.Broker("/repo/deploy/bin/kafka-local.sh", Map.of("QUINTET_KAFKA_PORT", "9092"), 7),
                8080,
                8083,
                "qk_x",
                work.resolve("config/analytics-sink.properties").toString(),
                Map.of(),
                List.of());
    }

    /** A reader that finds {@code state} in {@code work} only. */
    static ChaosTarget.StateReader only(Path work, PipelineState state) {
        return w -> w.equals(work) ? Optional.of(state) : Optional.empty();
    }

    @Test
    void withoutOptionsAKeptLiveRunInTheDefaultFolderIsAttachedTo() throws Exception {
        Path work = ChaosTarget.defaultRunWork(repo);
        ChaosTarget t = ChaosTarget.choose(null, false, repo, only(work, state(work, true)), pid -> pid == RUN_PID);
        assertThat(t.attach()).isTrue();
        assertThat(t.state().runPid()).isEqualTo(RUN_PID);
        assertThat(t.why()).contains("attaching to the kept run in " + work);
    }

    @Test
    void withoutOptionsNoRunARunWithoutKeepOrADeadRunMeansAPipelineOfItsOwn() throws Exception {
        Path work = ChaosTarget.defaultRunWork(repo);
        ChaosTarget none = ChaosTarget.choose(null, false, repo, w -> Optional.empty(), pid -> true);
        assertThat(none.attach()).isFalse();
        assertThat(none.why()).contains("no running pipeline in " + work);

        ChaosTarget notKept = ChaosTarget.choose(null, false, repo, only(work, state(work, false)), pid -> true);
        assertThat(notKept.attach()).isFalse();
        assertThat(notKept.why()).contains("not started with --keep");

        ChaosTarget dead = ChaosTarget.choose(null, false, repo, only(work, state(work, true)), pid -> false);
        assertThat(dead.attach()).isFalse();
        assertThat(dead.why()).contains("pid " + RUN_PID + ") is not running any more");
    }

    @Test
    void ownStartsAPipelineOfItsOwnEvenWhenAKeptRunIsFound() throws Exception {
        Path work = ChaosTarget.defaultRunWork(repo);
        ChaosTarget t = ChaosTarget.choose(null, true, repo, only(work, state(work, true)), pid -> true);
        assertThat(t.attach()).isFalse();
        assertThat(t.why()).contains("--own");
    }

    @Test
    void attachWithAFolderReadsThatFolder() throws Exception {
        Path work = repo.resolve("elsewhere/run");
        ChaosTarget t = ChaosTarget.choose("elsewhere/run", false, repo, only(work, state(work, true)), pid -> true);
        assertThat(t.attach()).isTrue();
        assertThat(t.state().work()).isEqualTo(work.toString());
    }

    @Test
    void attachWithoutALiveKeptRunIsAnErrorNotAPipelineOfItsOwn() {
        Path work = ChaosTarget.defaultRunWork(repo);
        assertThatThrownBy(() -> ChaosTarget.choose("", false, repo, w -> Optional.empty(), pid -> true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--attach: no running pipeline in " + work);
        assertThatThrownBy(() -> ChaosTarget.choose("", false, repo, only(work, state(work, false)), pid -> true))
                .hasMessageContaining("not started with --keep");
        assertThatThrownBy(() -> ChaosTarget.choose("", false, repo, only(work, state(work, true)), pid -> false))
                .hasMessageContaining("is not running any more");
        assertThatThrownBy(() -> ChaosTarget.choose("", true, repo, w -> Optional.empty(), pid -> true))
                .hasMessageContaining("exclude each other");
    }
}
