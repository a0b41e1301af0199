package io.quintet.feeds.metrics.alerts.delivery;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook delivery (the GitHub/Stripe convention): header {@value #HEADER} =
 * {@code t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>}. The receiver recomputes it over the raw body
 * and the {@code t} it received, compares in constant time and rejects a {@code t} too far from its clock (replay).
 */
public final class WebhookSignature {
    public static final String HEADER = "Quintet-Signature";

    private WebhookSignature() {}

    public static String header(byte[] secret, long unixSeconds, byte[] body) {
        return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(hmac(secret, unixSeconds, body));
    }

    static byte[] hmac(byte[] secret, long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
        }
    }
}
