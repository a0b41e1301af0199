package io.quintet.gateway.segment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quintet.gateway.ingest.Candidate;
import io.quintet.gateway.ingest.Destination;
import io.quintet.gateway.ingest.ErrorCode;
import io.quintet.gateway.segment.SegmentTranslator.CallType;
import io.quintet.gateway.segment.SegmentTranslator.Envelope;
import io.quintet.model.Action;
import io.quintet.model.fixtures.ProducerPayloads;
import io.quintet.model.json.CanonicalJson;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SegmentTranslatorTest {
    static final ObjectMapper JSON = CanonicalJson.newMapper();
    static final Instant RECEIVED = Instant.parse("2026-11-02T12:00:00Z");
    static final String SOURCE = "https://shop.example.com";
    final SegmentTranslator translator = new SegmentTranslator(SegmentSettings.defaults()
            .withAliases(Map.of(
                    "Order Completed",
                    new Action("commerce.order.completed", "create"),
                    "Signed Up",
                    new Action("account.user.signed_up", null))));

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    Candidate.Event event(String message, CallType type) {
        Candidate c = translator.translate(3, json(message), type, Envelope.none(), SOURCE, RECEIVED);
        assertThat(c).isInstanceOf(Candidate.Event.class);
        return (Candidate.Event) c;
    }

    Candidate.Rejected rejected(String message, CallType type) {
        Candidate c = translator.translate(0, json(message), type, Envelope.none(), SOURCE, RECEIVED);
        assertThat(c).isInstanceOf(Candidate.Rejected.class);
        return (Candidate.Rejected) c;
    }

    @Test
    void trackMapsEveryDocumentedField() {
        Candidate.Event c = event("""
                {"userId": "u-42", "anonymousId": "anon-7", "event": "Order Completed", "messageId": "ajs-1",
                 "properties": {"order_id": "o-1", "total": 30.10},
                 "context": {"ip": "203.0.113.5", "userAgent": "Mozilla/5.0", "sessionId": 1700000000,
                             "library": {"name": "analytics.js", "version": "2.11.1"}, "locale": "fr-FR"},
                 "timestamp": "2026-11-02T11:59:00Z"}""", CallType.TRACK);
        JsonNode e = c.tree();

        assertThat(c.index()).isEqualTo(3);
        assertThat(c.destination()).isEqualTo(Destination.EVENTS);
        assertThat(e.at("/action/name").asText()).isEqualTo("commerce.order.completed");
        assertThat(e.at("/action/type").asText()).isEqualTo("create");
        assertThat(e.at("/actor/id").asText()).isEqualTo("u-42");
        assertThat(e.at("/actor/type").asText()).isEqualTo("user");
        assertThat(e.at("/actor/details/anonymous_id").asText()).isEqualTo("anon-7");
        assertThat(e.at("/source").asText()).isEqualTo(SOURCE);
        assertThat(e.at("/event_timestamp").asText()).isEqualTo("2026-11-02T11:59:00Z");
        assertThat(e.at("/context/client/ip_address").asText()).isEqualTo("203.0.113.5");
        assertThat(e.at("/context/client/user_agent").asText()).isEqualTo("Mozilla/5.0");
        assertThat(e.at("/context/client/session_id").asText()).isEqualTo("1700000000");
        assertThat(e.at("/context/domain_specific/analytics/properties/total").decimalValue())
                .isEqualByComparingTo("30.10");
        assertThat(e.at("/context/attributes/segment.message_id").asText()).isEqualTo("ajs-1");
        assertThat(e.at("/context/attributes/segment.library.name").asText()).isEqualTo("analytics.js");
        assertThat(e.at("/context/attributes/segment.locale").asText()).isEqualTo("fr-FR");
        assertThat(e.at("/id").asText()).isEqualTo(SegmentTranslator.canonicalId(SOURCE, "ajs-1"));
    }

    @Test
    void messageIdsThatAreUuidsAreKeptOthersBecomeStableNameBasedUuids() {
        assertThat(SegmentTranslator.canonicalId(SOURCE, "3F2504E0-4F89-11D3-9A0C-0305E82C3301"))
                .isEqualTo("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
        String derived = SegmentTranslator.canonicalId(SOURCE, "ajs-next-abc");
        assertThat(derived)
                .isEqualTo(SegmentTranslator.canonicalId(SOURCE, "ajs-next-abc"))
                .isNotEqualTo(SegmentTranslator.canonicalId("other-source", "ajs-next-abc"));
    }

    @Test
    void anonymousOnlyCallsHaveAnAnonymousActor() {
        JsonNode e = event("{\"anonymousId\": \"anon-7\", \"event\": \"Signed Up\"}", CallType.TRACK)
                .tree();
        assertThat(e.at("/actor/id").asText()).isEqualTo("anon-7");
        assertThat(e.at("/actor/type").asText()).isEqualTo("anonymous");
        assertThat(e.at("/action/type").asText()).isEqualTo("other"); // alias without type: the default
        assertThat(e.at("/event_timestamp").asText()).isEqualTo(RECEIVED.toString()); // no timestamp: received time
    }

    @Test
    void unaliasedEventsAreDerivedFromObjectActionOrRejected() {
        assertThat(SegmentTranslator.derive("analytics", "Product List Viewed"))
                .isEqualTo("analytics.product_list.viewed");
        assertThat(SegmentTranslator.derive("analytics", "checkoutStarted")).isEqualTo("analytics.checkout.started");
        assertThat(SegmentTranslator.derive("analytics", "signup")).isNull();
        assertThat(event("{\"userId\": \"u\", \"event\": \"billing.invoice.paid\"}", CallType.TRACK)
                        .tree()
                        .at("/action/name")
                        .asText())
                .isEqualTo("billing.invoice.paid");

        Candidate.Rejected r = rejected("{\"userId\": \"u\", \"event\": \"signup\"}", CallType.TRACK);
        assertThat(r.rejection().code()).isEqualTo(ErrorCode.INVALID_ACTION_NAME);
        assertThat(r.rejection().errors().get(0).pointer()).isEqualTo("/event");

        SegmentTranslator strict = new SegmentTranslator(new SegmentSettings(
                Map.of(),
                false,
                "analytics",
                "other",
                SegmentSettings.defaults().page(),
                SegmentSettings.defaults().screen(),
                SegmentSettings.defaults().identify(),
                SegmentSettings.defaults().group(),
                SegmentSettings.defaults().alias()));
        assertThat(strict.translate(
                        0,
                        json("{\"userId\": \"u\", \"event\": \"Product Viewed\"}"),
                        CallType.TRACK,
                        Envelope.none(),
                        SOURCE,
                        RECEIVED))
                .isInstanceOf(Candidate.Rejected.class);
    }

    @Test
    void clockSkewIsCorrectedAsSegmentDoes() {
        Instant clientTimestamp = Instant.parse("2026-11-02T12:55:00Z"); // client clock 1 h fast
        Instant clientSentAt = Instant.parse("2026-11-02T13:00:00Z");
        assertThat(SegmentTranslator.correctClockSkew(RECEIVED, clientTimestamp, clientSentAt))
                .isEqualTo(RECEIVED.minus(Duration.ofMinutes(5)));
        assertThat(SegmentTranslator.correctClockSkew(RECEIVED, clientTimestamp, null))
                .isEqualTo(clientTimestamp);
        assertThat(SegmentTranslator.correctClockSkew(RECEIVED, null, clientSentAt))
                .isEqualTo(RECEIVED);

        // in a batch, the batch's sentAt applies to every message
        Candidate c = translator.translate(
                0,
                json("{\"type\": \"track\", \"userId\": \"u\", \"event\": \"Signed Up\", "
                        + "\"timestamp\": \"2026-11-02T12:55:00Z\"}"),
                null,
                new Envelope(json("{\"locale\": \"de-DE\"}"), json("\"2026-11-02T13:00:00Z\"")),
                SOURCE,
                RECEIVED);
        JsonNode e = ((Candidate.Event) c).tree();
        assertThat(e.at("/event_timestamp").asText()).isEqualTo("2026-11-02T11:55:00Z");
        assertThat(e.at("/context/attributes/segment.locale").asText()).isEqualTo("de-DE");
    }

    @Test
    void identifyAndGroupGoToProfilesWithTraitsAsEntityDetails() {
        Candidate.Event identify = event(
                "{\"userId\": \"u-1\", \"traits\": {\"plan\": \"pro\", \"email\": \"a@example.com\"}}",
                CallType.IDENTIFY);
        assertThat(identify.destination()).isEqualTo(Destination.PROFILES);
        assertThat(identify.tree().at("/action/name").asText()).isEqualTo("identity.profile.identified");
        assertThat(identify.tree().at("/entity/id").asText()).isEqualTo("u-1");
        assertThat(identify.tree().at("/entity/details/plan").asText()).isEqualTo("pro");

        Candidate.Event group =
                event("{\"userId\": \"u-1\", \"groupId\": \"acme\", \"traits\": {\"seats\": 40}}", CallType.GROUP);
        assertThat(group.destination()).isEqualTo(Destination.PROFILES);
        assertThat(group.tree().at("/entity/type").asText()).isEqualTo("group");
        assertThat(rejected("{\"userId\": \"u-1\"}", CallType.GROUP)
                        .rejection()
                        .errors()
                        .get(0)
                        .pointer())
                .isEqualTo("/groupId");
    }

    @Test
    void malformedMessagesSayWhichField() {
        assertThat(rejected("{\"event\": \"Signed Up\"}", CallType.TRACK)
                        .rejection()
                        .errors()
                        .get(0)
                        .pointer())
                .isEqualTo("/userId");
        assertThat(rejected("{\"anonymousId\": \"a\", \"previousId\": \"p\"}", CallType.ALIAS)
                        .rejection()
                        .message())
                .contains("userId");
        assertThat(rejected(
                                "{\"userId\": \"u\", \"event\": \"Signed Up\", \"timestamp\": \"2015-2-02T00:30:08Z\"}",
                                CallType.TRACK)
                        .rejection()
                        .errors()
                        .get(0)
                        .pointer())
                .isEqualTo("/timestamp");
        assertThat(rejected("{\"userId\": \"u\", \"type\": \"teleport\"}", null)
                        .rejection()
                        .errors()
                        .get(0)
                        .pointer())
                .isEqualTo("/type");
        assertThat(rejected("[1, 2]", CallType.TRACK).rejection().code()).isEqualTo(ErrorCode.INVALID_EVENT);
    }

    @Test
    void pageFieldsComeFromContextPageWhereThePropertiesLackThem() {
        JsonNode e = event(ProducerPayloads.segment("page-analytics-js.json"), CallType.PAGE)
                .tree();
        JsonNode props = e.at("/context/domain_specific/analytics/properties");

        assertThat(e.at("/entity/id").asText()).isEqualTo("/academy/");
        assertThat(props.path("path").asText()).isEqualTo("/academy/");
        assertThat(props.path("url").asText()).isEqualTo("https://segment.com/academy/");
        assertThat(props.path("title").asText())
                .as("the call's own property wins")
                .isEqualTo("Welcome | Initech");
        assertThat(props.path("name").asText()).isEqualTo("Home");
        assertThat(props.has("referrer"))
                .as("empty in context.page: nothing added")
                .isFalse();
        assertThat(e.at("/context/attributes/segment.channel").asText())
                .as("top-level channel")
                .isEqualTo("browser");
    }

    @Test
    void contextPageIsNotCopiedIntoOtherCallsProperties() {
        JsonNode e = event(ProducerPayloads.rudderstack("track-javascript-sdk.json"), CallType.TRACK)
                .tree();

        assertThat(e.at("/context/domain_specific/analytics/properties").has("path"))
                .isFalse();
        assertThat(e.at("/context/domain_specific/analytics/properties/review_id")
                        .asText())
                .isEqualTo("86ac1cd43");
    }

    @Test
    void rudderStackFieldsAreReadChannelKeptRudderIdNotCarried() {
        Candidate.Event c = event(ProducerPayloads.rudderstack("track-javascript-sdk.json"), CallType.TRACK);
        JsonNode e = c.tree();

        assertThat(e.at("/actor/id").asText()).isEqualTo("1hKOmRA4GRlm");
        assertThat(e.at("/actor/details/anonymous_id").asText()).isEqualTo("8d872292709c6fbe");
        assertThat(e.at("/action/name").asText()).isEqualTo("analytics.product.reviewed");
        assertThat(e.at("/event_timestamp").asText())
                .as("originalTimestamp = sentAt: sent as it happened")
                .isEqualTo(RECEIVED.toString());
        assertThat(e.at("/context/attributes/segment.channel").asText()).isEqualTo("web");
        assertThat(e.at("/context/attributes/segment.library.name").asText()).isEqualTo("RudderLabs JavaScript SDK");
        assertThat(e.at("/context/attributes/segment.message_id").asText())
                .isEqualTo("1578564113393-ff2b5c47-9bd5-4b2e-9d6b-21d1ad7a7e8d");
        assertThat(e.toString()).doesNotContain("8f8fa6b5-8e24-489c-8e22-61f23f2e364f");
    }

    @Test
    void anEmptyUserIdAsRudderStacksSdkSendsForAnonymousVisitorsFallsBackToTheAnonymousId() {
        JsonNode e = event("""
                {"userId": "", "anonymousId": "anon-9", "event": "Page Scrolled", "channel": "web",
                 "originalTimestamp": "2026-11-02T11:58:00Z"}""", CallType.TRACK).tree();

        assertThat(e.at("/actor/id").asText()).isEqualTo("anon-9");
        assertThat(e.at("/actor/type").asText()).isEqualTo("anonymous");
    }
}
