package io.quintet.sink.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line of the replay: help at once, and every usage error exits 2 before anything is read or sent. */
class ReplayMainTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // brokers nobody listens on: a usage error must be found before any connection is tried
        int exit = ReplayMain.run(
                args,
                Map.of(
                        "QUINTET_SINK_CATALOG_WAREHOUSE",
                        dir.resolve("w").toString(),
                        "QUINTET_SINK_KAFKA_BOOTSTRAP_SERVERS",
                        "127.0.0.1:1"),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpIsPrintedAtOnce() {
        Run r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("usage: ReplayMain", "--action");
    }

    @Test
    void missingOrMalformedArgumentsExitTwo() {
        assertThat(run("--from", "2026-11-01", "--to", "2026-11-02").err())
                .contains("Missing required option: '--topic=NAME'");
        assertThat(run("--from", "2026-11-01", "--to", "2026-11-02").exit()).isEqualTo(2);
        assertThat(run("--from", "yesterday", "--to", "2026-11-02", "--topic", "t")
                        .err())
                .contains("--from 'yesterday'");
        assertThat(run("--from", "2026-11-02", "--to", "2026-11-01", "--topic", "t")
                        .err())
                .contains("the range is empty");
        assertThat(run("--from", "2026-11-01", "--to", "2026-11-02", "--topic", "t", "--action", "Billing.*")
                        .exit())
                .isEqualTo(2);
        assertThat(run("--from", "2026-11-01", "--to", "2026-11-02", "--topic", "t", "--frm", "2026-11-01")
                        .err())
                .contains("Unknown option", "'--frm'");
    }

    @Test
    void replayingIntoTheCanonicalOrRawTopicIsRefused() {
        for (String topic : new String[] {"events.canonical", "events.raw"}) {
            Run r = run("--from", "2026-11-01", "--to", "2026-11-02", "--topic", topic);
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("refusing to replay into " + topic);
        }
    }
}
