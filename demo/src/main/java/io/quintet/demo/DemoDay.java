package io.quintet.demo;

import io.quintet.model.Action;
import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.Entity;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The scripted part of the demo day, on top of the {@link LoadGenerator}'s background traffic: stories whose outcome
 * the summary shows. Event times are "now" so windows, feeds and alerts behave as they would live.
 * <ul>
 *   <li>{@link #POST_OWNER} publishes a post; four people like it and follow them: an aggregated notification
 *       "user-2 and 3 others liked your post";</li>
 *   <li>{@link #ATTACKED} gets 9 failed logins in a few seconds: the brute-force alert (5 in one 5-minute window;
 *       nine, so that a window boundary falling inside the burst still leaves five on one side);</li>
 *   <li>workflow {@code wf-crm-sync} fails every other one of 10 runs: the failure-rate alert;</li>
 *   <li>{@link #BIG_SPENDER} runs AI calls costing 6.30 USD: the AI cost alert;</li>
 *   <li>invoices created, sent, paid and overdue, with payment reminders and email opens;</li>
 *   <li>{@link #ERASED} asks to be forgotten at the end of the day.</li>
 * </ul>
 */
public final class DemoDay {
    public static final String POST_OWNER = "user-1";
    /** The invoice of the day (created, sent, reminded, paid): its history is one entity's. */
    public static final String INVOICE = "INV-DEMO-0001";

    public static final String POST_ID = "post-demo-1";
    public static final String ATTACKED = "user-7";
    /** 2 x 5 - 1: wherever a tumbling 5-minute window boundary falls in the burst, one side holds the rule's 5. */
    static final int BRUTE_FORCE_ATTEMPTS = 9;
    /**
     * Runs of the failing workflow, every other one failed: wherever a 10-minute window boundary falls, one side holds
     * at least the rule's 5 runs, at least 40 % of them failed (workflow-failure-rate: over 20 %, at least 5 runs).
     */
    static final int WORKFLOW_RUNS = 10;

    public static final String BIG_SPENDER = "user-9";
    public static final String ERASED = "user-8";
    public static final String FAILING_WORKFLOW = "wf-crm-sync";

    private final Clock clock;
    private final List<String> likeIds = new ArrayList<>();

    public DemoDay(Clock clock) {
        this.clock = clock;
    }

    /** Ids of the like events (the summary finds the post owner's pseudonym through them). */
    public List<String> likeIds() {
        return likeIds;
    }

    /**
     * Profile traits sent as Segment identify calls before the day starts (super-properties). Like real identify
     * calls they carry personal traits (email, name, phone) next to the ones the enricher stamps.
     */
    public static Map<String, String> identities() {
        Map<String, String> traits = new LinkedHashMap<>();
        traits.put(
                "user-1",
                withPersonalTraits(
                        "user-1", "\"plan\":\"pro\",\"locale\":\"en-GB\",\"country\":\"GB\",\"role\":\"admin\""));
        traits.put("user-2", withPersonalTraits("user-2", "\"plan\":\"free\",\"locale\":\"de-DE\",\"country\":\"DE\""));
        traits.put("user-7", withPersonalTraits("user-7", "\"plan\":\"pro\",\"locale\":\"fr-FR\",\"country\":\"FR\""));
        traits.put(
                "user-9",
                withPersonalTraits(
                        "user-9",
                        "\"plan\":\"enterprise\",\"locale\":\"en-US\",\"country\":\"US\",\"role\":\"data_scientist\""));
        return traits;
    }

    private static String withPersonalTraits(String user, String traits) {
        return "{" + traits + ",\"email\":\"" + Persons.email(user) + "\",\"name\":\"" + Persons.name(user)
                + "\",\"phone\":\"" + Persons.phone(user) + "\"}";
    }

    /** The post owner's company: a Segment group call before the day starts (group id and traits on the profile). */
    public static final String POST_OWNER_GROUP = "acme-corp";

    public static final String POST_OWNER_GROUP_TRAITS =
            "{\"name\":\"Acme Corp\",\"plan\":\"enterprise\",\"industry\":\"retail\",\"employees\":120}";

    /** The client address of the brute-force attempts on {@link #ATTACKED}. */
    public static final String ATTACKER_IP = "203.0.113.77";

    /** The scripted stories, in event-time order. */
    public List<CanonicalEvent> stories() {
        List<CanonicalEvent> out = new ArrayList<>();
        Instant t = clock.instant();
        for (int i = 2; i <= 5; i++) {
            String fan = "user-" + i;
            out.add(event(
                    t = t.plusMillis(200),
                    "community-app",
                    "social.user.followed",
                    "create",
                    fan,
                    Actor.USER,
                    Entity.of(POST_OWNER, "user"),
                    Context.Status.SUCCESS,
                    Map.of()));
        }
        for (int i = 2; i <= 5; i++) {
            CanonicalEvent like = event(
                    t = t.plusMillis(300),
                    "community-app",
                    "social.post.liked",
                    "create",
                    "user-" + i,
                    Actor.USER,
                    new Entity(POST_ID, "post", Map.of("owner_id", POST_OWNER, "title", "Quarterly numbers are in")),
                    Context.Status.SUCCESS,
                    Map.of());
            likeIds.add(like.id());
            out.add(like);
        }
        for (int i = 0; i < BRUTE_FORCE_ATTEMPTS; i++) {
            CanonicalEvent attempt = failedLogin(t = t.plusMillis(400), ATTACKED, "session-attack-" + i);
            out.add(attempt.withContext(attempt.contextOrEmpty()
                    .withClient(new Context.Client(ATTACKER_IP, "python-requests/2.32", null))));
        }
        for (int i = 0; i < WORKFLOW_RUNS; i++) {
            boolean failed = i % 2 == 0; // alternating: any 5 runs in a row hold at least 2 failures
            out.add(event(
                    t = t.plusMillis(250),
                    "workflow-engine",
                    failed ? "workflow.execution.failed" : "workflow.execution.completed",
                    "execute",
                    "scheduler",
                    Actor.SYSTEM,
                    Entity.of(FAILING_WORKFLOW, "workflow"),
                    failed ? Context.Status.FAILURE : Context.Status.SUCCESS,
                    Map.of("workflow_id", FAILING_WORKFLOW, "execution_id", "exec-" + i)));
        }
        for (String cost : List.of("2.10", "2.10", "2.10")) {
            out.add(event(
                    t = t.plusMillis(300),
                    "ai-gateway",
                    "ai.model.completed",
                    "execute",
                    BIG_SPENDER,
                    Actor.USER,
                    Entity.of("gpt-large", "model"),
                    Context.Status.SUCCESS,
                    Map.of(
                            "actual_cost",
                            new BigDecimal(cost),
                            "model_provider",
                            "quintet-labs",
                            "input_tokens",
                            140_000)));
        }
        String invoice = INVOICE;
        for (String verb : List.of("created", "sent", "overdue", "paid")) {
            out.add(event(
                    t = t.plusMillis(300),
                    "billing-service",
                    "billing.invoice." + verb,
                    verb.equals("created") ? "create" : "update",
                    "billing-service",
                    Actor.SERVICE,
                    new Entity(invoice, "invoice", Map.of("owner_id", POST_OWNER, "amount", new BigDecimal("1249.90"))),
                    Context.Status.SUCCESS,
                    verb.equals("paid") ? Map.of("revenue", new BigDecimal("1249.90")) : Map.of()));
            if (verb.equals("overdue")) {
                out.add(event(
                        t = t.plusMillis(100),
                        "notification-service",
                        "messaging.payment_reminder.sent",
                        "communicate",
                        "notification-service",
                        Actor.SERVICE,
                        new Entity("reminder-demo-1", "email", Map.of("owner_id", POST_OWNER, "invoice", invoice)),
                        Context.Status.SUCCESS,
                        Map.of()));
                out.add(event(
                        t = t.plusMillis(100),
                        "notification-service",
                        "messaging.payment_reminder.opened",
                        "communicate",
                        POST_OWNER,
                        Actor.USER,
                        new Entity("reminder-demo-1", "email", Map.of("owner_id", POST_OWNER, "invoice", invoice)),
                        Context.Status.SUCCESS,
                        Map.of()));
            }
        }
        return out;
    }

    /** Invalid events as a careless producer would send them to the gateway (answered 4xx, never published). */
    public static List<String> invalidForGateway() {
        return List.of(
                "{\"id\":\"" + UUID.randomUUID() + "\",\"event_timestamp\":\"" + Instant.now()
                        + "\",\"source\":\"web-app\","
                        + "\"action\":{\"name\":\"Checkout Completed\",\"type\":\"create\"},\"actor\":{\"id\":\"user-3\",\"type\":\"user\"}}",
                "{\"id\":\"" + UUID.randomUUID() + "\",\"event_timestamp\":\"" + Instant.now()
                        + "\",\"source\":\"web-app\","
                        + "\"action\":{\"name\":\"analytics.page.viewed\",\"type\":\"read\"}}",
                "{\"id\":\"not-a-uuid\",\"event_timestamp\":\"yesterday\",\"source\":\"web-app\","
                        + "\"action\":{\"name\":\"analytics.page.viewed\",\"type\":\"read\"},\"actor\":{\"id\":\"user-4\"}}");
    }

    /** A planned event that breaks the tracking plan (a required property missing): dead-lettered by the enricher. */
    public CanonicalEvent trackingPlanViolation() {
        return event(
                clock.instant(),
                "ai-gateway",
                "ai.model.completed",
                "execute",
                "user-6",
                Actor.USER,
                Entity.of("summarizer-v2", "model"),
                Context.Status.SUCCESS,
                Map.of("model_provider", "quintet-labs"));
    }

    /** One failed password login of {@code actor}: five of them within 5 minutes fire the brute-force-login alert. */
    public static CanonicalEvent failedLogin(Instant at, String actor, String session) {
        return event(
                at,
                "auth-service",
                "auth.user.login_failed",
                "access",
                actor,
                Actor.USER,
                Entity.of(session, "session"),
                Context.Status.FAILURE,
                Map.of("login_method", "password", "failure_reason", "invalid_credentials"));
    }

    private static CanonicalEvent event(
            Instant at,
            String source,
            String action,
            String type,
            String actor,
            String actorType,
            Entity entity,
            Context.Status status,
            Map<String, Object> props) {
        Context ctx = Context.EMPTY.withStatus(status);
        if (!props.isEmpty()) {
            ctx = ctx.withDomainSpecific(new Context.DomainSpecific(null, new Context.Analytics(props, null)));
        }
        if (status == Context.Status.FAILURE) {
            ctx = ctx.withError(new Context.ErrorInfo("failed", action + " failed"));
        }
        return CanonicalEvent.builder()
                .id(UUID.randomUUID().toString())
                .eventTimestamp(at)
                .observedTimestamp(at.plus(Duration.ofMillis(20)))
                .source(source)
                .action(new Action(action, type))
                .actor(Actor.of(actor, actorType))
                .entity(entity)
                .context(ctx)
                .build();
    }
}
