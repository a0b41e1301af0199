package io.quintet.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.model.fixtures.EventFixtures;
import io.quintet.model.json.CanonicalJson;
import io.quintet.model.otel.TraceParent;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventCompleterTest {
    static final Instant RECEIVED = Instant.parse("2026-11-02T10:00:00Z");
    final EventCompleter completer = new EventCompleter();
    final RequestMeta meta = new RequestMeta(
            RECEIVED,
            "192.0.2.10",
            "curl/8.5.0",
            TraceParent.parse("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));

    @Test
    void fillsWhatTheEventLacks() {
        ObjectNode e = (ObjectNode) CanonicalJson.toTree(EventFixtures.invoiceCreated());
        e.remove("id");
        e.remove("spec_version");
        completer.complete(e, meta);

        assertThat(UUID.fromString(e.get("id").asText())).isNotNull();
        assertThat(e.get("observed_timestamp").asText()).isEqualTo("2026-11-02T10:00:00Z");
        assertThat(e.get("spec_version").asText()).isEqualTo("2.0");
        assertThat(e.at("/context/client/ip_address").asText()).isEqualTo("192.0.2.10");
        assertThat(e.at("/context/client/user_agent").asText()).isEqualTo("curl/8.5.0");
        assertThat(e.at("/context/telemetry/trace_id").asText()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(e.at("/context/telemetry/span_id").asText()).isEqualTo("b7ad6b7169203331");
    }

    @Test
    void keepsWhatTheProducerSentExceptObservedTimestamp() {
        ObjectNode e = (ObjectNode) CanonicalJson.toTree(EventFixtures.login());
        completer.complete(e, meta);

        assertThat(e.get("id").asText()).isEqualTo(EventFixtures.login().id());
        assertThat(e.get("observed_timestamp").asText()).isEqualTo("2026-11-02T10:00:00Z");
        assertThat(e.at("/context/client/ip_address").asText()).isEqualTo(EventFixtures.ALICE_IP);
        assertThat(e.at("/context/telemetry/trace_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void leavesFieldsOfTheWrongTypeForTheValidator() {
        ObjectNode e = (ObjectNode) CanonicalJson.toTree(EventFixtures.login());
        e.put("context", "not an object");
        completer.complete(e, new RequestMeta(RECEIVED, "192.0.2.10", null, Optional.empty()));
        assertThat(e.get("context").asText()).isEqualTo("not an object");
    }
}
