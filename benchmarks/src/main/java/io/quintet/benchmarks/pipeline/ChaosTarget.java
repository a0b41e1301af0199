package io.quintet.benchmarks.pipeline;

import io.quintet.demo.PipelineState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongPredicate;

/**
 * Which pipeline {@code ./quintet chaos} works on, and why: a kept {@code ./quintet run --keep} (attach to it through
 * its {@link PipelineState} file) or a pipeline of its own.
 * <ul>
 *   <li>{@code --own}: its own pipeline, whatever runs;</li>
 *   <li>{@code --attach [WORKDIR]} (default WORKDIR: the run's {@code .quintet/run}): that kept run; an error when the
 *       folder has no state file, the run was not started with {@code --keep}, or its process is gone;</li>
 *   <li>neither: the kept run of {@code .quintet/run} when there is one whose process is alive, otherwise its own
 *       pipeline.</li>
 * </ul>
 *
 * @param state the kept run's state when chaos attaches to it, null for a pipeline of its own
 * @param why   one line for the user saying which and why
 */
record ChaosTarget(PipelineState state, String why) {

    /** Reads a work folder's state file (empty when it has none). */
    interface StateReader {
        Optional<PipelineState> read(Path work) throws IOException;
    }

    boolean attach() {
        return state != null;
    }

    /** The default work folder of {@code ./quintet run}. */
    static Path defaultRunWork(Path repo) {
        return repo.resolve(".quintet/run");
    }

    /**
     * @param attachOption null without {@code --attach}, "" for {@code --attach} alone, else its WORKDIR
     * @param alive        whether a process id runs
     * @throws IllegalArgumentException when {@code --attach} names no live kept run, or both options are given
     */
    static ChaosTarget choose(String attachOption, boolean own, Path repo, StateReader reader, LongPredicate alive)
            throws IOException {
        if (own && attachOption != null) {
            throw new IllegalArgumentException("--attach and --own exclude each other");
        }
        if (own) {
            return new ChaosTarget(null, "starting a pipeline of its own (--own)");
        }
        boolean explicit = attachOption != null;
        Path work =
                explicit && !attachOption.isEmpty() ? repo.resolve(attachOption).normalize() : defaultRunWork(repo);
        Optional<PipelineState> found = reader.read(work);
        String refusal;
        if (found.isEmpty()) {
            refusal = "no running pipeline in " + work + " (no " + PipelineState.FILE_NAME + ")";
        } else if (!found.get().keep()) {
            refusal = "the run in " + work + " was not started with --keep (its demo would stop it during the faults)";
        } else if (!alive.test(found.get().runPid())) {
            refusal = "the run that wrote " + PipelineState.file(work) + " (pid "
                    + found.get().runPid() + ") is not running any more";
        } else {
            return new ChaosTarget(
                    found.get(),
                    "attaching to the kept run in " + work + " (pid "
                            + found.get().runPid() + ")");
        }
        if (explicit) {
            throw new IllegalArgumentException(
                    "--attach: " + refusal + "; start one with './quintet run --keep' or leave --attach out");
        }
        return new ChaosTarget(null, "starting a pipeline of its own: " + refusal);
    }
}
