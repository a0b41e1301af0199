package io.quintet.enricher.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quintet.model.EventDecodingException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileSerdeTest {

    @Test
    void plainTraitsAreTheCompleteProfile() {
        ProfileChange c = ProfileSerde.readChange(bytes("{\"traits\":{\"plan\":\"pro\",\"locale\":\"en-GB\"}}"));
        assertThat(c.traits()).containsEntry("plan", "pro").containsEntry("locale", "en-GB");
        assertThat(c.replace()).isTrue();
    }

    @Test
    void theGatewaysIdentifyEventIsAPartialChangeOfTheActorsTraits() {
        // what the ingest gateway writes to profiles for a Segment identify call (the value of a binary-mode
        // CloudEvent)
        ProfileChange c = ProfileSerde.readChange(bytes(event(
                "identity.profile.identified",
                "user-1",
                "user",
                "{\"plan\":\"enterprise\",\"country\":\"US\",\"role\":null}")));
        assertThat(c.traits())
                .containsEntry("plan", "enterprise")
                .containsEntry("country", "US")
                .containsEntry("role", null)
                .hasSize(3);
        assertThat(c.replace()).isFalse();
        assertThat(c.group()).isNull();
    }

    @Test
    void theGatewaysGroupEventAssociatesTheActorWithTheGroupAndItsTraits() {
        ProfileChange c = ProfileSerde.readChange(bytes(event(
                "identity.group.associated",
                "acme-corp",
                "group",
                "{\"plan\":\"enterprise\",\"industry\":\"retail\"}")));
        assertThat(c.group()).isEqualTo(new Group("acme-corp", Map.of("plan", "enterprise", "industry", "retail")));
        assertThat(c.traits()).isEmpty();
        assertThat(c.replace()).isFalse();
    }

    @Test
    void storedVersionsKeepStateAndChangeIncludingRemovals() {
        Map<String, Object> removal = new HashMap<>();
        removal.put("role", null);
        removal.put("plan", "pro");
        ProfileChange change = new ProfileChange(removal, new Group("acme-corp", Map.of("plan", "enterprise")), false);
        Profile p = change.applyTo(Profile.of(Map.of("role", "admin", "country", "DE")));
        ProfileSerde serde = new ProfileSerde();

        Profile back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", p));

        assertThat(back).isEqualTo(p);
        assertThat(back.traits()).isEqualTo(Map.of("plan", "pro", "country", "DE"));
        assertThat(back.change().traits()).containsEntry("role", null);
        assertThat(back.trait("group_id")).isEqualTo("acme-corp");
        assertThat(back.trait("group.plan")).isEqualTo("enterprise");
    }

    @Test
    void aStoredValueOfTheFormerFormatReadsAsACompleteProfile() {
        Profile p = new ProfileSerde().deserializer().deserialize("t", bytes("{\"traits\":{\"plan\":\"pro\"}}"));
        assertThat(p.traits()).isEqualTo(Map.of("plan", "pro"));
        assertThat(p.change().replace()).isTrue();
    }

    @Test
    void anythingElseIsATypedError() {
        assertThatThrownBy(() -> ProfileSerde.readChange(
                        bytes("{\"action\":{\"name\":\"identity.group.associated\"},\"entity\":{\"details\":{}}}")))
                .isInstanceOf(EventDecodingException.class); // a group call without a group id
        assertThatThrownBy(() -> ProfileSerde.readChange(bytes(
                        "{\"action\":{\"name\":\"identity.user.aliased\"},\"entity\":{\"id\":\"u\",\"details\":{}}}")))
                .isInstanceOf(EventDecodingException.class);
        assertThatThrownBy(() -> ProfileSerde.readChange(bytes("[1]"))).isInstanceOf(EventDecodingException.class);
        assertThatThrownBy(() -> ProfileSerde.readChange(bytes("{not json")))
                .isInstanceOf(EventDecodingException.class);
    }

    static String event(String action, String entityId, String entityType, String details) {
        return """
                {"id":"5b0e7a3c-9d8f-4a6e-b1c2-3d4e5f6a7b8c","event_timestamp":"2026-11-02T10:00:00Z",
                 "observed_timestamp":"2026-11-02T10:00:00Z","source":"web-app",
                 "action":{"name":"%s","type":"update"},
                 "actor":{"id":"user-1","type":"user"},
                 "entity":{"id":"%s","type":"%s","details":%s}}""".formatted(action, entityId, entityType, details);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
