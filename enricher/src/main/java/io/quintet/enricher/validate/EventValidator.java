package io.quintet.enricher.validate;

import io.quintet.enricher.dlq.DlqReason;
import io.quintet.enricher.dlq.Rejection;
import io.quintet.enricher.pipeline.Checked;
import io.quintet.model.ActionName;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.InvalidActionNameException;
import io.quintet.model.json.CanonicalJson;
import io.quintet.model.limits.EventLimits;
import io.quintet.model.schema.CanonicalSchema.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * Step 2a, validate: size limits on the event's free-form maps ({@code size_violation}), then the canonical JSON
 * Schema and the Domain.Entity.Action rule ({@code schema_violation}, one JSON pointer per failing field; a bad
 * action name is reported with {@link ActionName}'s message, which names the offending segment). Thread-safe.
 */
public final class EventValidator {
    private final SchemaCheck schema;
    private final EventLimits limits;

    public EventValidator(SchemaCheck schema, EventLimits limits) {
        this.schema = schema;
        this.limits = limits;
    }

    public Checked check(Checked in) {
        if (in.isRejected()) {
            return in;
        }
        CanonicalEvent e = in.event();
        Rejection tooBig = sizeViolation(e);
        if (tooBig != null) {
            return in.reject(tooBig);
        }
        // the event as received when unchanged since (no second serialization), else the event as it now is
        byte[] json = in.receivedJson() != null ? in.receivedJson() : CanonicalJson.toBytes(e);
        if (schema.certainlyValid(json)) {
            return in; // the one-pass check includes the Domain.Entity.Action rule (FastSchemaCheck.actionName)
        }
        List<Violation> violations = new ArrayList<>(schema.validateWithSchema(json));
        String cause = "json_schema";
        if (e.action() != null && e.action().name() != null) {
            try {
                ActionName.parse(e.action().name());
            } catch (InvalidActionNameException x) {
                violations.removeIf(v -> v.pointer().equals("/action/name"));
                violations.add(new Violation("/action/name", "action_name", x.getMessage()));
                if (violations.size() == 1) {
                    cause = "action_name";
                }
            }
        }
        if (violations.isEmpty()) {
            return in;
        }
        return in.reject(new Rejection(
                DlqReason.SCHEMA_VIOLATION,
                cause,
                violations.size() + " field" + (violations.size() == 1 ? " breaks" : "s break")
                        + " the canonical schema",
                violations));
    }

    private Rejection sizeViolation(CanonicalEvent e) {
        EventLimits.Violation v = limits.checkEvent(e);
        return v == null ? null : Rejection.of(v);
    }
}
