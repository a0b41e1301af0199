package io.quintet.feeds.metrics.alerts.delivery;

import java.net.URI;
import java.util.Arrays;

/**
 * One webhook an alert is POSTed to, with the secret its signature is made with. The secret never comes from the rules
 * file in clear (see {@link DeliveryRoutes}); it and the URL's path (which may hold a token) are left out of
 * {@link #toString()}.
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
        return o instanceof WebhookDestination d
                && d.id.equals(id)
                && d.url.equals(url)
                && Arrays.equals(d.secret, secret);
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + url.hashCode();
    }

    @Override
    public String toString() {
        // scheme and host only: some webhook URLs carry a token in their path (Slack, Teams)
        return "WebhookDestination[" + id + " -> " + url.getScheme() + "://" + url.getHost() + "]";
    }
}
