package io.quintet.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quintet.support.auth.HashedApiKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ConsoleAuthTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-04T08:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    private ConsoleAuth auth() {
        List<String> problems = new ArrayList<>();
        List<HashedApiKey> keys = HashedApiKey.parse(
                List.of(
                        "ops:" + HashedApiKey.sha256Hex("k-ops") + ":console:read|console:replay|feeds:read-any",
                        "feeds:" + HashedApiKey.sha256Hex("k-feeds") + ":feeds:read-any"),
                ConsoleAuth::knownScope,
                ConsoleAuth.SCOPES_HELP,
                problems);
        assertThat(problems).isEmpty();
        return new ConsoleAuth(true, keys, Duration.ofMinutes(10), clock);
    }

    @Test
    void aSessionLastsItsLifetimeAndNotASecondLonger() {
        ConsoleAuth auth = auth();
        var session = auth.login("k-ops");
        assertThat(session.getKey()).hasSizeGreaterThanOrEqualTo(43); // 256 random bits, base64url
        now.set(now.get().plus(Duration.ofMinutes(10)).minusMillis(1));
        assertThat(auth.authenticate(null, session.getKey()).keyId()).isEqualTo("ops");
        now.set(now.get().plusMillis(1));
        assertThatThrownBy(() -> auth.authenticate(null, session.getKey()))
                .isInstanceOfSatisfying(
                        ConsoleAuth.Denied.class, d -> assertThat(d.code()).isEqualTo("session_expired"));
        assertThat(auth.sessions()).isZero();
    }

    @Test
    void aKeyKeepsOnlyItsConsoleScopesAndOneWithoutReadCannotLogIn() {
        ConsoleAuth auth = auth();
        assertThat(auth.authenticate("Bearer k-ops", null).scopes())
                .isEqualTo(Set.of(ConsoleAuth.READ, ConsoleAuth.REPLAY));
        assertThatThrownBy(() -> auth.login("k-feeds")).isInstanceOfSatisfying(ConsoleAuth.Denied.class, d -> {
            assertThat(d.status()).isEqualTo(403);
            assertThat(d.getMessage()).contains("console:read");
        });
        assertThat(auth.sessions()).isZero();
    }

    @Test
    void aBearerHeaderIsCheckedAndNeverFallsBackToTheCookie() {
        ConsoleAuth auth = auth();
        String session = auth.login("k-ops").getKey();
        assertThatThrownBy(() -> auth.authenticate("Bearer wrong", session))
                .isInstanceOfSatisfying(
                        ConsoleAuth.Denied.class, d -> assertThat(d.code()).isEqualTo("invalid_key"));
        assertThatThrownBy(() -> auth.authenticate("Basic abc", session))
                .isInstanceOfSatisfying(
                        ConsoleAuth.Denied.class, d -> assertThat(d.code()).isEqualTo("invalid_header"));
        auth.logout(session);
        assertThatThrownBy(() -> auth.authenticate(null, session))
                .isInstanceOfSatisfying(
                        ConsoleAuth.Denied.class, d -> assertThat(d.code()).isEqualTo("session_expired"));
        assertThatThrownBy(() -> auth.authenticate(null, null))
                .isInstanceOfSatisfying(
                        ConsoleAuth.Denied.class, d -> assertThat(d.code()).isEqualTo("unauthenticated"));
    }
}
