package io.quintet.feeds.metrics;

import static io.quintet.feeds.stream.TestEvents.T0;
import static io.quintet.feeds.stream.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quintet.feeds.app.http.Forwarder;
import io.quintet.feeds.app.http.HttpApi;
import io.quintet.feeds.app.http.KeyRouting;
import io.quintet.feeds.stream.JsonSerde;
import io.quintet.feeds.stream.TopologyFixture;
import io.quintet.model.Context.Status;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The live query of the open window, over real HTTP, against the window store of the topology under test. */
class MetricsHttpTest {
    TopologyFixture fx;
    HttpApi http;
    Vertx vertx;
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        start(MetricsTopologyTest.ONE_MINUTE);
    }

    void start(MetricsSettings settings) {
        fx = new TopologyFixture(
                TopologyFixture.part((builder, events) -> MetricsTopology.addTo(builder, events, settings, "metrics")));
        MetricsQueries queries = new MetricsQueries(settings, name -> fx.driver.getWindowStore(name));
        vertx = Vertx.vertx();
        http = new HttpApi(
                vertx,
                new InetSocketAddress("127.0.0.1", 0),
                Map.of(MetricsRoutes.PREFIX, new MetricsRoutes(queries, KeyRouting.local(), new Forwarder(vertx))));
    }

    @AfterEach
    void stop() {
        http.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        fx.close();
    }

    HttpResponse<String> get(String pathAndQuery) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + pathAndQuery))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theOpenWindowOfASeriesIsServedBeforeItCloses() throws Exception {
        fx.send(event("1", "auth.user.login_failed", "p-1", "auth", T0.plusSeconds(61), Status.FAILURE, 12.0, null));
        fx.send(event("2", "auth.user.login_failed", "p-2", "auth", T0.plusSeconds(62), Status.FAILURE, 14.0, null));
        fx.send(event("3", "auth.user.login_succeeded", "p-2", "auth", T0.plusSeconds(63), Status.SUCCESS, 9.0, null));

        HttpResponse<String> r = get("/metrics/current?window=1m&dimension=action&value=auth.user.login_failed");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = JsonSerde.mapper().readTree(r.body());
        assertThat(body.get("count").asLong()).isEqualTo(2);
        assertThat(body.get("failures").asLong()).isEqualTo(2);
        assertThat(body.get("distinct_actors").asLong()).isEqualTo(2);
        assertThat(body.get("final").asBoolean()).isFalse();
        assertThat(body.get("window_start").asText())
                .isEqualTo(T0.plusSeconds(60).toString());

        JsonNode all = JsonSerde.mapper()
                .readTree(get("/metrics/current?window=1m&dimension=source").body());
        assertThat(all.get("series")).hasSize(1);
        assertThat(all.get("series").get(0).get("value").asText()).isEqualTo("auth");
        assertThat(all.get("series").get(0).get("count").asLong()).isEqualTo(3);
    }

    @Test
    void unknownSeriesWindowsAndDimensionsAreClientErrors() throws Exception {
        assertThat(get("/metrics/current?window=1m&dimension=action&value=nothing.here.yet")
                        .statusCode())
                .isEqualTo(404);
        assertThat(get("/metrics/current?window=7m&dimension=action").statusCode())
                .isEqualTo(400);
        assertThat(get("/metrics/current?window=1m&dimension=planet").statusCode())
                .isEqualTo(400);
        assertThat(get("/metrics/elsewhere").statusCode()).isEqualTo(404);
    }

    @Test
    void withoutPerOrganizationAnOrganizationFilterIsA400NamingTheSetting() throws Exception {
        var r = get("/metrics/current?window=1m&dimension=action&organization_id=org-acme");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body())
                .contains("organization_id")
                .contains("metrics.per.organization=false")
                .contains("warm store");
    }

    @Test
    void anOrganizationFilterAnswersThatOrganisationsSeriesOnly() throws Exception {
        stop();
        start(MetricsTopologyTest.ONE_MINUTE.withPerOrganization(true));
        fx.send(event("1", "auth.user.login_failed", "p-1", "auth", T0.plusSeconds(61), Status.FAILURE, null, null)
                .withOrganizationId("org-acme"));
        fx.send(event("2", "auth.user.login_failed", "p-2", "auth", T0.plusSeconds(62), Status.FAILURE, null, null)
                .withOrganizationId("org-beta"));
        fx.send(event("3", "auth.user.login_failed", "p-3", "auth", T0.plusSeconds(63), Status.FAILURE, null, null)
                .withOrganizationId("org-acme"));

        JsonNode acme = JsonSerde.mapper()
                .readTree(get("/metrics/current?window=1m&dimension=action&value=auth.user.login_failed"
                                + "&organization_id=org-acme")
                        .body());
        assertThat(acme.get("count").asLong()).isEqualTo(2);
        assertThat(acme.get("organization_id").asText()).isEqualTo("org-acme");
        assertThat(acme.get("series").asText()).isEqualTo("1m/action/auth.user.login_failed@org-acme");
        JsonNode every = JsonSerde.mapper()
                .readTree(get("/metrics/current?window=1m&dimension=action&value=auth.user.login_failed")
                        .body());
        assertThat(every.get("count").asLong()).isEqualTo(3);
        assertThat(every.has("organization_id")).isFalse();

        JsonNode beta = JsonSerde.mapper()
                .readTree(get("/metrics/current?window=1m&dimension=source&organization_id=org-beta")
                        .body());
        assertThat(beta.get("organization_id").asText()).isEqualTo("org-beta");
        assertThat(beta.get("series")).hasSize(1);
        assertThat(beta.get("series").get(0).get("count").asLong()).isEqualTo(1);
        JsonNode sources = JsonSerde.mapper()
                .readTree(get("/metrics/current?window=1m&dimension=source").body());
        assertThat(sources.get("series"))
                .as("the series over every organisation only")
                .hasSize(1);
        assertThat(sources.get("series").get(0).get("count").asLong()).isEqualTo(3);

        var none = get("/metrics/current?window=1m&dimension=action&value=auth.user.login_failed"
                + "&organization_id=org-gamma");
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(none.body()).contains("org-gamma");
        var malformed = get("/metrics/current?window=1m&dimension=action&organization_id=org%20acme");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("query parameter organization_id").contains("org acme");
    }
}
