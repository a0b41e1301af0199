package io.quintet.console;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.audit.keys.HmacKeyring;
import io.quintet.audit.keys.PublicKeySet;
import io.quintet.audit.verify.ChainVerifier;
import io.quintet.audit.verify.CheckpointRecord;
import io.quintet.audit.verify.Finding;
import io.quintet.audit.verify.KafkaEventSource;
import io.quintet.audit.verify.VerificationReport;
import io.quintet.model.topics.TopicCatalogue;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit verifier's last verdict for the pipeline page: the audit module's {@link ChainVerifier} over the whole
 * of events.canonical (read_committed) against audit.checkpoints, exactly as {@code VerifyMain topic} runs it, with
 * the published checkpoint keys (and the HMAC keys when given). It runs on a thread of its own: at start, then every
 * {@code audit.verify.interval.seconds} (if not zero), and when asked ({@link #verifyNow()}); one run at a time.
 * The verdict holds coordinates, sequence numbers and the verifier's messages (hashes, ids, key ids): no event
 * content.
 */
final class AuditVerdict implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditVerdict.class);
    /** Findings shown at most (the verifier reports the first break of each partition, plus checkpoint problems). */
    static final int MAX_FINDINGS = 20;

    /**
     * One finished run: when it started and ended, its report or the error that stopped it, and the console's own
     * notes (keys that could not be re-read).
     */
    record Run(Instant started, Instant finished, VerificationReport report, String error, List<String> notes) {}

    /** The key files as last read. */
    private record Keys(PublicKeySet published, HmacKeyring hmac, Instant readAt) {}

    private final Path publicKeys;
    private final Path hmacKeys;
    private final Map<String, Object> client;
    private final TopicCatalogue topics;
    private final Duration idle;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicReference<Run> last = new AtomicReference<>();
    private final AtomicReference<Keys> keys = new AtomicReference<>();

    AuditVerdict(
            Path publicKeys,
            Path hmacKeys,
            String bootstrap,
            Map<String, Object> overrides,
            TopicCatalogue topics,
            Duration idle,
            Clock clock) {
        this.publicKeys = publicKeys;
        this.hmacKeys = hmacKeys;
        Map<String, Object> c = new HashMap<>(overrides);
        c.put("bootstrap.servers", bootstrap);
        this.client = Map.copyOf(c);
        this.topics = topics;
        this.idle = idle;
        this.clock = clock;
        this.keys.set(readKeys()); // a file that cannot be read or parsed stops the start, with its name
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "console-audit-verifier");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs now and then every {@code interval} (zero: only now and when asked). */
    AuditVerdict start(Duration interval) {
        if (interval.isZero()) {
            verifyNow();
        } else {
            thread.scheduleWithFixedDelay(this::runOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** Starts a run unless one is under way; whether it started one. */
    boolean verifyNow() {
        if (running.get()) {
            return false;
        }
        thread.execute(this::runOnce);
        return true;
    }

    boolean running() {
        return running.get();
    }

    Run last() {
        return last.get();
    }

    /** Blocking: one verification over the whole log; its result is the new last verdict. */
    void runOnce() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        Instant started = clock.instant();
        List<String> notes = new ArrayList<>();
        try {
            // re-read at every run, so that rotated keys are picked up; the keys read before serve when that fails
            Keys k;
            try {
                k = readKeys();
                keys.set(k);
            } catch (RuntimeException e) {
                k = keys.get();
                LOG.warn("could not re-read the audit key files; verifying with those read at {}", k.readAt(), e);
                notes.add("could not re-read the key files (" + describe(e) + "): verified with those read at "
                        + k.readAt());
            }
            String log = topics.name(TopicCatalogue.EVENTS_CANONICAL);
            List<CheckpointRecord> checkpoints =
                    KafkaEventSource.readCheckpoints(client, topics.name(TopicCatalogue.AUDIT_CHECKPOINTS), idle);
            VerificationReport report = new ChainVerifier(log, k.published(), k.hmac(), false)
                    .verify(new KafkaEventSource(client, log, null, Map.of(), Map.of(), idle), checkpoints);
            last.set(new Run(started, clock.instant(), report, null, notes));
        } catch (Exception e) { // any failure is the verdict's: shown on the page, and logged
            LOG.warn("the audit verification did not complete", e);
            last.set(new Run(started, clock.instant(), null, describe(e), notes));
        } finally {
            running.set(false);
        }
    }

    private Keys readKeys() {
        return new Keys(
                PublicKeySet.load(publicKeys), hmacKeys == null ? null : HmacKeyring.load(hmacKeys), clock.instant());
    }

    /** The exception and its causes, one line. */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (sb.length() > 0) {
                sb.append(" <- ");
            }
            sb.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                sb.append(": ").append(t.getMessage());
            }
        }
        return sb.toString();
    }

    /** The pipeline page's {@code audit} object. */
    ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("configured", true);
        n.put("running", running.get());
        n.put("hmac_checked", hmacKeys != null);
        Run run = last.get();
        if (run == null) {
            n.put("verdict", "PENDING");
            return n;
        }
        n.put("started_at", run.started().toString());
        n.put("verified_at", run.finished().toString());
        n.put("duration_ms", Duration.between(run.started(), run.finished()).toMillis());
        ArrayNode notes = n.putArray("notes");
        run.notes().forEach(notes::add);
        if (run.report() == null) {
            n.put("verdict", "ERROR");
            n.put("error", run.error());
            return n;
        }
        VerificationReport r = run.report();
        n.put("verdict", r.clean() ? "INTACT" : "BROKEN");
        n.put("source", r.source());
        n.put("events", r.events());
        n.put("partitions", r.partitions().size());
        n.put(
                "hmac_checked_events",
                r.partitions().values().stream()
                        .mapToLong(VerificationReport.PartitionSummary::hmacChecked)
                        .sum());
        n.put(
                "checkpoints_matched",
                r.partitions().values().stream()
                        .mapToLong(VerificationReport.PartitionSummary::checkpointsMatched)
                        .sum());
        n.put("problems", r.findings().size());
        ArrayNode findings = n.putArray("findings");
        for (Finding f : r.findings().stream().limit(MAX_FINDINGS).toList()) {
            ObjectNode o = findings.addObject();
            o.put("kind", f.kind().name());
            o.put("partition", f.partition());
            if (f.seq() != null) {
                o.put("seq", f.seq());
            }
            if (f.position() != null) {
                o.put("where", f.position().description());
            }
            o.put("message", f.message());
        }
        r.notes().forEach(notes::add);
        return n;
    }

    /** The {@code audit} object when no published keys are configured. */
    static ObjectNode notConfigured() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("configured", false);
        n.put("verdict", "NOT_CONFIGURED");
        n.put("reason", ConsoleConfig.AUDIT_PUBLIC_KEYS + " is not set");
        return n;
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("the audit verifier did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
