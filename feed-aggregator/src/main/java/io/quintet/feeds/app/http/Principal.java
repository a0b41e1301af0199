package io.quintet.feeds.app.http;

import java.time.Instant;

/** Who a request comes from, as its credentials proved; decides what it may read and mark. */
public sealed interface Principal {

    /** Whether this principal may use {@code scope}. */
    boolean has(Scope scope);

    /** A name for logs and audit (a key id, or the reader a token is bound to; never a secret). */
    String name();

    /** 403 unless this principal has {@code scope}. */
    default void require(Scope scope) {
        if (!has(scope)) {
            throw ApiException.forbidden("forbidden_scope", "this credential lacks the scope '" + scope.id() + "'");
        }
    }

    /**
     * 403 unless this principal may read ({@code write} false) or mark ({@code write} true) {@code reader}'s feeds: a
     * key with {@code feeds:read-any} / {@code feeds:write-any}, or a token bound to that reader.
     */
    default void requireReader(String reader, boolean write) {
        if (this instanceof ReaderToken t) {
            if (!t.reader().equals(reader)) {
                throw ApiException.forbidden("forbidden_reader", "this token is bound to another reader's feed");
            }
            return;
        }
        require(write ? Scope.FEEDS_WRITE_ANY : Scope.FEEDS_READ_ANY);
    }

    /** A request with an API key. */
    record Key(ApiKey key) implements Principal {
        @Override
        public boolean has(Scope scope) {
            return key.scopes().contains(scope);
        }

        @Override
        public String name() {
            return "key:" + key.id();
        }
    }

    /** A request with a per-user token: reads and marks only {@code reader}'s feeds, until {@code expiresAt}. */
    record ReaderToken(String reader, Instant expiresAt, String issuedBy) implements Principal {
        @Override
        public boolean has(Scope scope) {
            return false;
        }

        @Override
        public String name() {
            return "token:" + issuedBy;
        }
    }

    /** Authentication is off ({@code http.auth.enabled=false}) or the path is public: everything is allowed. */
    record Open() implements Principal {
        @Override
        public boolean has(Scope scope) {
            return true;
        }

        @Override
        public String name() {
            return "open";
        }
    }
}
