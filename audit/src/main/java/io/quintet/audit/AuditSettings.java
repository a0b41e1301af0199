package io.quintet.audit;

import io.quintet.audit.chain.HashChain;
import io.quintet.audit.checkpoint.CheckpointBuilder;
import io.quintet.audit.checkpoint.CheckpointPolicy;
import io.quintet.audit.keys.CheckpointSigner;
import io.quintet.audit.keys.HmacKeyring;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The chaining settings a service that chains events (the enricher) adds to its own {@link ConfigDef}, and the
 * {@link AuditChainer} they configure:
 * <pre>
 *   audit.hmac.keys.file             HMAC chain key file (active=ID, key.ID=BASE64)         required
 *   audit.signing.keys.file          Ed25519 checkpoint signing key file (PKCS#8, base64)   required
 *   audit.checkpoint.every.events    close a checkpoint after this many events               1000
 *   audit.checkpoint.every.ms        ... or once its first event is this old                 60000
 * </pre>
 */
public final class AuditSettings {
    public static final String HMAC_KEYS_FILE = "audit.hmac.keys.file";
    public static final String SIGNING_KEYS_FILE = "audit.signing.keys.file";
    public static final String CHECKPOINT_EVERY_EVENTS = "audit.checkpoint.every.events";
    public static final String CHECKPOINT_EVERY_MS = "audit.checkpoint.every.ms";

    private AuditSettings() {}

    /** Adds the chaining settings to a service's definition. */
    public static ConfigDef define(ConfigDef def) {
        return def.define(
                        HMAC_KEYS_FILE,
                        ConfigDef.Type.STRING,
                        ConfigDef.NO_DEFAULT_VALUE,
                        new ConfigDef.NonEmptyString(),
                        ConfigDef.Importance.HIGH,
                        "HMAC chain key file: 'active=ID' and 'key.ID=BASE64' (32+ random bytes)")
                .define(
                        SIGNING_KEYS_FILE,
                        ConfigDef.Type.STRING,
                        ConfigDef.NO_DEFAULT_VALUE,
                        new ConfigDef.NonEmptyString(),
                        ConfigDef.Importance.HIGH,
                        "Ed25519 checkpoint signing key file: 'active=ID' and 'key.ID=BASE64 PKCS#8'")
                .define(
                        CHECKPOINT_EVERY_EVENTS,
                        ConfigDef.Type.LONG,
                        1000L,
                        ConfigDef.Range.atLeast(1),
                        ConfigDef.Importance.MEDIUM,
                        "close a checkpoint after this many events of a partition")
                .define(
                        CHECKPOINT_EVERY_MS,
                        ConfigDef.Type.LONG,
                        60_000L,
                        ConfigDef.Range.atLeast(1),
                        ConfigDef.Importance.MEDIUM,
                        "close a partition's checkpoint once its first event is this old (ms)");
    }

    /**
     * The chainer for a log, from parsed settings (as {@code ConfigLoader.load} returns them).
     *
     * @param log the chained topic's physical name (checkpoints name it)
     */
    public static AuditChainer chainer(Map<String, ?> settings, String log) {
        HmacKeyring hmac = HmacKeyring.load(Path.of((String) settings.get(HMAC_KEYS_FILE)));
        CheckpointSigner signer = CheckpointSigner.load(Path.of((String) settings.get(SIGNING_KEYS_FILE)));
        CheckpointPolicy policy =
                CheckpointPolicy.of((Long) settings.get(CHECKPOINT_EVERY_EVENTS), Duration.ofMillis((Long)
                        settings.get(CHECKPOINT_EVERY_MS)));
        return new AuditChainer(new HashChain(hmac), new CheckpointBuilder(log, signer, policy));
    }
}
