package io.quintet.enricher.privacy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.enricher.privacy.VaultEntries.Pii;
import io.quintet.model.Action;
import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.Entity;
import io.quintet.model.json.CanonicalJson;
import io.quintet.support.http.VertxServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authorised re-identification API: {@code GET /v1/pseudonyms/{pseudonym}} with
 * {@code Authorization: Bearer <token>} returns the subject id and personal data behind a pseudonym (for legitimate
 * use such as feed hydration). 401 without a known token, 404 when the pseudonym resolves to nothing (never existed,
 * or erased), 200 with {@code {"pseudonym", "subject_id", "fields"}} otherwise. Every lookup, found or not, is itself
 * recorded as an audit event {@value #ACTION} (actor = the caller, entity = the pseudonym), published to events.raw
 * before the answer is sent. Logs the caller and the outcome, never personal data.
 * <p>
 * The other direction, {@code GET /v1/subjects/{subjectId}/pseudonym} (same tokens), answers
 * {@code {"subject_id", "pseudonym"}} or 404, so that a service can serve a user's pseudonymous read models (the
 * feed-aggregator issuing a token for a user's feed) without keeping a mapping of its own; audited the same way, with
 * {@code quintet.lookup.kind = subject_pseudonym}, the entity being the pseudonym found (never the raw id) and, when the
 * caller names one in {@value #ON_BEHALF_OF}, who it asked for in {@code quintet.lookup.on_behalf_of}.
 * <p>
 * On Vert.x Web ({@link VertxServer}); a lookup blocks (an interactive query, then the audit event's
 * acknowledgement), so both endpoints run on its worker threads.
 */
public final class VaultLookupServer implements AutoCloseable {
    public static final String ACTION = "privacy.pii.accessed";
    public static final String PATH = "/v1/pseudonyms/";
    public static final String SUBJECTS_PATH = "/v1/subjects/";
    public static final String ON_BEHALF_OF = "Quintet-On-Behalf-Of";
    private static final Logger LOG = LoggerFactory.getLogger(VaultLookupServer.class);
    private static final ObjectMapper MAPPER = CanonicalJson.newMapper();

    static final int WORKERS = 2;

    private final VertxServer server;
    private final Map<String, String> callersByToken;
    private final Function<String, Optional<Pii>> lookup;
    private final Function<String, Optional<String>> pseudonyms;
    private final Function<CanonicalEvent, CompletableFuture<?>> audit;
    private final Clock clock;

    /**
     * @param callersByToken bearer token to caller name
     * @param lookup         pseudonym to decrypted personal data
     * @param audit          publishes an audit event (to events.raw); the answer waits for it
     */
    public VaultLookupServer(
            int port,
            Map<String, String> callersByToken,
            Function<String, Optional<Pii>> lookup,
            Function<CanonicalEvent, CompletableFuture<?>> audit,
            Clock clock)
            throws IOException {
        this(port, callersByToken, lookup, subjectId -> Optional.empty(), audit, clock);
    }

    /** @param pseudonyms subject id to its pseudonym (for {@code GET /v1/subjects/{id}/pseudonym}) */
    public VaultLookupServer(
            int port,
            Map<String, String> callersByToken,
            Function<String, Optional<Pii>> lookup,
            Function<String, Optional<String>> pseudonyms,
            Function<CanonicalEvent, CompletableFuture<?>> audit,
            Clock clock)
            throws IOException {
        this.callersByToken = Map.copyOf(callersByToken);
        this.lookup = lookup;
        this.pseudonyms = pseudonyms;
        this.audit = audit;
        this.clock = clock;
        this.server = VertxServer.start("0.0.0.0", port, WORKERS, router -> {
            router.route(PATH + "*").blockingHandler(this::handle, false);
            router.route(SUBJECTS_PATH + "*").blockingHandler(this::handleSubject, false);
        });
    }

    public int port() {
        return server.port();
    }

    private void handle(RoutingContext ex) {
        try {
            Optional<String> caller = authorizedGet(ex);
            if (caller.isEmpty()) {
                return;
            }
            String path = new URI(ex.request().uri()).getPath();
            String pseudonym = path.length() < PATH.length() ? "" : path.substring(PATH.length());
            if (pseudonym.isEmpty() || pseudonym.contains("/")) {
                respond(ex, 404, error("no such pseudonym"));
                return;
            }
            Optional<Pii> pii = lookup.apply(pseudonym);
            if (!audited(ex, auditEvent(caller.get(), pseudonym, pii.isPresent()), "lookup", caller.get())) {
                return;
            }
            LOG.info("lookup by {}: {}", caller.get(), pii.isPresent() ? "found" : "not found");
            if (pii.isEmpty()) {
                respond(ex, 404, error("no such pseudonym (unknown or erased)"));
                return;
            }
            ObjectNode body = MAPPER.createObjectNode();
            body.put("pseudonym", pseudonym);
            body.put("subject_id", pii.get().subjectId());
            body.set("fields", MAPPER.valueToTree(pii.get().fields()));
            respond(ex, 200, MAPPER.writeValueAsBytes(body));
        } catch (URISyntaxException e) {
            respond(ex, 400, error("the request path is not a valid URI"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handleSubject(RoutingContext ex) {
        try {
            Optional<String> caller = authorizedGet(ex);
            if (caller.isEmpty()) {
                return;
            }
            String rawPath = new URI(ex.request().uri()).getRawPath();
            String rest = rawPath.length() < SUBJECTS_PATH.length() ? "" : rawPath.substring(SUBJECTS_PATH.length());
            if (!rest.endsWith("/pseudonym")
                    || rest.length() == "/pseudonym".length()
                    || rest.substring(0, rest.length() - "/pseudonym".length()).contains("/")) {
                respond(ex, 404, error("use /v1/subjects/{subjectId}/pseudonym"));
                return;
            }
            String subjectId = java.net.URLDecoder.decode(
                    rest.substring(0, rest.length() - "/pseudonym".length()), StandardCharsets.UTF_8);
            String onBehalfOf = ex.request().getHeader(ON_BEHALF_OF);
            Optional<String> pseudonym = pseudonyms.apply(subjectId);
            CanonicalEvent event = auditEvent(
                    caller.get(), pseudonym.orElse("unknown"), pseudonym.isPresent(), "subject_pseudonym", onBehalfOf);
            if (!audited(ex, event, "subject lookup", caller.get())) {
                return;
            }
            LOG.info("subject lookup by {}: {}", caller.get(), pseudonym.isPresent() ? "found" : "not found");
            if (pseudonym.isEmpty()) {
                respond(ex, 404, error("no such subject (unknown or erased)"));
                return;
            }
            ObjectNode body = MAPPER.createObjectNode();
            body.put("subject_id", subjectId);
            body.put("pseudonym", pseudonym.get());
            respond(ex, 200, MAPPER.writeValueAsBytes(body));
        } catch (IllegalArgumentException e) { // a malformed percent-encoding
            respond(ex, 400, error("the subject id is not validly percent-encoded"));
        } catch (URISyntaxException e) {
            respond(ex, 400, error("the request path is not a valid URI"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The caller of a GET with a valid bearer token; otherwise answers 405 or 401 and returns empty. */
    private Optional<String> authorizedGet(RoutingContext ex) {
        if (ex.request().method() != HttpMethod.GET) {
            respond(ex, 405, error("only GET"));
            return Optional.empty();
        }
        Optional<String> caller = caller(ex.request().getHeader("Authorization"));
        if (caller.isEmpty()) {
            ex.response().putHeader("WWW-Authenticate", "Bearer");
            respond(ex, 401, error("a valid bearer token is required"));
        }
        return caller;
    }

    /**
     * Records the lookup's audit event before anything is answered; when it cannot be recorded, answers 503 and
     * returns false (no lookup without its audit record).
     */
    private boolean audited(RoutingContext ex, CanonicalEvent event, String what, String caller) {
        try {
            audit.apply(event).join();
            return true;
        } catch (RuntimeException e) {
            LOG.error(
                    "{} by {} refused: its audit event could not be recorded ({})",
                    what,
                    caller,
                    e.getClass().getSimpleName());
            respond(ex, 503, error("the lookup could not be audited; try again"));
            return false;
        }
    }

    private Optional<String> caller(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return Optional.empty();
        }
        byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        for (Map.Entry<String, String> e : callersByToken.entrySet()) {
            if (MessageDigest.isEqual(given, e.getKey().getBytes(StandardCharsets.UTF_8))) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    private CanonicalEvent auditEvent(String caller, String pseudonym, boolean found) {
        return auditEvent(caller, pseudonym, found, "pseudonym_pii", null);
    }

    private CanonicalEvent auditEvent(String caller, String pseudonym, boolean found, String kind, String onBehalfOf) {
        var now = clock.instant();
        Map<String, Object> attributes = new java.util.LinkedHashMap<>();
        attributes.put("quintet.lookup.found", found);
        attributes.put("quintet.lookup.kind", kind);
        if (onBehalfOf != null && !onBehalfOf.isBlank()) {
            attributes.put(
                    "quintet.lookup.on_behalf_of",
                    onBehalfOf.length() > 200 ? onBehalfOf.substring(0, 200) : onBehalfOf);
        }
        return CanonicalEvent.builder()
                .id(UUID.randomUUID().toString())
                .eventTimestamp(now)
                .observedTimestamp(now)
                .source(EraseSubjectStep.SOURCE + "/lookup")
                .action(new Action(ACTION, "access"))
                .actor(Actor.of(caller, Actor.SERVICE))
                .entity(Entity.of(pseudonym, "pseudonym"))
                .context(Context.EMPTY.withAttributes(attributes).withStatus(Context.Status.SUCCESS))
                .build();
    }

    private static byte[] error(String message) {
        return ("{\"error\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static void respond(RoutingContext ex, int status, byte[] body) {
        ex.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(body));
    }

    @Override
    public void close() {
        server.close();
    }
}
