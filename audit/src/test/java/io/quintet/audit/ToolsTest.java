package io.quintet.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quintet.audit.keys.CheckpointSigner;
import io.quintet.audit.keys.HmacKeyring;
import io.quintet.audit.keys.PublicKeySet;
import io.quintet.audit.testing.TestLog;
import io.quintet.audit.verify.Archive;
import io.quintet.support.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line tools and their configuration, without a broker. */
class ToolsTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    private static Run verify(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = VerifyMain.run(
                args,
                Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static int keys(String... args) {
        return KeysMain.run(
                args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void theSampleConfigurationLoadsAndEnvironmentAndOptionsOverrideIt() {
        ToolConfig c = ToolConfig.load(
                Path.of("config/audit.properties.sample"),
                Map.of("QUINTET_AUDIT_TOPICS_PREFIX", "acme."),
                Map.of(ToolConfig.HMAC_KEYS, "/k/hmac.keys"));
        assertThat(c.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(c.eventsTopic()).isEqualTo("acme.events.canonical");
        assertThat(c.checkpointsTopic()).isEqualTo("acme.audit.checkpoints");
        assertThat(c.publicKeysFile()).isEqualTo("/etc/quintet/audit/public-keys.json");
        assertThat(c.hmacKeysFile()).isEqualTo("/k/hmac.keys");
        assertThatThrownBy(() -> ToolConfig.load(null, Map.of(), Map.of("verify.idle.timeout.ms", "soon", "nope", "1")))
                .isInstanceOf(ConfigLoader.InvalidConfigException.class)
                .satisfies(e -> assertThat(((ConfigLoader.InvalidConfigException) e).problems())
                        .hasSize(2));
    }

    @Test
    void keysAreCreatedAndRotatedWithoutLosingOldOnes() throws Exception {
        Path k = dir.resolve("keys");
        assertThat(keys("init", "--dir", k.toString())).isZero();
        assertThat(keys("init", "--dir", k.toString())).isEqualTo(VerifyMain.USAGE); // never overwrites keys
        assertThat(keys("rotate-hmac", "--keys", k.resolve("hmac.keys").toString(), "--id", "chain-2"))
                .isZero();
        assertThat(keys("rotate-hmac", "--keys", k.resolve("hmac.keys").toString(), "--id", "chain-2"))
                .isEqualTo(VerifyMain.USAGE);
        assertThat(keys(
                        "rotate-signing",
                        "--keys",
                        k.resolve("signing.keys").toString(),
                        "--public-keys",
                        k.resolve("public-keys.json").toString(),
                        "--id",
                        "ck-2"))
                .isZero();
        HmacKeyring hmac = HmacKeyring.load(k.resolve("hmac.keys"));
        assertThat(hmac.activeId()).isEqualTo("chain-2");
        assertThat(hmac.ids()).containsExactlyInAnyOrder("chain-1", "chain-2");
        assertThat(CheckpointSigner.load(k.resolve("signing.keys")).keyId()).isEqualTo("ck-2");
        PublicKeySet published = PublicKeySet.load(k.resolve("public-keys.json"));
        assertThat(published.ids()).containsExactlyInAnyOrder("ck-1", "ck-2");
        assertThat(Files.readString(k.resolve("public-keys.json")))
                .contains("\"kty\" : \"OKP\"", "\"crv\" : \"Ed25519\"");
    }

    @Test
    void verifyArchiveExitsZeroWhenIntactAndOneWithTheFindingWhenNot() throws Exception {
        Path k = dir.resolve("keys");
        assertThat(keys("init", "--dir", k.toString())).isZero();
        TestLog log = new TestLog(
                        HmacKeyring.load(k.resolve("hmac.keys")),
                        CheckpointSigner.load(k.resolve("signing.keys")),
                        PublicKeySet.load(k.resolve("public-keys.json")),
                        10)
                .fill(2, 30);
        Path ev = dir.resolve("events.ndjson");
        Path cp = dir.resolve("checkpoints.ndjson");
        Archive.writeLines(ev, log.archiveLines());
        Archive.writeLines(cp, log.checkpointLines());
        String[] args = {
            "archive",
            "--events",
            ev.toString(),
            "--checkpoints",
            cp.toString(),
            "--public-keys",
            k.resolve("public-keys.json").toString(),
            "--hmac-keys",
            k.resolve("hmac.keys").toString(),
            "--from-genesis"
        };
        Run ok = verify(args);
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out())
                .contains(
                        "partition 1: 30 events read, chain verified from seq 1 through 30, 30 HMAC-checked, 3 of 3 checkpoints matched",
                        "OK");

        List<String> lines = new ArrayList<>(log.archiveLines());
        lines.remove(log.lineOf(1, 30)); // the tail of partition 1
        Archive.writeLines(ev, lines);
        Run bad = verify(args);
        assertThat(bad.exit()).isEqualTo(VerifyMain.NOT_INTACT);
        assertThat(bad.out())
                .contains(
                        "FAIL TRUNCATED partition 1 seq 30 at events.ndjson line 58: the log ends at seq 29 (events.ndjson line 58) but");
    }

    @Test
    void aWrongCommandLineExitsTwoWithUsageAndAMissingFileThree() {
        Run noCommand = verify();
        assertThat(noCommand.exit()).isEqualTo(VerifyMain.USAGE);
        assertThat(noCommand.err()).contains("expected 'topic' or 'archive'", "usage: verify");
        Run optionBeforeCommand = verify("--public-keys", "x"); // the options belong to 'topic' and 'archive'
        assertThat(optionBeforeCommand.exit()).isEqualTo(VerifyMain.USAGE);
        assertThat(optionBeforeCommand.err()).contains("Unknown option", "usage: verify");
        Run noKeys = verify("archive", "--events", "e", "--checkpoints", "c");
        assertThat(noKeys.exit()).isEqualTo(VerifyMain.USAGE);
        assertThat(noKeys.err()).contains("the published keys are needed");
        Run missing = verify(
                "archive",
                "--events",
                dir.resolve("none").toString(),
                "--checkpoints",
                dir.resolve("none2").toString(),
                "--public-keys",
                dir.resolve("keys.json").toString());
        assertThat(missing.exit()).isEqualTo(VerifyMain.UNREADABLE);
    }
}
