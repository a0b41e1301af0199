package io.quintet.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's HTTP routes: the single-page app (classpath {@code console/}) at {@code /}, and the JSON API behind
 * it under {@code /api/} (docs/console.md). Bad input is answered 400 with {@code {"error", "where"}}. Calls that
 * block (the broker's Admin API, other services, replay) run on Vert.x worker threads.
 */
public final class ConsoleApi {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleApi.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final Set<String> FEEDS = Set.of("flat", "aggregated", "notifications", "timeline");
    static final int MAX_REPLAY = 500;

    private final Vertx vertx;
    private final LiveEvents live;
    private final DeadLetterLog deadLetters;
    private final AlertLog alerts;
    private final MetricsHistory metrics;
    private final PipelineStatus pipeline;
    private final DeadLetterReplay replay;
    private final ServiceClient feedsClient;
    private final URI feedsUrl;
    private final TopicTail tail;
    private final ConsoleAuth auth;
    private final AuditVerdict audit;
    private final String loginPage;

    ConsoleApi(
            Vertx vertx,
            LiveEvents live,
            DeadLetterLog deadLetters,
            AlertLog alerts,
            MetricsHistory metrics,
            PipelineStatus pipeline,
            DeadLetterReplay replay,
            ServiceClient feedsClient,
            URI feedsUrl,
            TopicTail tail,
            ConsoleAuth auth,
            AuditVerdict audit) {
        this.vertx = vertx;
        this.live = live;
        this.deadLetters = deadLetters;
        this.alerts = alerts;
        this.metrics = metrics;
        this.pipeline = pipeline;
        this.replay = replay;
        this.feedsClient = feedsClient;
        this.feedsUrl = feedsUrl;
        this.tail = tail;
        this.auth = auth;
        this.audit = audit;
        this.loginPage = resource("console-login/login.html");
    }

    private static String resource(String name) {
        try (var in = ConsoleApi.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read resource " + name, e);
        }
    }

    Router router() {
        Router r = Router.router(vertx);
        // public: the health check and the login form; everything else needs a session or a bearer key
        r.get("/healthz").handler(this::health);
        r.get("/login").handler(ctx -> loginPage(ctx, 200, null));
        r.post("/login").handler(BodyHandler.create().setBodyLimit(4 * 1024)).handler(this::login);
        r.post("/logout").handler(this::logout);
        r.route().handler(this::authenticate);
        r.get("/api/session").handler(this::session);
        r.get("/api/audit").handler(ctx -> json(ctx, 200, auditJson()));
        r.post("/api/audit/verify").handler(this::verifyAudit);
        r.get("/api/events").handler(this::events);
        r.get("/api/dead-letters").handler(this::deadLetters);
        r.post("/api/dead-letters/replay")
                .handler(BodyHandler.create().setBodyLimit(64 * 1024)) // Vert.x: the body handler comes first
                .handler(ctx -> {
                    ConsoleAuth.require(ctx.get(CALLER), ConsoleAuth.REPLAY);
                    ctx.next();
                })
                .handler(this::replay);
        r.get("/api/metrics").handler(this::metrics);
        r.get("/api/alerts").handler(this::alerts);
        r.get("/api/feeds/:kind/:reader").handler(this::feeds);
        r.get("/api/pipeline").handler(this::pipeline);
        r.route("/api/*")
                .handler(ctx -> fail(
                        ctx,
                        404,
                        "no such API route: " + ctx.request().method() + " "
                                + ctx.request().path(),
                        "path"));
        r.route("/*")
                .handler(
                        StaticHandler.create("console").setCachingEnabled(false).setIndexPage("index.html"));
        r.route().failureHandler(this::failure);
        return r;
    }

    static final String CALLER = "quintet.console.caller";

    /** Every route after the public ones: the caller by bearer key or session, with console:read; else 401/403. */
    private void authenticate(RoutingContext ctx) {
        io.vertx.core.http.Cookie cookie = ctx.request().getCookie(ConsoleAuth.COOKIE);
        ConsoleAuth.Caller caller =
                auth.authenticate(ctx.request().getHeader("Authorization"), cookie == null ? null : cookie.getValue());
        ConsoleAuth.require(caller, ConsoleAuth.READ);
        ctx.put(CALLER, caller);
        ctx.next();
    }

    private void login(RoutingContext ctx) {
        if (!auth.enabled()) {
            redirect(ctx, "/");
            return;
        }
        try {
            Map.Entry<String, ConsoleAuth.Caller> session =
                    auth.login(ctx.request().getFormAttribute("key"));
            ctx.response()
                    .addCookie(sessionCookie(ctx, session.getKey(), auth.ttl().toSeconds()));
            redirect(ctx, "/");
        } catch (ConsoleAuth.Denied d) {
            loginPage(ctx, d.status(), d.getMessage());
        }
    }

    private void logout(RoutingContext ctx) {
        io.vertx.core.http.Cookie cookie = ctx.request().getCookie(ConsoleAuth.COOKIE);
        auth.logout(cookie == null ? null : cookie.getValue());
        ctx.response().addCookie(sessionCookie(ctx, "", 0));
        redirect(ctx, "/login");
    }

    private static io.vertx.core.http.Cookie sessionCookie(RoutingContext ctx, String value, long maxAgeSeconds) {
        return io.vertx.core.http.Cookie.cookie(ConsoleAuth.COOKIE, value)
                .setPath("/")
                .setHttpOnly(true)
                .setSecure(ctx.request().isSSL())
                .setSameSite(io.vertx.core.http.CookieSameSite.STRICT)
                .setMaxAge(maxAgeSeconds);
    }

    private static void redirect(RoutingContext ctx, String to) {
        ctx.response()
                .setStatusCode(303)
                .putHeader("Location", to)
                .putHeader("Cache-Control", "no-store")
                .end();
    }

    private void loginPage(RoutingContext ctx, int status, String error) {
        String message = error == null ? "" : "<p class=\"error\" id=\"login-error\">" + escapeHtml(error) + "</p>";
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .end(loginPage.replace("<!--error-->", message));
    }

    static String escapeHtml(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    private void session(RoutingContext ctx) {
        ConsoleAuth.Caller c = ctx.get(CALLER);
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("auth_enabled", auth.enabled());
        n.put("key_id", c.keyId());
        ArrayNode scopes = n.putArray("scopes");
        c.scopes().stream().sorted().forEach(scopes::add);
        if (c.expires() != null) {
            n.put("expires_at", c.expires().toString());
        }
        n.put("replay_allowed", replay != null && c.may(ConsoleAuth.REPLAY));
        json(ctx, 200, n);
    }

    private ObjectNode auditJson() {
        return audit == null ? AuditVerdict.notConfigured() : audit.toJson();
    }

    private void verifyAudit(RoutingContext ctx) {
        if (audit == null) {
            fail(
                    ctx,
                    409,
                    "the audit verifier is not configured (" + ConsoleConfig.AUDIT_PUBLIC_KEYS + ")",
                    ConsoleConfig.AUDIT_PUBLIC_KEYS);
            return;
        }
        boolean started = audit.verifyNow();
        ObjectNode n = auditJson();
        n.put("started", started);
        json(ctx, 202, n);
    }

    private void health(RoutingContext ctx) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        boolean up = tail.alive();
        n.put("status", up ? "up" : "down");
        n.put("history_loaded", tail.caughtUp());
        if (tail.failure() != null) {
            n.put("error", tail.failure().toString());
        }
        json(ctx, up ? 200 : 503, n);
    }

    private void events(RoutingContext ctx) {
        LiveEvents.Filter filter =
                LiveEvents.Filter.parse(param(ctx, "action"), param(ctx, "source"), param(ctx, "actor"));
        long after = longParam(ctx, "after", 0, 0, Long.MAX_VALUE);
        int limit = (int) longParam(ctx, "limit", 100, 1, 1000);
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("received", live.received());
        n.put("buffered", live.size());
        n.set("events", LiveEvents.toJson(live.newest(filter, after, limit)));
        json(ctx, 200, n);
    }

    private void deadLetters(RoutingContext ctx) {
        int limit = (int) longParam(ctx, "limit", 100, 1, 1000);
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.set("counts", deadLetters.counts());
        n.put("replay_enabled", replay != null);
        ArrayNode entries = n.putArray("entries");
        deadLetters
                .newest(blankToNull(param(ctx, "reason")), blankToNull(param(ctx, "source")), limit)
                .forEach(e -> entries.add(DeadLetterLog.toJson(e)));
        json(ctx, 200, n);
    }

    private void replay(RoutingContext ctx) {
        if (replay == null) {
            fail(ctx, 403, "replay is disabled (replay.enabled=false)", "replay.enabled");
            return;
        }
        List<DeadLetterReplay.Selected> selected = parseSelection(ctx.body().asString());
        blocking(ctx, () -> {
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            List<DeadLetterReplay.Outcome> outcomes = replay.replay(selected);
            ConsoleAuth.Caller caller = ctx.get(CALLER);
            LOG.info(
                    "key '{}' replayed {} of {} selected dead letter(s) to {}",
                    caller.keyId(),
                    outcomes.stream().filter(o -> o.result().equals("replayed")).count(),
                    outcomes.size(),
                    replay.rawTopic());
            n.put("topic", replay.rawTopic());
            n.put(
                    "replayed",
                    outcomes.stream().filter(o -> o.result().equals("replayed")).count());
            n.put(
                    "skipped",
                    outcomes.stream().filter(o -> o.result().equals("skipped")).count());
            ArrayNode results = n.putArray("results");
            for (DeadLetterReplay.Outcome o : outcomes) {
                ObjectNode r = results.addObject()
                        .put("partition", o.partition())
                        .put("offset", o.offset())
                        .put("result", o.result())
                        .put("detail", o.detail());
                if (o.to() != null) {
                    r.putObject("to")
                            .put("topic", o.to().topic())
                            .put("partition", o.to().partition())
                            .put("offset", o.to().offset());
                }
            }
            return n;
        });
    }

    /** {@code {"entries":[{"partition":0,"offset":12}, ...]}}: 1..500 dead letters by their events.dlq coordinates. */
    static List<DeadLetterReplay.Selected> parseSelection(String body) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : MAPPER.readTree(body);
        } catch (IOException e) {
            throw new BadRequest(
                    "body", "the body is not JSON: expected {\"entries\":[{\"partition\":P,\"offset\":O}]}");
        }
        if (root == null
                || !root.path("entries").isArray()
                || root.get("entries").isEmpty()) {
            throw new BadRequest("body /entries", "expected a non-empty array of {\"partition\":P,\"offset\":O}");
        }
        if (root.get("entries").size() > MAX_REPLAY) {
            throw new BadRequest("body /entries", "at most " + MAX_REPLAY + " dead letters per request");
        }
        List<DeadLetterReplay.Selected> out = new ArrayList<>();
        for (int i = 0; i < root.get("entries").size(); i++) {
            JsonNode e = root.get("entries").get(i);
            if (!e.path("partition").canConvertToInt()
                    || !e.path("partition").isIntegralNumber()
                    || e.get("partition").asInt() < 0) {
                throw new BadRequest("body /entries/" + i + "/partition", "must be a partition number >= 0");
            }
            if (!e.path("offset").isIntegralNumber() || e.get("offset").asLong() < 0) {
                throw new BadRequest("body /entries/" + i + "/offset", "must be an offset >= 0");
            }
            out.add(new DeadLetterReplay.Selected(
                    e.get("partition").asInt(), e.get("offset").asLong()));
        }
        return out;
    }

    private void metrics(RoutingContext ctx) {
        String window = oneOf(ctx, "window", "1m", MetricsHistory.WINDOW_SIZES);
        String dimension = oneOf(ctx, "dimension", "domain", MetricsHistory.DIMENSIONS);
        ObjectNode n = metrics.toJson(window, dimension);
        blocking(ctx, () -> {
            n.set("current", fromFeeds("/metrics/current?window=" + window + "&dimension=" + dimension));
            return n;
        });
    }

    private void alerts(RoutingContext ctx) {
        int limit = (int) longParam(ctx, "limit", 100, 1, 1000);
        json(ctx, 200, alerts.toJson(limit));
    }

    private void feeds(RoutingContext ctx) {
        String kind = ctx.pathParam("kind");
        if (!FEEDS.contains(kind)) {
            throw new BadRequest(
                    "path segment kind",
                    "unknown feed '" + kind + "' (one of "
                            + String.join(", ", FEEDS.stream().sorted().toList()) + ")");
        }
        String reader = ctx.pathParam("reader");
        if (reader == null || reader.isBlank() || reader.length() > 200) {
            throw new BadRequest(
                    "path segment reader", "the reader (a pseudonym or service name) must be 1..200 characters");
        }
        int limit = (int) longParam(ctx, "limit", 20, 1, 200);
        blocking(ctx, () -> {
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("kind", kind);
            n.put("reader", reader);
            n.set(
                    "feed",
                    fromFeeds("/feeds/" + kind + "/"
                            + URLEncoder.encode(reader, StandardCharsets.UTF_8).replace("+", "%20") + "?limit="
                            + limit));
            return n;
        });
    }

    /** The feed-aggregator's answer: {@code {"status", "body"}} (body parsed when JSON), or {@code {"error"}}. */
    private ObjectNode fromFeeds(String pathAndQuery) throws InterruptedException {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        if (feedsUrl == null) {
            n.put("status", 0);
            n.put("error", "feeds.url is not configured");
            return n;
        }
        URI uri = URI.create(feedsUrl + pathAndQuery);
        n.put("url", uri.toString());
        ServiceClient.Answer a = feedsClient.get(uri);
        n.put("status", a.status());
        if (a.error() != null) {
            n.put("error", a.error());
            return n;
        }
        try {
            n.set("body", MAPPER.readTree(a.body()));
        } catch (IOException notJson) {
            n.put("body_text", PipelineStatus.abbreviate(a.body(), 500));
        }
        return n;
    }

    private void pipeline(RoutingContext ctx) {
        blocking(ctx, () -> {
            ObjectNode n = pipeline.snapshot();
            ObjectNode c = n.putObject("console");
            c.put("events_read", live.received());
            c.put("dead_letters_read", deadLetters.received());
            c.put("history_loaded", tail.caughtUp());
            n.set("audit", auditJson());
            return n;
        });
    }

    private void blocking(RoutingContext ctx, Callable<JsonNode> work) {
        vertx.<JsonNode>executeBlocking(work, false).onComplete(ar -> {
            if (ar.succeeded()) {
                json(ctx, 200, ar.result());
            } else {
                ctx.fail(ar.cause());
            }
        });
    }

    private void failure(RoutingContext ctx) {
        Throwable t = ctx.failure();
        if (t instanceof BadRequest b) {
            fail(ctx, 400, b.getMessage(), b.where());
        } else if (t instanceof ConsoleAuth.Denied d) {
            denied(ctx, d);
        } else if (t != null) {
            LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), t);
            fail(ctx, 500, "internal error: " + t.getClass().getSimpleName(), null);
        } else {
            fail(ctx, ctx.statusCode() > 0 ? ctx.statusCode() : 500, "request failed", null);
        }
    }

    /** 401/403: JSON for the API; for a page, the login form with the reason (401) or the JSON answer (403). */
    private void denied(RoutingContext ctx, ConsoleAuth.Denied d) {
        if (d.status() == 401) {
            ctx.response()
                    .putHeader(
                            "WWW-Authenticate",
                            "Bearer realm=\"quintet-console\""
                                    + (d.code().equals("unauthenticated") ? "" : ", error=\"invalid_token\""));
        }
        if (d.status() == 401 && !ctx.request().path().startsWith("/api/")) {
            loginPage(ctx, 401, d.code().equals("unauthenticated") ? null : d.getMessage());
            return;
        }
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("error", d.getMessage());
        n.put("code", d.code());
        n.put("where", d.status() == 401 ? "Authorization header or session cookie" : "API key scopes");
        json(ctx, d.status(), n);
    }

    private static void fail(RoutingContext ctx, int status, String error, String where) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("error", error);
        if (where != null) {
            n.put("where", where);
        }
        json(ctx, status, n);
    }

    private static void json(RoutingContext ctx, int status, JsonNode body) {
        if (ctx.response().ended()) {
            return;
        }
        try {
            ctx.response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", "application/json; charset=utf-8")
                    .putHeader("Cache-Control", "no-store")
                    .end(Buffer.buffer(MAPPER.writeValueAsBytes(body)));
        } catch (IOException e) {
            ctx.response().setStatusCode(500).end();
            LOG.error("could not write a JSON answer", e);
        }
    }

    private static String param(RoutingContext ctx, String name) {
        return ctx.request().getParam(name);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    static long longParam(RoutingContext ctx, String name, long defaultValue, long min, long max) {
        return parseLong(param(ctx, name), name, defaultValue, min, max);
    }

    static long parseLong(String text, String name, long defaultValue, long min, long max) {
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        long v;
        try {
            v = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new BadRequest("query parameter " + name, "'" + text + "' is not a whole number");
        }
        if (v < min || v > max) {
            throw new BadRequest("query parameter " + name, v + " is out of range " + min + ".." + max);
        }
        return v;
    }

    private static String oneOf(RoutingContext ctx, String name, String defaultValue, Set<String> allowed) {
        String v = param(ctx, name);
        if (v == null || v.isBlank()) {
            return defaultValue;
        }
        if (!allowed.contains(v)) {
            throw new BadRequest(
                    "query parameter " + name,
                    "'" + v + "' is not one of "
                            + String.join(", ", allowed.stream().sorted().toList()));
        }
        return v;
    }
}
