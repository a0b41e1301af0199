package io.quintet.sink.catalog;

import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.Entity;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Pseudonymous events whose answers to the documented queries are known: e-mails sent and opened per sender and
 * template, late payments with their days late, workflow runs (failures in and out of the last 7 days), and the
 * history of one invoice.
 */
final class WarmStoreSample {
    static final Instant DAY = Instant.parse("2026-11-02T08:00:00Z"); // a Monday
    static final String INVOICE = "INV-2026-0042";

    private WarmStoreSample() {}

    static List<CanonicalEvent> events(Instant now) {
        List<CanonicalEvent> e = new ArrayList<>();
        // messaging: mailer-eu/welcome 4 sent, 3 opened; mailer-us/invoice 2 sent, 1 opened
        for (int i = 0; i < 4; i++) {
            e.add(event(
                    "m-eu-s" + i,
                    DAY.plusSeconds(i),
                    "mailer-eu",
                    "messaging.email.sent",
                    "email",
                    "msg-eu-" + i,
                    Map.of("template", "welcome"),
                    Context.Status.SUCCESS,
                    null,
                    null));
        }
        for (int i = 0; i < 3; i++) {
            e.add(event(
                    "m-eu-o" + i,
                    DAY.plusSeconds(60 + i),
                    "mailer-eu",
                    "messaging.email.opened",
                    "email",
                    "msg-eu-" + i,
                    Map.of("template", "welcome"),
                    Context.Status.SUCCESS,
                    null,
                    null));
        }
        for (int i = 0; i < 2; i++) {
            e.add(event(
                    "m-us-s" + i,
                    DAY.plusSeconds(10 + i),
                    "mailer-us",
                    "messaging.email.sent",
                    "email",
                    "msg-us-" + i,
                    Map.of("template", "invoice"),
                    Context.Status.SUCCESS,
                    null,
                    null));
        }
        e.add(event(
                "m-us-o0",
                DAY.plusSeconds(120),
                "mailer-us",
                "messaging.email.opened",
                "email",
                "msg-us-0",
                Map.of("template", "invoice"),
                Context.Status.SUCCESS,
                null,
                null));
        // billing: three late payments on Monday 2026-11-02 (10, 20, 30 days late), one on Tuesday 2026-12-01 (5)
        int[] late = {10, 20, 30};
        for (int i = 0; i < late.length; i++) {
            e.add(event(
                    "b-late" + i,
                    DAY.plus(i, ChronoUnit.HOURS),
                    "billing-service",
                    "billing.payment.late",
                    "invoice",
                    "INV-2026-00" + (10 + i),
                    Map.of("days_late", late[i]),
                    Context.Status.SUCCESS,
                    null,
                    null));
        }
        e.add(event(
                "b-late3",
                Instant.parse("2026-12-01T10:00:00Z"),
                "billing-service",
                "billing.payment.late",
                "invoice",
                "INV-2026-0099",
                Map.of("days_late", 5),
                Context.Status.SUCCESS,
                null,
                null));
        // the invoice's history: created, sent, paid
        e.add(event(
                "inv-1",
                DAY.plusSeconds(5),
                "billing-service",
                "billing.invoice.created",
                "invoice",
                INVOICE,
                Map.of(),
                Context.Status.SUCCESS,
                null,
                null));
        e.add(event(
                "inv-2",
                DAY.plusSeconds(3600),
                "billing-service",
                "billing.invoice.sent",
                "invoice",
                INVOICE,
                Map.of(),
                Context.Status.SUCCESS,
                null,
                null));
        e.add(event(
                "inv-3",
                DAY.plus(3, ChronoUnit.DAYS),
                "billing-service",
                "billing.invoice.paid",
                "invoice",
                INVOICE,
                Map.of(),
                Context.Status.SUCCESS,
                null,
                null));
        // workflows: wf-import failed twice in the last 7 days (100 and 300 ms), wf-export once; older failures and
        // successes do not count
        Instant yesterday = now.minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        e.add(event(
                "w-1",
                yesterday,
                "workflow-engine",
                "workflow.execution.failed",
                "workflow",
                "wf-import",
                Map.of(),
                Context.Status.FAILURE,
                "TIMEOUT",
                100.0));
        e.add(event(
                "w-2",
                yesterday.plusSeconds(30),
                "workflow-engine",
                "workflow.execution.failed",
                "workflow",
                "wf-import",
                Map.of(),
                Context.Status.FAILURE,
                "TIMEOUT",
                300.0));
        e.add(event(
                "w-3",
                yesterday.plusSeconds(60),
                "workflow-engine",
                "workflow.execution.failed",
                "workflow",
                "wf-export",
                Map.of(),
                Context.Status.FAILURE,
                "QUOTA",
                50.0));
        e.add(event(
                "w-4",
                yesterday.plusSeconds(90),
                "workflow-engine",
                "workflow.execution.completed",
                "workflow",
                "wf-import",
                Map.of(),
                Context.Status.SUCCESS,
                null,
                80.0));
        e.add(event(
                "w-5",
                now.minus(30, ChronoUnit.DAYS),
                "workflow-engine",
                "workflow.execution.failed",
                "workflow",
                "wf-import",
                Map.of(),
                Context.Status.FAILURE,
                "TIMEOUT",
                900.0));
        // tenants: the workflow runs belong to two organisations (org-acme: 3 in the last 7 days, 2 failed, and the
        // 30-day-old one; org-globex: 1), every other event to none
        Map<String, String> organizations =
                Map.of("w-1", "org-acme", "w-2", "org-acme", "w-4", "org-acme", "w-5", "org-acme", "w-3", "org-globex");
        e.replaceAll(ev -> organizations.containsKey(ev.id()) ? ev.withOrganizationId(organizations.get(ev.id())) : ev);
        return e;
    }

    static CanonicalEvent event(
            String id,
            Instant at,
            String source,
            String action,
            String entityType,
            String entityId,
            Map<String, Object> properties,
            Context.Status status,
            String errorCode,
            Double durationMs) {
        Context c = Context.EMPTY
                .withStatus(status)
                .withDomainSpecific(new Context.DomainSpecific(null, new Context.Analytics(properties, null)));
        if (errorCode != null) {
            c = c.withError(new Context.ErrorInfo(errorCode, "failed"));
        }
        if (durationMs != null) {
            c = c.withTelemetry(new Context.Telemetry(null, null, durationMs));
        }
        return CanonicalEvent.builder()
                .id(id)
                .eventTimestamp(at)
                .observedTimestamp(at.plusMillis(40))
                .source(source)
                .specVersion("1.0")
                .action(action, action.endsWith("failed") ? "execute" : "communicate")
                .actor(Actor.of("psn-" + Math.abs(id.hashCode() % 5), Actor.USER))
                .entity(Entity.of(entityId, entityType))
                .context(c)
                .build();
    }
}
