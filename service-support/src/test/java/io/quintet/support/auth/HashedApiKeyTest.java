package io.quintet.support.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HashedApiKeyTest {
    private static final Set<String> KNOWN = Set.of("feeds:read-any", "console:read");

    @Test
    void anEntryIsParsedToItsIdDigestAndScopesAndThePresentedKeyMatchesIt() {
        List<String> problems = new ArrayList<>();
        List<HashedApiKey> keys = HashedApiKey.parse(
                List.of("ops:" + HashedApiKey.sha256Hex("qfk_secret") + ":feeds:read-any|console:read", " "),
                KNOWN::contains,
                "feeds:read-any, console:read",
                problems);
        assertThat(problems).isEmpty();
        assertThat(keys).singleElement().satisfies(k -> {
            assertThat(k.id()).isEqualTo("ops");
            assertThat(k.scopes()).containsExactlyInAnyOrder("feeds:read-any", "console:read");
        });
        assertThat(HashedApiKey.match(keys, HashedApiKey::sha256, "qfk_secret")).contains(keys.get(0));
        assertThat(HashedApiKey.match(keys, HashedApiKey::sha256, "qfk_other")).isEmpty();
    }

    @Test
    void everyBadEntryIsReportedByItsIdWithoutItsDigest() {
        List<String> problems = new ArrayList<>();
        String digest = HashedApiKey.sha256Hex("k");
        List<HashedApiKey> keys = HashedApiKey.parse(
                List.of(
                        "nocolons",
                        "a:abc:console:read",
                        "b:" + digest + ":nope",
                        "c:" + digest + ":console:read",
                        "c:" + digest + ":console:read"),
                KNOWN::contains,
                "feeds:read-any, console:read",
                problems);
        assertThat(problems)
                .containsExactly(
                        "'nocolons': expected id:sha256-hex:scope|scope",
                        "'a': the second field must be the key's SHA-256 in hex (64 characters)",
                        "'b': unknown scope 'nope' (known: feeds:read-any, console:read)",
                        "'b': at least one scope is needed (feeds:read-any, console:read)",
                        "'c': key id configured twice");
        assertThat(String.join(" ", problems)).doesNotContain(digest);
        assertThat(keys).extracting(HashedApiKey::id).containsExactly("c", "c");
    }

    @Test
    void onlyABearerHeaderWithACredentialYieldsOne() {
        assertThat(HashedApiKey.bearer("Bearer  abc ")).contains("abc");
        assertThat(HashedApiKey.bearer("bearer abc")).contains("abc");
        assertThat(HashedApiKey.bearer("Basic abc")).isEmpty();
        assertThat(HashedApiKey.bearer("Bearer ")).isEmpty();
        assertThat(HashedApiKey.bearer(null)).isEmpty();
    }
}
