package io.quintet.enricher.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import io.quintet.model.Action;
import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.Entity;
import io.quintet.model.json.CanonicalJson;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Erasure: a request on {@code erasure.requests} (key = the subject's raw id; value optionally
 * {@code {"request_id": "..."}}) deletes the subject's vault entries, which is the cryptographic erasure, and emits
 * the pseudonymous audit event {@code privacy.subject.erased} (entity = the now meaningless pseudonym, correlation id
 * = the request id) to events.canonical as the completion report. A later event from the same id gets a new
 * pseudonym. Logs the request id only.
 */
public final class EraseSubjectStep implements Processor<String, byte[], String, CanonicalEvent> {
    public static final String ACTION = "privacy.subject.erased";
    public static final String SOURCE = "quintet-enricher";
    private static final Logger LOG = LoggerFactory.getLogger(EraseSubjectStep.class);

    private final PrivacySettings settings;
    private final SubjectCache.PerTask caches;
    private final VaultTelemetry telemetry;
    private ProcessorContext<String, CanonicalEvent> context;
    private Vault vault;

    public EraseSubjectStep(PrivacySettings settings, SubjectCache.PerTask caches, VaultTelemetry telemetry) {
        this.telemetry = telemetry;
        this.settings = settings;
        this.caches = caches;
    }

    @Override
    public void init(ProcessorContext<String, CanonicalEvent> ctx) {
        this.context = ctx;
        this.vault = new Vault(
                ctx.getStateStore(Vault.SUBJECTS),
                ctx.getStateStore(Vault.VAULT),
                new VaultCrypto(settings.keyring(), telemetry),
                caches.initialised(ctx.applicationId(), ctx.taskId()));
    }

    @Override
    public void close() {
        caches.release(context.applicationId(), context.taskId()); // the task is closing: drop its decrypted keys
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String requestId = requestId(record.value());
        if (record.key() == null || record.key().isEmpty()) {
            LOG.warn("erasure request {} has no subject id (record key); ignored", requestId);
            return;
        }
        var pseudonym = vault.erase(record.key());
        telemetry.erased(pseudonym.isPresent());
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("quintet.erasure.request_id", requestId);
        attributes.put("quintet.erasure.subject_known", pseudonym.isPresent());
        CanonicalEvent audit = CanonicalEvent.builder()
                .id(UUID.randomUUID().toString())
                .eventTimestamp(now)
                .observedTimestamp(now)
                .source(SOURCE)
                .action(new Action(ACTION, "delete"))
                .actor(Actor.of(SOURCE, Actor.SYSTEM))
                .entity(new Entity(pseudonym.orElse(null), "subject", null))
                .context(Context.EMPTY.withAttributes(attributes).withStatus(Context.Status.SUCCESS))
                .correlationId(requestId)
                .build();
        LOG.info("erasure request {} done (subject known: {})", requestId, pseudonym.isPresent());
        context.forward(new Record<>(pseudonym.orElse(SOURCE), audit, record.timestamp(), new RecordHeaders()));
    }

    private static String requestId(byte[] value) {
        if (value != null) {
            try {
                JsonNode n = CanonicalJson.parseTree(value);
                if (n.path("request_id").isTextual()) {
                    return n.get("request_id").asText();
                }
            } catch (RuntimeException e) {
                LOG.warn("erasure request value is not JSON; erasing anyway");
            }
        }
        return "erasure-" + UUID.randomUUID();
    }
}
