package io.quintet.feeds.metrics.alerts.delivery;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs one alert (a structured-mode CloudEvent) to one webhook, retrying with {@link Backoff}: a 2xx answer is a
 * delivery; a connection failure, a timeout, 408, 429 or 5xx is retried; any other answer is a rejection (not retried).
 * Each attempt carries {@code Idempotency-Key} (the alert event's id: the receiver drops repeats), a fresh
 * {@link WebhookSignature} and {@code Quintet-Delivery-Attempt}. Blocking: it runs on the delivery thread, never on a
 * stream thread.
 */
public final class WebhookSender {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
    public static final String CONTENT_TYPE = "application/cloudevents+json; charset=utf-8";
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    public static final String ATTEMPT = "Quintet-Delivery-Attempt";

    /** How a delivery ended. */
    public sealed interface Outcome {
        int attempts();
    }

    public record Delivered(int attempts, int status) implements Outcome {}

    /** @param reason {@code rejected} (a non-retryable answer) or {@code retries_exhausted} */
    public record Failed(int attempts, String reason, String detail) implements Outcome {}

    private final HttpClient client;
    private final Backoff backoff;
    private final Duration requestTimeout;
    private final Clock clock;
    private final RandomGenerator random;

    public WebhookSender(
            HttpClient client, Backoff backoff, Duration requestTimeout, Clock clock, RandomGenerator random) {
        this.client = client;
        this.backoff = backoff;
        this.requestTimeout = requestTimeout;
        this.clock = clock;
        this.random = random;
    }

    /**
     * @throws InterruptedException when the delivery thread is stopped mid-delivery: the alert is then neither
     *                              delivered nor dead-lettered, and is delivered again after a restart
     */
    public Outcome deliver(WebhookDestination destination, String idempotencyKey, byte[] body)
            throws InterruptedException {
        String detail = null;
        for (int attempt = 1; attempt <= backoff.maxAttempts(); attempt++) {
            if (attempt > 1) {
                Thread.sleep(backoff.delayAfter(attempt - 1, random).toMillis());
            }
            long t = clock.instant().getEpochSecond();
            HttpRequest request = HttpRequest.newBuilder(destination.url())
                    .timeout(requestTimeout)
                    .header("Content-Type", CONTENT_TYPE)
                    .header(IDEMPOTENCY_KEY, idempotencyKey)
                    .header(WebhookSignature.HEADER, WebhookSignature.header(destination.secret(), t, body))
                    .header(ATTEMPT, Integer.toString(attempt))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            try {
                HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return new Delivered(attempt, status);
                }
                detail = "HTTP " + status;
                if (!(status == 408 || status == 429 || status >= 500)) {
                    return new Failed(attempt, "rejected", detail);
                }
            } catch (IOException e) {
                detail = e.getClass().getSimpleName();
            }
            LOG.info(
                    "alert {} to destination {}: attempt {} of {} failed ({})",
                    idempotencyKey,
                    destination.id(),
                    attempt,
                    backoff.maxAttempts(),
                    detail);
        }
        return new Failed(backoff.maxAttempts(), "retries_exhausted", detail);
    }
}
