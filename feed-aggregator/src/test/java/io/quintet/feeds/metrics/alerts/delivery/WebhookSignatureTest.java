package io.quintet.feeds.metrics.alerts.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    @Test
    void theSignatureHeaderIsTheHmacSha256OfTimestampDotBodyAsOpensslComputesIt() {
        // printf '%s' '1733280000.{"id":"a1"}' | openssl dgst -sha256 -hmac 'whsec-test-0123456789abcdef' -hex
        String header = WebhookSignature.header(
                "whsec-test-0123456789abcdef".getBytes(StandardCharsets.UTF_8),
                1733280000L,
                "{\"id\":\"a1\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(header)
                .isEqualTo("t=1733280000,v1=c3480cc7ab2523a5d63b9c04c650c1d249e368315e605ceb9eb51967d71bb9e0");
    }

    @Test
    void aDifferentTimestampGivesADifferentSignatureSoTheTimestampCannotBeSwapped() {
        byte[] secret = "whsec-test-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookSignature.header(secret, 1L, body).substring(5))
                .isNotEqualTo(WebhookSignature.header(secret, 2L, body).substring(5));
    }
}
