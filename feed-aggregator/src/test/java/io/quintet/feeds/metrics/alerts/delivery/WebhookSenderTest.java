package io.quintet.feeds.metrics.alerts.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which answers of a real local HTTP server are retried, and which end the delivery. */
class WebhookSenderTest {
    HttpServer server;
    final AtomicInteger requests = new AtomicInteger();

    WebhookDestination serve(Integer... statuses) throws IOException {
        Iterator<Integer> answers = List.of(statuses).iterator();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            requests.incrementAndGet();
            exchange.sendResponseHeaders(answers.hasNext() ? answers.next() : 200, -1);
            exchange.close();
        });
        server.start();
        return new WebhookDestination(
                "test",
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"),
                "whsec-unit-0123456789".getBytes(StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    WebhookSender.Outcome deliver(WebhookDestination d, int maxAttempts) throws InterruptedException {
        Backoff backoff = new Backoff(Duration.ofMillis(10), Duration.ofMillis(20), maxAttempts);
        return new WebhookSender(
                        HttpClient.newHttpClient(),
                        backoff,
                        Duration.ofSeconds(5),
                        Clock.systemUTC(),
                        new SplittableRandom(1))
                .deliver(d, "alert-1", "{}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void tooManyRequestsAndTimeoutAnswersAreRetriedUntilAccepted() throws Exception {
        WebhookSender.Outcome outcome = deliver(serve(429, 408, 502, 202), 5);
        assertThat(outcome).isEqualTo(new WebhookSender.Delivered(4, 202));
        assertThat(requests).hasValue(4);
    }

    @Test
    void aClientErrorIsARejectionThatIsNotRetried() throws Exception {
        WebhookSender.Outcome outcome = deliver(serve(401), 5);
        assertThat(outcome).isEqualTo(new WebhookSender.Failed(1, "rejected", "HTTP 401"));
        assertThat(requests).hasValue(1);
    }

    @Test
    void aReceiverThatCannotBeReachedExhaustsTheAttempts() throws Exception {
        WebhookDestination d = serve();
        server.stop(0);
        server = null;
        WebhookSender.Outcome outcome = deliver(d, 3);
        assertThat(outcome).isInstanceOfSatisfying(WebhookSender.Failed.class, f -> {
            assertThat(f.attempts()).isEqualTo(3);
            assertThat(f.reason()).isEqualTo("retries_exhausted");
            assertThat(f.detail()).isEqualTo("ConnectException");
        });
    }
}
