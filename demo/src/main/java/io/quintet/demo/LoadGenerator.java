package io.quintet.demo;

import io.quintet.model.Action;
import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.Entity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A seeded, reproducible stream of realistic canonical events: an organisation's day of logins and failed logins,
 * page views, workflow runs that succeed and fail, AI model calls with cost, invoices, payment reminders and email
 * opens, follows and likes, profile updates. The same seed gives the same events (ids included). Events carry
 * personal data as real ones do: logins and profile updates the person's email, name and phone ({@link Persons}),
 * page views, logins and social events the client's IP address, invoices the customer's email as a property.
 * Not thread-safe: one generator per producing thread.
 */
public final class LoadGenerator {
    private final SplittableRandom random;
    private final int users;
    private Instant clock;
    private final Duration meanGap;

    public LoadGenerator(long seed, int users, Instant start, Duration meanGap) {
        if (users < 2) {
            throw new IllegalArgumentException("users must be >= 2");
        }
        this.random = new SplittableRandom(seed);
        this.users = users;
        this.clock = start;
        this.meanGap = meanGap;
    }

    /** The next event; event time advances by a random gap around the mean. */
    public CanonicalEvent next() {
        long gapMicros = Math.max(1, (long) (meanGap.toNanos() / 1000.0 * -Math.log(1 - random.nextDouble())));
        clock = clock.plusNanos(gapMicros * 1000);
        int kind = random.nextInt(100);
        String user = "user-" + random.nextInt(users);
        CanonicalEvent.Builder b = CanonicalEvent.builder()
                .id(new UUID(random.nextLong(), random.nextLong()).toString())
                .eventTimestamp(clock)
                .observedTimestamp(clock.plusMillis(5 + random.nextInt(200)));
        if (kind < 20) {
            return pageView(b, user);
        } else if (kind < 35) {
            return login(b, user, random.nextInt(10) == 0);
        } else if (kind < 50) {
            return workflowRun(b);
        } else if (kind < 62) {
            return aiCall(b, user);
        } else if (kind < 74) {
            return invoice(b, user);
        } else if (kind < 82) {
            return email(b, user);
        } else if (kind < 92) {
            return social(b, user);
        }
        return profileUpdate(b, user);
    }

    private CanonicalEvent pageView(CanonicalEvent.Builder b, String user) {
        String page = "/" + pick("dashboard", "invoices", "settings", "reports", "workflows", "pricing");
        return b.source("web-app")
                .action(new Action("analytics.page.viewed", "read"))
                .actor(Actor.of(user, Actor.USER))
                .entity(Entity.of(page, "page"))
                .context(Context.EMPTY
                        .withClient(client())
                        .withDomainSpecific(new Context.DomainSpecific(
                                null,
                                new Context.Analytics(
                                        map("page_path", page, "referrer", pick("google", "direct", "newsletter")),
                                        null)))
                        .withStatus(Context.Status.SUCCESS))
                .build();
    }

    private CanonicalEvent login(CanonicalEvent.Builder b, String user, boolean failed) {
        Context ctx = Context.EMPTY
                .withClient(client())
                .withDomainSpecific(new Context.DomainSpecific(
                        null, new Context.Analytics(map("login_method", pick("password", "sso", "passkey")), null)))
                .withStatus(failed ? Context.Status.FAILURE : Context.Status.SUCCESS);
        if (failed) {
            ctx = ctx.withError(new Context.ErrorInfo("invalid_credentials", "password does not match"));
        }
        return b.source("auth-service")
                .action(new Action(failed ? "auth.user.login_failed" : "auth.user.login_succeeded", "access"))
                .actor(new Actor(user, Actor.USER, null, personalDetails(user)))
                .entity(Entity.of("session-" + Long.toHexString(random.nextLong()), "session"))
                .context(ctx)
                .build();
    }

    private CanonicalEvent workflowRun(CanonicalEvent.Builder b) {
        boolean failed = random.nextInt(8) == 0;
        String wf = "wf-" + pick("nightly-export", "invoice-reminders", "crm-sync", "report-builder");
        double duration = 200 + random.nextDouble() * (failed ? 30_000 : 5_000);
        Context ctx = Context.EMPTY
                .withTelemetry(new Context.Telemetry(hex(32), hex(16), Math.round(duration * 10) / 10.0))
                .withAttributes(map("workflow.trigger", pick("cron", "webhook", "manual")))
                .withStatus(failed ? Context.Status.FAILURE : Context.Status.SUCCESS);
        if (failed) {
            ctx = ctx.withError(
                    new Context.ErrorInfo(pick("timeout", "upstream_503", "validation_error"), "step failed"));
        }
        return b.source("workflow-engine")
                .action(new Action(failed ? "workflow.execution.failed" : "workflow.execution.completed", "execute"))
                .actor(Actor.of("scheduler", Actor.SYSTEM))
                .entity(new Entity(wf, "workflow", map("version", 1 + random.nextInt(9))))
                .context(ctx)
                .build();
    }

    private CanonicalEvent aiCall(CanonicalEvent.Builder b, String user) {
        int tokens = 200 + random.nextInt(4000);
        BigDecimal cost =
                BigDecimal.valueOf(tokens).multiply(new BigDecimal("0.000015")).setScale(6, RoundingMode.HALF_UP);
        return b.source("ai-gateway")
                .action(new Action("ai.model.completed", "execute"))
                .actor(Actor.of(user, Actor.USER))
                .entity(Entity.of(pick("gpt-large", "summarizer-v2", "classifier-small"), "model"))
                .context(Context.EMPTY
                        .withTelemetry(new Context.Telemetry(hex(32), hex(16), 300.0 + random.nextInt(9000)))
                        .withDomainSpecific(new Context.DomainSpecific(
                                null,
                                new Context.Analytics(
                                        map(
                                                "input_tokens",
                                                tokens,
                                                "actual_cost",
                                                cost,
                                                "model_provider",
                                                "quintet-labs"),
                                        null)))
                        .withStatus(Context.Status.SUCCESS))
                .build();
    }

    private CanonicalEvent invoice(CanonicalEvent.Builder b, String user) {
        String verb = pick("created", "sent", "paid", "payment_failed", "overdue");
        BigDecimal amount = BigDecimal.valueOf(1000 + random.nextInt(200_000), 2);
        return b.source("billing-service")
                .action(new Action("billing.invoice." + verb, verb.equals("created") ? "create" : "update"))
                .actor(Actor.of("billing-service", Actor.SERVICE))
                .entity(new Entity(
                        "INV-" + (10_000 + random.nextInt(90_000)),
                        "invoice",
                        map("owner_id", user, "amount", amount, "currency", "EUR")))
                .context(Context.EMPTY
                        .withDomainSpecific(new Context.DomainSpecific(
                                null,
                                new Context.Analytics(
                                        map(
                                                "revenue",
                                                verb.equals("paid") ? amount : BigDecimal.ZERO,
                                                "email",
                                                Persons.email(user)),
                                        null)))
                        .withStatus(verb.equals("payment_failed") ? Context.Status.FAILURE : Context.Status.SUCCESS))
                .build();
    }

    private CanonicalEvent email(CanonicalEvent.Builder b, String user) {
        String verb = pick("sent", "opened", "clicked");
        return b.source("notification-service")
                .action(new Action("messaging.payment_reminder." + verb, "communicate"))
                .actor(Actor.of(
                        verb.equals("sent") ? "notification-service" : user,
                        verb.equals("sent") ? Actor.SERVICE : Actor.USER))
                .entity(new Entity("reminder-" + random.nextInt(50_000), "email", map("owner_id", user)))
                .context(Context.EMPTY.withStatus(Context.Status.SUCCESS))
                .build();
    }

    private CanonicalEvent social(CanonicalEvent.Builder b, String user) {
        String other = "user-" + random.nextInt(users);
        boolean follow = random.nextInt(3) == 0;
        return b.source("community-app")
                .action(new Action(follow ? "social.user.followed" : "social.post.liked", "create"))
                .actor(Actor.of(user, Actor.USER))
                .entity(
                        follow
                                ? Entity.of(other, "user")
                                : new Entity("post-" + random.nextInt(5_000), "post", map("owner_id", other)))
                .context(Context.EMPTY.withClient(client()).withStatus(Context.Status.SUCCESS))
                .build();
    }

    private CanonicalEvent profileUpdate(CanonicalEvent.Builder b, String user) {
        return b.source("account-service")
                .action(new Action("account.profile.updated", "update"))
                .actor(new Actor(user, Actor.USER, null, personalDetails(user)))
                .entity(Entity.of(user, "user"))
                .context(Context.EMPTY
                        .withDomainSpecific(new Context.DomainSpecific(
                                new Context.Audit(map("field", pick("plan", "locale", "name")), map("result", "ok")),
                                null))
                        .withStatus(Context.Status.SUCCESS))
                .build();
    }

    /** What a login or profile form knows about a person: email, full name, phone (see {@link Persons}). */
    private static Map<String, Object> personalDetails(String user) {
        return map("email", Persons.email(user), "name", Persons.name(user), "phone", Persons.phone(user));
    }

    private Context.Client client() {
        return new Context.Client(
                "198.51." + random.nextInt(256) + "." + random.nextInt(256),
                pick("Mozilla/5.0 Firefox/132.0", "Mozilla/5.0 Chrome/131.0", "QuintetMobile/3.2 (iOS 18)"),
                "sess-" + Integer.toHexString(random.nextInt()));
    }

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }

    private String hex(int chars) {
        StringBuilder sb = new StringBuilder(chars);
        while (sb.length() < chars) {
            sb.append(Long.toHexString(random.nextLong() | Long.MIN_VALUE));
        }
        return sb.substring(0, chars);
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
