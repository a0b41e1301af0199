package io.quintet.audit.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Ed25519Test {
    @Test
    void signaturesAreTheJdkProvidersBytesAndVerify() {
        SplittableRandom random = new SplittableRandom(7);
        for (int k = 0; k < 4; k++) {
            KeyPair pair = Ed25519.generate();
            for (int i = 0; i < 50; i++) {
                byte[] message = new byte[random.nextInt(0, 600)];
                random.nextBytes(message);
                byte[] signature = Ed25519.sign(pair.getPrivate(), message);
                assertThat(signature).hasSize(64).isEqualTo(Ed25519.jdkSign(pair.getPrivate(), message));
                assertThat(Ed25519.verify(pair.getPublic(), message, signature)).isTrue();
                if (message.length > 0) {
                    byte[] tampered = message.clone();
                    tampered[random.nextInt(tampered.length)] ^= 1;
                    assertThat(Ed25519.verify(pair.getPublic(), tampered, signature))
                            .isFalse();
                }
            }
        }
    }

    @Test
    void aKeyReadFromItsPkcs8BytesSignsTheSame() {
        KeyPair pair = Ed25519.generate();
        byte[] message = "checkpoint events.canonical/3 1000..1999".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var reread = Ed25519.privateKey(pair.getPrivate().getEncoded());
        assertThat(Ed25519.sign(reread, message)).isEqualTo(Ed25519.sign(pair.getPrivate(), message));
        assertThat(Ed25519.verify(pair.getPublic(), message, Ed25519.sign(reread, message)))
                .isTrue();
    }
}
