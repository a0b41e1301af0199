package io.quintet.enricher.privacy;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;

/**
 * The PII vault's OpenTelemetry counters: {@value #OPERATIONS} by {@code quintet.vault.operation} ({@code encrypt}
 * and {@code decrypt} of vault entries under a subject's data key, {@code wrap_key} / {@code unwrap_key} of data keys
 * under the master key, {@code lookup_found} / {@code lookup_not_found} of the re-identification API) and
 * {@value #ERASURES} by {@code quintet.erasure.subject_known}. Every attribute set is built once; an operation costs
 * one counter add.
 */
public final class VaultTelemetry {
    public static final String OPERATIONS = "quintet.enricher.vault.operations";
    public static final String ERASURES = "quintet.enricher.erasures";
    public static final AttributeKey<String> OPERATION = AttributeKey.stringKey("quintet.vault.operation");
    public static final AttributeKey<Boolean> SUBJECT_KNOWN = AttributeKey.booleanKey("quintet.erasure.subject_known");

    private static final Attributes ENCRYPT = Attributes.of(OPERATION, "encrypt");
    private static final Attributes DECRYPT = Attributes.of(OPERATION, "decrypt");
    private static final Attributes WRAP = Attributes.of(OPERATION, "wrap_key");
    private static final Attributes UNWRAP = Attributes.of(OPERATION, "unwrap_key");
    private static final Attributes LOOKUP_FOUND = Attributes.of(OPERATION, "lookup_found");
    private static final Attributes LOOKUP_NOT_FOUND = Attributes.of(OPERATION, "lookup_not_found");
    private static final Attributes KNOWN = Attributes.of(SUBJECT_KNOWN, true);
    private static final Attributes UNKNOWN = Attributes.of(SUBJECT_KNOWN, false);

    private final LongCounter operations;
    private final LongCounter erasures;

    public VaultTelemetry(OpenTelemetry otel) {
        var meter = otel.getMeter("io.quintet.enricher");
        this.operations = meter.counterBuilder(OPERATIONS)
                .setUnit("{operation}")
                .setDescription(
                        "PII vault operations: encrypt, decrypt, wrap_key, unwrap_key, lookup_found, lookup_not_found")
                .build();
        this.erasures = meter.counterBuilder(ERASURES)
                .setUnit("{request}")
                .setDescription("erasure requests carried out, by whether the vault knew the subject")
                .build();
    }

    public static VaultTelemetry noop() {
        return new VaultTelemetry(OpenTelemetry.noop());
    }

    void encrypted() {
        operations.add(1, ENCRYPT);
    }

    void decrypted() {
        operations.add(1, DECRYPT);
    }

    void wrapped() {
        operations.add(1, WRAP);
    }

    void unwrapped() {
        operations.add(1, UNWRAP);
    }

    void lookedUp(boolean found) {
        operations.add(1, found ? LOOKUP_FOUND : LOOKUP_NOT_FOUND);
    }

    void erased(boolean subjectKnown) {
        erasures.add(1, subjectKnown ? KNOWN : UNKNOWN);
    }
}
