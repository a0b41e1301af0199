package io.quintet.enricher.privacy;

import java.time.Instant;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * One privacy hop: the record is keyed by a referenced person's raw id, so this task owns that person's vault entry;
 * every reference to that person is replaced by the pseudonym (created if the person is new). On the last hop, an
 * event that still references further persons fails (dead-lettered as {@code enrichment_failure}) rather than
 * letting a raw identifier through.
 */
public final class ResolveReferenceStep implements FixedKeyProcessor<String, PrivacyHop, Pseudonymized> {
    private final PrivacySettings settings;
    private final SubjectCache.PerTask caches;
    private final VaultTelemetry telemetry;
    private final Pseudonymizer pseudonymizer;
    private final boolean last;
    private FixedKeyProcessorContext<String, Pseudonymized> context;
    private Vault vault;

    public ResolveReferenceStep(
            PrivacySettings settings, SubjectCache.PerTask caches, boolean last, VaultTelemetry telemetry) {
        this.telemetry = telemetry;
        this.settings = settings;
        this.caches = caches;
        this.pseudonymizer = new Pseudonymizer(settings);
        this.last = last;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Pseudonymized> ctx) {
        this.context = ctx;
        this.vault = new Vault(
                ctx.getStateStore(Vault.SUBJECTS),
                ctx.getStateStore(Vault.VAULT),
                new VaultCrypto(settings.keyring(), telemetry),
                caches.initialised(ctx.applicationId(), ctx.taskId()),
                ctx.getStateStore(Vault.DIRECTORY));
    }

    @Override
    public void close() {
        caches.release(context.applicationId(), context.taskId()); // the task is closing: drop its decrypted keys
    }

    @Override
    public void process(FixedKeyRecord<String, PrivacyHop> record) {
        PrivacyHop resolved = pseudonymizer.resolve(
                record.value(), record.key(), vault, Instant.ofEpochMilli(context.currentSystemTimeMs()));
        if (last && !resolved.pending().isEmpty()) {
            throw new TooManyReferencesException(settings.maxReferences());
        }
        vault.republish(record.key()); // someone had to hop here: the directory did not list this subject (yet)
        context.forward(record.withValue(new Pseudonymized(resolved, vault.drainPublished())));
    }

    /** An event references more distinct persons than {@code privacy.max.subject.references}. */
    public static final class TooManyReferencesException extends RuntimeException {
        public TooManyReferencesException(int max) {
            super("event references more than " + max + " other persons");
        }
    }
}
