package io.quintet.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class WriteKeyAuthenticatorTest {
    static WriteKey key(String id, String secret, String... sources) {
        return new WriteKey(id, WriteKeyAuthenticator.sha256(secret), List.of(sources), false);
    }

    @Test
    void findsTheKeyWhoseDigestMatchesAndNoOther() {
        WriteKeyAuthenticator auth = new WriteKeyAuthenticator(
                List.of(key("web", "secret-web", "web-app"), key("billing", "secret-billing", "billing-service")));

        assertThat(auth.find("secret-billing")).map(WriteKey::id).contains("billing");
        assertThat(auth.find("secret-web")).map(WriteKey::id).contains("web");
        assertThat(auth.find("secret-webx")).isEmpty();
        assertThat(auth.find("")).isEmpty();
    }

    @Test
    void digestIsSha256HexAsConfigurationStoresIt() {
        // echo -n abc | sha256sum
        assertThat(WriteKeyAuthenticator.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(WriteKeyAuthenticator.newKey())
                .startsWith("qk_")
                .hasSize(46)
                .isNotEqualTo(WriteKeyAuthenticator.newKey());
    }

    @Test
    void readsBearerAndBasicWithTheKeyAsUserName() {
        String segmentStyle = "Basic " + Base64.getEncoder().encodeToString("abc123:".getBytes(StandardCharsets.UTF_8));
        assertThat(segmentStyle).isEqualTo("Basic YWJjMTIzOg=="); // the example in Segment's docs
        assertThat(WriteKeyAuthenticator.fromAuthorizationHeader(segmentStyle)).contains("abc123");
        assertThat(WriteKeyAuthenticator.fromAuthorizationHeader("Basic YWJjMTIz"))
                .contains("abc123"); // no colon
        assertThat(WriteKeyAuthenticator.fromAuthorizationHeader("Bearer qk_123"))
                .contains("qk_123");
        assertThat(WriteKeyAuthenticator.fromAuthorizationHeader("bearer   qk_123 "))
                .contains("qk_123");
        assertThat(WriteKeyAuthenticator.fromAuthorizationHeader("Basic !!!")).isEmpty();
        assertThat(WriteKeyAuthenticator.fromAuthorizationHeader("Digest x")).isEmpty();
        assertThat(WriteKeyAuthenticator.fromAuthorizationHeader(null)).isEmpty();
    }

    @Test
    void sourcesAreExactOrPrefixWildcards() {
        WriteKey k = key("auth", "s", "https://auth.example.com/*", "auth-service");
        assertThat(k.allows("https://auth.example.com/login")).isTrue();
        assertThat(k.allows("auth-service")).isTrue();
        assertThat(k.allows("auth-service-2")).isFalse();
        assertThat(k.allows("https://auth.example.org/login")).isFalse();
        assertThat(k.allows(null)).isFalse();
        assertThat(k.primarySource()).contains("auth-service");
        assertThat(key("any", "s", "*").allows("whatever")).isTrue();
        assertThat(key("any", "s", "*").primarySource()).isEmpty();
    }
}
