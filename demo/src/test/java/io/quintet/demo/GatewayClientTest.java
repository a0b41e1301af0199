package io.quintet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.json.CanonicalJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayClientTest {
    @Test
    void aBatchIsAJsonArrayOfTheEventsCanonicalJsonInOrder() throws Exception {
        LoadGenerator gen = new LoadGenerator(3, 40, Instant.parse("2026-11-02T08:00:00Z"), Duration.ofMillis(20));
        List<CanonicalEvent> batch = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            batch.add(gen.next());
        }
        ObjectMapper mapper = CanonicalJson.newMapper();
        JsonNode array = mapper.readTree(GatewayClient.eventsJson(batch));
        assertThat(array.isArray()).isTrue();
        assertThat(array.size()).isEqualTo(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            // the same JSON values as the tree the client sent before (read back the way the gateway reads a batch)
            assertThat(array.get(i))
                    .isEqualTo(mapper.readTree(mapper.writeValueAsString(CanonicalJson.toTree(batch.get(i)))));
            assertThat(CanonicalJson.fromTree(array.get(i)))
                    .isEqualTo(CanonicalJson.fromJson(CanonicalJson.toJson(batch.get(i))));
        }
    }

    @Test
    void anEmptyOrSingleBatchIsStillAnArray() throws Exception {
        assertThat(new String(GatewayClient.eventsJson(List.of()), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("[]");
        CanonicalEvent one =
                new LoadGenerator(1, 2, Instant.parse("2026-11-02T08:00:00Z"), Duration.ofMillis(20)).next();
        JsonNode array = CanonicalJson.newMapper().readTree(GatewayClient.eventsJson(List.of(one)));
        assertThat(array.size()).isEqualTo(1);
        assertThat(CanonicalJson.fromTree(array.get(0))).isEqualTo(CanonicalJson.fromJson(CanonicalJson.toJson(one)));
    }
}
