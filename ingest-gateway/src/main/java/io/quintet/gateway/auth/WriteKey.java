package io.quintet.gateway.auth;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A configured write key: its public id (used in logs, metrics and rate limits), the SHA-256 of the secret (the
 * secret itself is never stored), the {@code source} values it may emit and whether it may request erasures.
 *
 * @param id           public name of the key, e.g. {@code web-app}
 * @param sha256       SHA-256 digest of the secret key
 * @param sources      allowed sources: exact values, {@code prefix*} for every source starting with prefix, or {@code *}
 * @param mayErase     whether the key may call {@code POST /v1/subjects/{id}/erasure}
 * @param organizationId the organisation (tenant) the key is bound to, or null: a bound key stamps it on events
 *                     without {@code organization_id} and may not publish events of another organisation
 */
public record WriteKey(String id, byte[] sha256, List<String> sources, boolean mayErase, String organizationId) {

    public WriteKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sha256, "sha256");
        sha256 = sha256.clone();
        sources = List.copyOf(sources);
    }

    /** A key bound to no organisation: events carry their own {@code organization_id}, or none. */
    public WriteKey(String id, byte[] sha256, List<String> sources, boolean mayErase) {
        this(id, sha256, sources, mayErase, null);
    }

    /** This key bound to {@code organization}. */
    public WriteKey boundTo(String organization) {
        return new WriteKey(id, sha256, sources, mayErase, organization);
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    /** Whether an event with this {@code source} may be published with this key. */
    public boolean allows(String source) {
        if (source == null) {
            return false;
        }
        for (String s : sources) {
            if (s.endsWith("*") ? source.startsWith(s.substring(0, s.length() - 1)) : s.equals(source)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The source given to events the gateway builds itself for this key (Segment calls, erasure requests): the first
     * configured source without a wildcard. In Segment a write key identifies one source, so this is its source.
     */
    public Optional<String> primarySource() {
        return sources.stream().filter(s -> !s.contains("*")).findFirst();
    }

    @Override
    public String toString() {
        return "WriteKey[" + id + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WriteKey k && k.id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
