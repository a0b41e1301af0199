package io.quintet.metrics.alerts.delivery;

import java.net.URI;
import java.util.Arrays;

/**
 * One webhook an alert is POSTed to, with the secret its signature is made with. The secret never comes from the rules
 * file in clear (see {@link DeliveryRoutes}) and is left out of {@link #toString()}.
 */
public record WebhookDestination(String id, URI url, byte[] secret) {

    public WebhookDestination {
        secret = secret.clone();
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WebhookDestination d && d.id.equals(id) && d.url.equals(url) && Arrays.equals(d.secret, secret);
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + url.hashCode();
    }

    @Override
    public String toString() {
        return "WebhookDestination[" + id + " -> " + url.getScheme() + "://" + url.getAuthority() + url.getPath() + "]";
    }
}
