package io.quintet.feeds.app.http;

import java.util.Optional;

/**
 * The pseudonym of a user id, asked of the enricher's PII vault through its access-controlled, audited lookup API
 * ({@link VaultSubjectLookup}); this service keeps no mapping of its own.
 */
public interface SubjectLookup {

    /**
     * @param subjectId the user id as producers send it
     * @param onBehalfOf who asked (an API key's name), recorded by the vault's audit event
     * @return the pseudonym, or empty when the vault knows no such subject (never seen, or erased)
     */
    Optional<String> pseudonymOf(String subjectId, String onBehalfOf);

    /** No vault configured: issuing a token by user id is refused (503). */
    static SubjectLookup none() {
        return (subjectId, onBehalfOf) -> {
            throw ApiException.unavailable("tokens by user id need the vault lookup (vault.lookup.url is not set); "
                    + "ask by reader pseudonym instead");
        };
    }
}
