package io.quintet.gateway.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.gateway.ingest.Candidate;
import io.quintet.gateway.ingest.Destination;
import io.quintet.gateway.ingest.ErrorCode;
import io.quintet.gateway.ingest.Rejection;
import io.quintet.model.Action;
import io.quintet.model.ActionName;
import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Translates Segment HTTP Tracking API calls (track, identify, page, screen, group, alias) into canonical event trees,
 * which then go through the same edge validation as native events. The mapping table is in docs/ingest-gateway.md:
 * <pre>
 *   messageId              -> id (kept when a UUID; otherwise a name-based UUID of source + messageId, so a retried
 *                             message gets the same id and the enricher deduplicates it)
 *   userId / anonymousId   -> actor.id (type user / anonymous); both -> actor.details.anonymous_id
 *   event (track)          -> action.name through the alias table, else as is when already Domain.Entity.Action,
 *                             else derived from "Object Action" naming (configurable)
 *   properties             -> context.domain_specific.analytics.properties; page calls: plus name, category and
 *                             what properties lack of context.page (path, url, title, referrer, search)
 *   traits (identify/group)-> entity.details of the user / group entity, written to the profiles topic
 *   context.ip, userAgent  -> context.client.ip_address, user_agent; context.sessionId -> session_id
 *   channel (context.channel, else the top-level field Segment and RudderStack send) -> attribute segment.channel
 *   rudderId (RudderStack) -> not carried: an identifier of the person's device, not the event's
 *   timestamp, sentAt      -> event_timestamp, corrected for client clock skew:
 *                             receivedAt - (sentAt - timestamp)
 * </pre>
 * Thread-safe.
 */
public final class SegmentTranslator {

    /** Segment call types. */
    public enum CallType {
        TRACK,
        IDENTIFY,
        PAGE,
        SCREEN,
        GROUP,
        ALIAS;

        public static CallType parse(String s) {
            return s == null
                    ? null
                    : switch (s.toLowerCase(Locale.ROOT)) {
                        case "track" -> TRACK;
                        case "identify" -> IDENTIFY;
                        case "page" -> PAGE;
                        case "screen" -> SCREEN;
                        case "group" -> GROUP;
                        case "alias" -> ALIAS;
                        default -> null;
                    };
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What a batch shares with its messages: its {@code context} (defaults under each message's own context) and
     * its {@code sentAt}. For single calls both come from the message itself.
     */
    public record Envelope(JsonNode context, JsonNode sentAt) {
        public static Envelope none() {
            return new Envelope(null, null);
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    /** The page fields analytics.js sends in {@code context.page} on every call (Segment Spec, common fields). */
    private static final List<String> PAGE_FIELDS = List.of("path", "url", "title", "referrer", "search");

    private final SegmentSettings settings;

    public SegmentTranslator(SegmentSettings settings) {
        this.settings = settings;
    }

    /**
     * @param index      position of the message in the request
     * @param message    the Segment message
     * @param pathType   the call type from the endpoint ({@code /v1/track}); null in a batch, where each message says
     * @param envelope   batch-level context and sentAt
     * @param source     canonical {@code source}: the write key's source
     * @param receivedAt when the gateway received the request
     */
    public Candidate translate(
            int index, JsonNode message, CallType pathType, Envelope envelope, String source, Instant receivedAt) {
        if (!(message instanceof ObjectNode msg)) {
            return reject(
                    index, null, ErrorCode.INVALID_EVENT, "/", "Segment message " + index + " is not a JSON object");
        }
        String messageId = text(msg.get("messageId"));
        String id = messageId == null ? null : canonicalId(source, messageId);
        CallType type = pathType != null ? pathType : CallType.parse(text(msg.get("type")));
        if (type == null) {
            return reject(
                    index,
                    id,
                    ErrorCode.INVALID_EVENT,
                    "/type",
                    "'type' must be one of track, identify, page, " + "screen, group, alias");
        }
        String userId = text(msg.get("userId"));
        String anonymousId = text(msg.get("anonymousId"));
        if (userId == null && (anonymousId == null || type == CallType.ALIAS)) {
            return reject(
                    index,
                    id,
                    ErrorCode.INVALID_EVENT,
                    "/userId",
                    type == CallType.ALIAS
                            ? "alias calls need a 'userId'"
                            : "a 'userId' or an 'anonymousId' is required");
        }
        Instant eventTime;
        try {
            Instant timestamp = instant(msg.get("timestamp"));
            if (timestamp == null) {
                timestamp = instant(msg.get("originalTimestamp"));
            }
            JsonNode sentAtNode = msg.hasNonNull("sentAt") ? msg.get("sentAt") : envelope.sentAt();
            eventTime = correctClockSkew(receivedAt, timestamp, instant(sentAtNode));
        } catch (DateTimeParseException e) {
            return reject(
                    index,
                    id,
                    ErrorCode.INVALID_EVENT,
                    "/timestamp",
                    "timestamp, originalTimestamp and sentAt must be ISO-8601 date-times");
        }
        ObjectNode context = mergedContext(envelope.context(), msg.get("context"));

        ObjectNode event = NODES.objectNode();
        if (id != null) {
            event.put("id", id);
        }
        event.put("event_timestamp", eventTime.toString());
        event.put("source", source);
        event.put("spec_version", CanonicalEvent.SPEC_VERSION);
        ObjectNode actor = event.putObject("actor");
        actor.put("id", userId != null ? userId : anonymousId);
        actor.put("type", userId != null ? Actor.USER : Actor.ANONYMOUS);
        if (userId != null && anonymousId != null) {
            actor.putObject("details").put("anonymous_id", anonymousId);
        }
        ObjectNode canonicalContext = event.putObject("context");
        client(context, canonicalContext);
        ObjectNode attributes = canonicalContext.putObject("attributes");
        attributes.put("segment.type", type.wireName());
        if (messageId != null) {
            attributes.put("segment.message_id", messageId);
        }
        segmentAttributes(context, attributes);
        if (!attributes.has("segment.channel")) {
            putText(attributes, "segment.channel", msg.get("channel"));
        }

        Destination destination = Destination.EVENTS;
        switch (type) {
            case TRACK -> {
                String name = text(msg.get("event"));
                if (name == null || name.isBlank()) {
                    return reject(index, id, ErrorCode.INVALID_EVENT, "/event", "track calls need an 'event' name");
                }
                Action action = trackAction(name);
                if (action == null) {
                    return reject(
                            index,
                            id,
                            ErrorCode.INVALID_ACTION_NAME,
                            "/event",
                            "event '" + name + "' has no alias "
                                    + "in segment.aliases and "
                                    + (settings.deriveUnmapped()
                                            ? "cannot be read as 'Object Action' (e.g. 'Order Completed')"
                                            : "is not a Domain.Entity.Action name"));
                }
                putAction(event, action);
                properties(canonicalContext, msg.get("properties"), null, null);
            }
            case PAGE, SCREEN -> {
                putAction(event, type == CallType.PAGE ? settings.page() : settings.screen());
                JsonNode props = type == CallType.PAGE
                        ? withPageContext(msg.get("properties"), context.get("page"))
                        : msg.get("properties");
                String name = text(msg.get("name"));
                String entityId =
                        type == CallType.PAGE ? firstText(props, "path", "url").orElse(name) : name;
                if (entityId != null) {
                    ObjectNode entity = event.putObject("entity");
                    entity.put("id", entityId);
                    entity.put("type", type == CallType.PAGE ? "page" : "screen");
                }
                properties(canonicalContext, props, name, text(msg.get("category")));
            }
            case IDENTIFY -> {
                destination = Destination.PROFILES;
                putAction(event, settings.identify());
                JsonNode traits = msg.hasNonNull("traits") ? msg.get("traits") : context.get("traits");
                entity(event, userId != null ? userId : anonymousId, "user", traits);
            }
            case GROUP -> {
                String groupId = text(msg.get("groupId"));
                if (groupId == null) {
                    return reject(index, id, ErrorCode.INVALID_EVENT, "/groupId", "group calls need a 'groupId'");
                }
                destination = Destination.PROFILES;
                putAction(event, settings.group());
                entity(event, groupId, "group", msg.get("traits"));
            }
            case ALIAS -> {
                String previousId = text(msg.get("previousId"));
                if (previousId == null) {
                    return reject(index, id, ErrorCode.INVALID_EVENT, "/previousId", "alias calls need a 'previousId'");
                }
                putAction(event, settings.alias());
                entity(event, previousId, "user", null);
            }
            default -> throw new IllegalStateException("unhandled call type " + type);
        }
        if (canonicalContext.path("client").isEmpty()) {
            canonicalContext.remove("client");
        }
        return new Candidate.Event(index, event, destination);
    }

    /** Segment's correction: {@code receivedAt - (sentAt - timestamp)}; the timestamp as is without sentAt. */
    public static Instant correctClockSkew(Instant receivedAt, Instant timestamp, Instant sentAt) {
        if (timestamp == null) {
            return receivedAt;
        }
        if (sentAt == null) {
            return timestamp;
        }
        return receivedAt.minus(Duration.between(timestamp, sentAt));
    }

    /** The action of a track event, or null when it has none. */
    Action trackAction(String event) {
        Action alias = settings.aliases().get(event);
        if (alias != null) {
            return new Action(alias.name(), alias.type() != null ? alias.type() : settings.trackActionType());
        }
        if (ActionName.isValid(event)) {
            return new Action(event, settings.trackActionType());
        }
        if (!settings.deriveUnmapped()) {
            return null;
        }
        String derived = derive(settings.defaultDomain(), event);
        return derived != null && ActionName.isValid(derived) ? new Action(derived, settings.trackActionType()) : null;
    }

    /** "Order Completed" / "orderCompleted" / "order_completed" -> domain.order.completed; null under two words. */
    static String derive(String domain, String event) {
        String spaced = event.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        List<String> words = new ArrayList<>();
        for (String w : spaced.split("[^a-z0-9]+")) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        if (words.size() < 2) {
            return null;
        }
        String action = words.get(words.size() - 1);
        String object = String.join("_", words.subList(0, words.size() - 1));
        return domain + "." + object + "." + action;
    }

    /** The messageId itself when it is a UUID, otherwise a name-based UUID of source and messageId. */
    static String canonicalId(String source, String messageId) {
        try {
            if (messageId.length() == 36) {
                return UUID.fromString(messageId).toString();
            }
        } catch (IllegalArgumentException e) {
            // not a UUID: derived below
        }
        return UUID.nameUUIDFromBytes((source + "\n" + messageId).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private static void putAction(ObjectNode event, Action action) {
        ObjectNode a = event.putObject("action");
        a.put("name", action.name());
        a.put("type", action.type());
    }

    private static void entity(ObjectNode event, String id, String type, JsonNode details) {
        ObjectNode entity = event.putObject("entity");
        entity.put("id", id);
        entity.put("type", type);
        if (details != null && details.isObject() && !details.isEmpty()) {
            entity.set("details", details);
        }
    }

    private static void properties(ObjectNode context, JsonNode props, String name, String category) {
        ObjectNode properties = props instanceof ObjectNode o ? o.deepCopy() : NODES.objectNode();
        if (name != null && !properties.has("name")) {
            properties.put("name", name);
        }
        if (category != null && !properties.has("category")) {
            properties.put("category", category);
        }
        if (props != null && !props.isNull() && !props.isObject()) {
            properties.set("value", props); // keep a malformed properties value visible rather than dropping it
        }
        if (!properties.isEmpty()) {
            context.putObject("domain_specific").putObject("analytics").set("properties", properties);
        }
    }

    /**
     * A page call's properties, completed with what analytics.js (and RudderStack's SDKs) send in {@code context.page}
     * on every call: {@code path}, {@code url}, {@code title}, {@code referrer}, {@code search}. A property the call
     * has wins; an empty text in the context adds nothing.
     */
    static JsonNode withPageContext(JsonNode props, JsonNode page) {
        if (!(page instanceof ObjectNode p) || (props != null && !props.isNull() && !props.isObject())) {
            return props;
        }
        ObjectNode out = props instanceof ObjectNode o ? o.deepCopy() : NODES.objectNode();
        for (String field : PAGE_FIELDS) {
            String v = text(p.get(field));
            if (v != null && !out.has(field)) {
                out.put(field, v);
            }
        }
        return out;
    }

    private static void client(ObjectNode segmentContext, ObjectNode canonicalContext) {
        ObjectNode client = canonicalContext.putObject("client");
        String ip = text(segmentContext.get("ip"));
        if (ip != null) {
            client.put("ip_address", ip);
        }
        String ua = text(segmentContext.get("userAgent"));
        if (ua != null) {
            client.put("user_agent", ua);
        }
        String session = text(segmentContext.get("sessionId"));
        if (session != null) {
            client.put("session_id", session);
        }
    }

    private static void segmentAttributes(ObjectNode context, ObjectNode attributes) {
        JsonNode library = context.path("library");
        putText(attributes, "segment.library.name", library.get("name"));
        putText(attributes, "segment.library.version", library.get("version"));
        putText(attributes, "segment.locale", context.get("locale"));
        putText(attributes, "segment.timezone", context.get("timezone"));
        putText(attributes, "segment.channel", context.get("channel"));
    }

    private static void putText(ObjectNode target, String field, JsonNode value) {
        String v = text(value);
        if (v != null) {
            target.put(field, v);
        }
    }

    /** The batch context as defaults under the message's own context. */
    private static ObjectNode mergedContext(JsonNode batchContext, JsonNode messageContext) {
        ObjectNode merged = batchContext instanceof ObjectNode b ? b.deepCopy() : NODES.objectNode();
        if (messageContext instanceof ObjectNode m) {
            Iterator<Map.Entry<String, JsonNode>> it = m.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> f = it.next();
                merged.set(f.getKey(), f.getValue());
            }
        }
        return merged;
    }

    private static java.util.Optional<String> firstText(JsonNode node, String... fields) {
        if (node == null) {
            return java.util.Optional.empty();
        }
        for (String f : fields) {
            String v = text(node.get(f));
            if (v != null) {
                return java.util.Optional.of(v);
            }
        }
        return java.util.Optional.empty();
    }

    /** Text of a string or number node (Segment ids may be numbers); null otherwise or when empty. */
    static String text(JsonNode n) {
        if (n == null || !(n.isTextual() || n.isNumber())) {
            return null;
        }
        String s = n.asText();
        return s.isEmpty() ? null : s;
    }

    /** ISO-8601 date-time with or without offset (without: UTC); null for absent. */
    static Instant instant(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new DateTimeParseException("not a string", n.toString(), 0);
        }
        String s = n.asText();
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        }
    }

    private static Candidate reject(int index, String id, ErrorCode code, String pointer, String message) {
        return new Candidate.Rejected(index, id, Rejection.at(code, pointer, message));
    }
}
