package io.quintet.enricher.privacy;

import io.quintet.model.CanonicalEvent;
import java.time.Instant;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@value PrivacyStep#PROCESSOR} processor, in the actor's task: pseudonymizes the actor, moves the actor's
 * personal data into the vault, and lists the references to other persons still to resolve. Also re-wraps, on a
 * wall-clock schedule, data keys wrapped with a retired master key (key rotation; the log is not touched).
 */
public final class PseudonymizeStep implements FixedKeyProcessor<String, CanonicalEvent, Pseudonymized> {
    private static final Logger LOG = LoggerFactory.getLogger(PseudonymizeStep.class);
    private static final int ROTATION_BATCH = 10_000;

    private final PrivacySettings settings;
    private final SubjectCache.PerTask caches;
    private final VaultTelemetry telemetry;
    private final Pseudonymizer pseudonymizer;
    private FixedKeyProcessorContext<String, Pseudonymized> context;
    private Vault vault;

    public PseudonymizeStep(PrivacySettings settings, SubjectCache.PerTask caches, VaultTelemetry telemetry) {
        this.telemetry = telemetry;
        this.settings = settings;
        this.caches = caches;
        this.pseudonymizer = new Pseudonymizer(settings);
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Pseudonymized> ctx) {
        this.context = ctx;
        this.vault = new Vault(
                ctx.getStateStore(Vault.SUBJECTS),
                ctx.getStateStore(Vault.VAULT),
                new VaultCrypto(settings.keyring(), telemetry),
                caches.initialised(ctx.applicationId(), ctx.taskId()),
                ctx.getStateStore(Vault.DIRECTORY),
                settings.vaultRefresh());
        if (settings.keyring().hasRetiredKeys()) {
            ctx.schedule(settings.rotationInterval(), PunctuationType.WALL_CLOCK_TIME, ts -> {
                int n = vault.rotate(ROTATION_BATCH);
                if (n > 0) {
                    LOG.info(
                            "task {}: re-wrapped {} data keys with master key {}",
                            ctx.taskId(),
                            n,
                            settings.keyring().activeId());
                }
            });
        }
    }

    @Override
    public void close() {
        caches.release(context.applicationId(), context.taskId()); // the task is closing: drop its decrypted keys
    }

    @Override
    public void process(FixedKeyRecord<String, CanonicalEvent> record) {
        String actorKey = record.key() == null ? "" : record.key();
        PrivacyHop hop = pseudonymizer.firstPass(
                actorKey, record.value(), vault, Instant.ofEpochMilli(context.currentSystemTimeMs()));
        context.forward(record.withValue(new Pseudonymized(hop, vault.drainPublished())));
    }
}
