package io.quintet.demo;

import io.quintet.audit.KeysMain;
import io.quintet.audit.keys.HmacKeyring;
import io.quintet.audit.keys.PublicKeySet;
import io.quintet.audit.verify.ChainVerifier;
import io.quintet.audit.verify.CheckpointRecord;
import io.quintet.audit.verify.KafkaEventSource;
import io.quintet.audit.verify.VerificationReport;
import io.quintet.model.topics.TopicCatalogue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The tamper-evident log in the local pipeline: the audit keys of the work folder (made once and kept, like the
 * vault's master key: the chain state on the broker outlives a run and only these keys continue it) and the audit
 * verifier's verdict over events.canonical and audit.checkpoints, as {@code verify topic} gives it.
 */
final class AuditCheck {
    private AuditCheck() {}

    /** The folder holding hmac.keys, signing.keys (secret) and public-keys.json; created with fresh keys if missing. */
    static Path keys(Path configDir) {
        Path dir = configDir.resolve("audit");
        try {
            if (!Files.exists(dir.resolve(KeysMain.PUBLIC_FILE))) {
                KeysMain.init(dir, "chain-demo", "ck-demo");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit keys in " + dir, e);
        }
        return dir;
    }

    /** Verifies the whole of events.canonical (read_committed) against audit.checkpoints, with the HMAC keys. */
    static VerificationReport verify(String bootstrap, TopicCatalogue topics, Path keys) throws IOException {
        Map<String, Object> client = Map.of("bootstrap.servers", bootstrap);
        String log = topics.name(TopicCatalogue.EVENTS_CANONICAL);
        Duration idle = Duration.ofSeconds(15);
        List<CheckpointRecord> checkpoints =
                KafkaEventSource.readCheckpoints(client, topics.name(TopicCatalogue.AUDIT_CHECKPOINTS), idle);
        return new ChainVerifier(
                        log,
                        PublicKeySet.load(keys.resolve(KeysMain.PUBLIC_FILE)),
                        HmacKeyring.load(keys.resolve(KeysMain.HMAC_FILE)),
                        false)
                .verify(new KafkaEventSource(client, log, null, Map.of(), Map.of(), idle), checkpoints);
    }
}
