package io.quintet.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressResolverTest {
    final ClientAddressResolver resolver = new ClientAddressResolver(List.of("10.0.0.0/8", "192.168.1.5", "fd00::/8"));

    @Test
    void anUntrustedPeerIsTheClientWhateverTheHeaderSays() {
        assertThat(resolver.resolve("203.0.113.7", "1.2.3.4")).isEqualTo("203.0.113.7");
        assertThat(resolver.resolve("10.1.1.1", null)).isEqualTo("10.1.1.1");
    }

    @Test
    void walksTrustedHopsFromTheRight() {
        assertThat(resolver.resolve("10.0.0.2", "198.51.100.1, 203.0.113.9, 192.168.1.5"))
                .isEqualTo("203.0.113.9");
        assertThat(resolver.resolve("fd00::1", "2001:db8::7")).isEqualTo("2001:db8::7");
        // every hop trusted: the left-most is the best we know
        assertThat(resolver.resolve("10.0.0.2", "10.9.9.9, 10.0.0.3")).isEqualTo("10.9.9.9");
    }

    @Test
    void anUnreadableHopStopsTheWalk() {
        assertThat(resolver.resolve("10.0.0.2", "203.0.113.9, unknown")).isEqualTo("10.0.0.2");
        assertThat(resolver.resolve("10.0.0.2", "evil.example.com")).isEqualTo("10.0.0.2");
    }

    @Test
    void rejectsConfigurationThatIsNotAnAddress() {
        assertThatThrownBy(() -> new ClientAddressResolver(List.of("proxy.internal")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientAddressResolver(List.of("10.0.0.0/33")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
