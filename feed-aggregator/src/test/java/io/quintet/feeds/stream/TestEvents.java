package io.quintet.feeds.stream;

import io.quintet.model.Action;
import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.Entity;
import java.time.Instant;
import java.util.Map;

/** Hand-made canonical events as they appear on events.canonical (actor ids are pseudonyms). */
public final class TestEvents {
    public static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");

    private TestEvents() {}

    public static CanonicalEvent event(
            String id,
            String action,
            String actor,
            String source,
            Instant at,
            Context.Status status,
            Double durationMs,
            Map<String, Object> properties) {
        Context ctx = Context.EMPTY.withStatus(status);
        if (durationMs != null) {
            ctx = ctx.withTelemetry(new Context.Telemetry(null, null, durationMs));
        }
        if (properties != null) {
            ctx = ctx.withDomainSpecific(new Context.DomainSpecific(null, new Context.Analytics(properties, null)));
        }
        return CanonicalEvent.builder()
                .id(id)
                .eventTimestamp(at)
                .observedTimestamp(at.plusMillis(5))
                .source(source)
                .action(new Action(action, "other"))
                .actor(Actor.of(actor, Actor.USER))
                .entity(Entity.of("e-" + id, "thing"))
                .context(ctx)
                .build();
    }

    /** social.post.created by {@code actor}, who owns the post. */
    public static CanonicalEvent post(String id, String actor, Instant at) {
        return CanonicalEvent.builder()
                .id(id)
                .eventTimestamp(at)
                .source("community-app")
                .action(new Action("social.post.created", "create"))
                .actor(Actor.of(actor, Actor.USER))
                .entity(new Entity("post-" + id, "post", Map.of("owner_id", actor)))
                .context(Context.EMPTY.withStatus(Context.Status.SUCCESS))
                .build();
    }

    public static CanonicalEvent failedLogin(String id, String actor, Instant at) {
        return event(id, "auth.user.login_failed", actor, "auth-service", at, Context.Status.FAILURE, null, null);
    }

    public static CanonicalEvent workflowRun(String id, String workflow, boolean failed, Instant at) {
        return CanonicalEvent.builder()
                .id(id)
                .eventTimestamp(at)
                .source("workflow-engine")
                .action(new Action(failed ? "workflow.execution.failed" : "workflow.execution.completed", "execute"))
                .actor(Actor.of("scheduler", Actor.SYSTEM))
                .entity(Entity.of(workflow, "workflow"))
                .context(Context.EMPTY.withStatus(failed ? Context.Status.FAILURE : Context.Status.SUCCESS))
                .build();
    }
}
