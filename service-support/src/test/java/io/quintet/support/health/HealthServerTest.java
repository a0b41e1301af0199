package io.quintet.support.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HealthServerTest {

    @Test
    void answersTheProbesStatusOverRealHttp() throws Exception {
        AtomicReference<HealthServer.Status> ready = new AtomicReference<>(HealthServer.Status.down("REBALANCING"));
        try (HealthServer server =
                HealthServer.start("127.0.0.1", 0, () -> HealthServer.Status.up("RUNNING"), ready::get)) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port();
            HttpResponse<String> live = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> notReady = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
            ready.set(HealthServer.Status.up("RUNNING"));
            HttpResponse<String> nowReady = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).contains("\"DOWN\"").contains("REBALANCING");
            assertThat(nowReady.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void servesPrometheusMetricsAtSlashMetricsWhenGivenThemAndNotOtherwise() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (HealthServer with = HealthServer.start(
                        "127.0.0.1",
                        0,
                        () -> HealthServer.Status.up("ok"),
                        () -> HealthServer.Status.up("ok"),
                        () -> "# TYPE quintet_up gauge\nquintet_up 1\n");
                HealthServer without = HealthServer.start(
                        "127.0.0.1", 0, () -> HealthServer.Status.up("ok"), () -> HealthServer.Status.up("ok"))) {
            HttpResponse<String> metrics = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + with.port() + "/metrics"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> none = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + without.port() + "/metrics"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type"))
                    .hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(metrics.body()).isEqualTo("# TYPE quintet_up gauge\nquintet_up 1\n");
            assertThat(none.statusCode()).isEqualTo(404);
        }
    }

    @Test
    void answersOnlyGetAndReportsAFailingProbeAsDown() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (HealthServer server = HealthServer.start("127.0.0.1", 0, () -> HealthServer.Status.up("ok"), () -> {
            throw new IllegalStateException("no state yet");
        })) {
            String base = "http://127.0.0.1:" + server.port();
            HttpResponse<String> post = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/healthz"))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> failing = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(failing.statusCode()).isEqualTo(503);
            assertThat(failing.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(failing.body())
                    .isEqualTo("{\"status\":\"DOWN\",\"detail\":\"probe failed: IllegalStateException\"}\n");
        }
    }
}
