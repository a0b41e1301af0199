package io.quintet.sink.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line of {@code verify table}: wrong usage exits 2, unreadable input 3, before touching any table. */
class VerifyTableMainTest {
    @TempDir
    Path dir;

    private record Run(int exit, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = VerifyTableMain.run(
                args,
                Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anUnknownArgumentIsAUsageError() {
        Run r = run("--bogus", "1");
        assertThat(r.exit()).isEqualTo(VerifyTableMain.USAGE);
        assertThat(r.err()).contains("Unknown option", "'--bogus'").contains("usage:");
    }

    @Test
    void withoutThePublishedKeysNothingCanBeVerified() {
        Run r = run("--partitions", "0");
        assertThat(r.exit()).isEqualTo(VerifyTableMain.USAGE);
        assertThat(r.err()).contains("the published keys are needed");
    }

    @Test
    void aMissingCheckpointsFileIsUnreadableInput() throws Exception {
        Path keys = dir.resolve("public-keys.json");
        Files.writeString(keys, "{\"keys\":[]}");
        Run r = run(
                "--public-keys",
                keys.toString(),
                "--checkpoints",
                dir.resolve("missing.ndjson").toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(VerifyTableMain.UNREADABLE);
        assertThat(r.err()).contains("cannot read the input");
    }

    @Test
    void aBadPartitionListIsAUsageError() {
        Run r = run("--partitions", "zero");
        assertThat(r.exit()).isEqualTo(VerifyTableMain.USAGE);
        assertThat(r.err()).contains("--partitions");
    }
}
