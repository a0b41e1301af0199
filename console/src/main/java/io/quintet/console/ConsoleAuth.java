package io.quintet.console;

import io.quintet.support.auth.HashedApiKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may use the console: the API keys of {@code auth.api.keys}, in the feed API's format
 * ({@code id:sha256-hex:scope|scope}, {@link HashedApiKey}), with the scopes {@value #READ} (every page and read API)
 * and {@value #REPLAY} (dead-letter replay). A browser logs in once with its key and then holds a server-side session
 * (a random 256-bit id in an HttpOnly, SameSite=Strict cookie, forgotten at logout, at expiry and at restart); an API
 * client may instead send the key on every request as {@code Authorization: Bearer KEY}.
 */
final class ConsoleAuth {
    static final String READ = "console:read";
    static final String REPLAY = "console:replay";
    static final Set<String> SCOPES = Set.of(READ, REPLAY);
    static final String COOKIE = "quintet_console_session";
    /** Sessions held at most; a login beyond that first drops the expired ones, then is refused (503). */
    static final int MAX_SESSIONS = 10_000;

    /** An authenticated caller: the key's id, its console scopes and when this session ends (null for a bearer key). */
    record Caller(String keyId, Set<String> scopes, Instant expires) {
        boolean may(String scope) {
            return scopes.contains(scope);
        }
    }

    /** A request the console refuses: 401 (no or a wrong credential) or 403 (a key without the scope). */
    static final class Denied extends RuntimeException {
        private final int status;
        private final String code;

        Denied(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }

        int status() {
            return status;
        }

        String code() {
            return code;
        }
    }

    private final boolean enabled;
    private final List<HashedApiKey> keys;
    private final Duration ttl;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Caller> sessions = new ConcurrentHashMap<>();

    ConsoleAuth(boolean enabled, List<HashedApiKey> keys, Duration ttl, Clock clock) {
        this.enabled = enabled;
        this.keys = List.copyOf(keys);
        this.ttl = ttl;
        this.clock = clock;
    }

    boolean enabled() {
        return enabled;
    }

    Duration ttl() {
        return ttl;
    }

    /**
     * The caller of a request: its bearer key if it sends one (checked, never falls back to the cookie), else its
     * session; 401 when it has neither or they are not valid.
     */
    Caller authenticate(String authorization, String sessionId) {
        if (!enabled) {
            return new Caller("(auth disabled)", SCOPES, null);
        }
        if (authorization != null) {
            String key = HashedApiKey.bearer(authorization)
                    .orElseThrow(() -> new Denied(401, "invalid_header", "Authorization must be 'Bearer <API key>'"));
            return caller(key, null);
        }
        if (sessionId != null) {
            Caller c = sessions.get(sessionId);
            if (c != null && c.expires().isAfter(clock.instant())) {
                return c;
            }
            if (c != null) {
                sessions.remove(sessionId);
            }
            throw new Denied(401, "session_expired", "the session has expired or ended: log in again");
        }
        throw new Denied(
                401, "unauthenticated", "log in with an API key (/login) or send 'Authorization: Bearer <API key>'");
    }

    /** 403 unless the caller has the scope. */
    static void require(Caller caller, String scope) {
        if (!caller.may(scope)) {
            throw new Denied(403, "forbidden_scope", "the API key '" + caller.keyId() + "' lacks the scope " + scope);
        }
    }

    /** Logs in with a key that has {@value #READ}: a new session, by its id. */
    Map.Entry<String, Caller> login(String key) {
        if (key == null || key.isBlank()) {
            throw new Denied(401, "unauthenticated", "enter an API key");
        }
        Instant now = clock.instant();
        Caller c = caller(key.trim(), now.plus(ttl));
        require(c, READ);
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.values().removeIf(s -> !s.expires().isAfter(now));
            if (sessions.size() >= MAX_SESSIONS) {
                throw new Denied(503, "too_many_sessions", "too many open sessions: try again later");
            }
        }
        byte[] id = new byte[32];
        random.nextBytes(id);
        String sessionId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        sessions.put(sessionId, c);
        return Map.entry(sessionId, c);
    }

    void logout(String sessionId) {
        if (sessionId != null) {
            sessions.remove(sessionId);
        }
    }

    int sessions() {
        return sessions.size();
    }

    private Caller caller(String key, Instant expires) {
        HashedApiKey k = HashedApiKey.match(keys, HashedApiKey::sha256, key)
                .orElseThrow(() -> new Denied(401, "invalid_key", "unknown API key"));
        Set<String> scopes = k.scopes().stream().filter(SCOPES::contains).collect(java.util.stream.Collectors.toSet());
        return new Caller(k.id(), scopes, expires);
    }

    /** Whether this service knows a scope: its own ({@code console:*}), or one of another namespace (the feed API's). */
    static boolean knownScope(String scope) {
        return SCOPES.contains(scope) || !scope.startsWith("console:") && scope.contains(":");
    }

    static final String SCOPES_HELP =
            READ + ", " + REPLAY + " (scopes of other services, e.g. feeds:read-any, are allowed and ignored here)";
}
