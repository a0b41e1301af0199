package io.quintet.enricher.profile;

import io.quintet.model.EventDecodingException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProfileSerdeTest {

    @Test
    void readsPlainTraits() {
        Profile p = ProfileSerde.read(bytes("{\"traits\":{\"plan\":\"pro\",\"locale\":\"en-GB\"}}"));
        assertThat(p.traits()).containsEntry("plan", "pro").containsEntry("locale", "en-GB");
    }

    @Test
    void readsTheGatewaysIdentifyEventAsTheActorsTraits() {
        // what the ingest gateway writes to profiles for a Segment identify call (the value of a binary-mode CloudEvent)
        String identify = """
                {"id":"5b0e7a3c-9d8f-4a6e-b1c2-3d4e5f6a7b8c","event_timestamp":"2026-11-02T10:00:00Z",
                 "observed_timestamp":"2026-11-02T10:00:00Z","source":"web-app",
                 "action":{"name":"identity.profile.identified","type":"update"},
                 "actor":{"id":"user-1","type":"user"},
                 "entity":{"id":"user-1","type":"user","details":{"plan":"enterprise","country":"US"}}}""";
        Profile p = ProfileSerde.read(bytes(identify));
        assertThat(p.traits()).containsEntry("plan", "enterprise").containsEntry("country", "US").hasSize(2);
    }

    @Test
    void anythingElseIsATypedError() {
        assertThatThrownBy(() -> ProfileSerde.read(bytes("{\"action\":{\"name\":\"identity.group.associated\"},\"entity\":{\"details\":{}}}")))
                .isInstanceOf(EventDecodingException.class);
        assertThatThrownBy(() -> ProfileSerde.read(bytes("[1]"))).isInstanceOf(EventDecodingException.class);
        assertThatThrownBy(() -> ProfileSerde.read(bytes("{not json"))).isInstanceOf(EventDecodingException.class);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
