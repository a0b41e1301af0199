package io.quintet.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventDeserializationException;
import io.cloudevents.http.vertx.VertxMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.rw.CloudEventRWException;
import io.quintet.gateway.ingest.Candidate;
import io.quintet.gateway.ingest.CanonicalBodyDecoder;
import io.quintet.gateway.ingest.Destination;
import io.quintet.gateway.ingest.ErrorCode;
import io.quintet.gateway.ingest.JsonErrors;
import io.quintet.gateway.ingest.Rejection;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.EventDecodingException;
import io.quintet.model.cloudevents.CloudEventMapper;
import io.quintet.model.json.CanonicalJson;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the CloudEvents HTTP binding with the CloudEvents SDK: structured mode ({@code application/cloudevents+json})
 * and binary mode ({@code ce-*} headers) through the SDK's Vert.x binding, batch mode
 * ({@code application/cloudevents-batch+json}) through the SDK's JSON event format, element by element, so one bad
 * element rejects only itself. The data of each CloudEvent is a canonical event; {@link CloudEventMapper} reconciles
 * envelope and data (a contradiction is {@link ErrorCode#ENVELOPE_MISMATCH}).
 */
public final class CloudEventsDecoder {
    private final CanonicalBodyDecoder json;
    private final ObjectMapper cloudEventMapper =
            CanonicalJson.newMapper().registerModule(JsonFormat.getCloudEventJacksonModule());
    private final ObjectMapper trees = CanonicalJson.newMapper();

    public CloudEventsDecoder(CanonicalBodyDecoder json) {
        this.json = json;
    }

    /** Structured or binary mode: one event; the SDK picks the mode from the headers. */
    public List<Candidate> single(MultiMap headers, Buffer body) {
        CloudEvent ce;
        try {
            ce = VertxMessageFactory.createReader(headers, body).toEvent();
        } catch (CloudEventRWException e) {
            return List.of(rejected(
                    0,
                    null,
                    ErrorCode.INVALID_CLOUDEVENT,
                    "CloudEvent could not be read (" + e.getKind().name().toLowerCase(java.util.Locale.ROOT) + "): "
                            + e.getMessage()));
        } catch (IllegalStateException e) { // the SDK's builder: a required attribute is missing
            return List.of(
                    rejected(0, null, ErrorCode.INVALID_CLOUDEVENT, "CloudEvent could not be read: " + e.getMessage()));
        } catch (EventDeserializationException e) {
            if (e.getCause() instanceof JsonProcessingException j) {
                return List.of(
                        rejected(0, null, ErrorCode.MALFORMED_JSON, JsonErrors.describe("structured CloudEvent", j)));
            }
            return List.of(rejected(0, null, ErrorCode.INVALID_CLOUDEVENT, "structured CloudEvent could not be read"));
        }
        return List.of(toCandidate(0, ce));
    }

    /** Batch mode: a JSON array of structured-mode CloudEvents. */
    public List<Candidate> batch(byte[] body) {
        List<JsonNode> elements = json.arrayElements(body, "CloudEvents batch");
        List<Candidate> out = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            JsonNode element = elements.get(i);
            String id = element.path("id").isTextual() ? element.get("id").asText() : null;
            try {
                out.add(toCandidate(i, cloudEventMapper.treeToValue(element, CloudEvent.class)));
            } catch (JsonProcessingException e) {
                CloudEventRWException rw = find(e, CloudEventRWException.class);
                out.add(rejected(
                        i,
                        id,
                        ErrorCode.INVALID_CLOUDEVENT,
                        "batch element " + i + " is not a valid CloudEvent"
                                + (rw != null
                                        ? " (" + rw.getKind().name().toLowerCase(java.util.Locale.ROOT) + "): "
                                                + rw.getMessage()
                                        : ": " + e.getOriginalMessage())));
            } catch (IllegalStateException e) { // the SDK's builder: a required attribute is missing
                out.add(rejected(
                        i,
                        id,
                        ErrorCode.INVALID_CLOUDEVENT,
                        "batch element " + i + " is not a valid CloudEvent: " + e.getMessage()));
            }
        }
        return out;
    }

    private Candidate toCandidate(int index, CloudEvent ce) {
        try {
            CanonicalEvent event = CloudEventMapper.fromCloudEvent(ce);
            return new Candidate.Event(index, (ObjectNode) trees.valueToTree(event), Destination.EVENTS);
        } catch (EventDecodingException e) {
            ErrorCode code = switch (e.reason()) {
                case UNPARSEABLE -> ErrorCode.MALFORMED_JSON;
                case NOT_CANONICAL -> ErrorCode.INVALID_EVENT;
                case ENVELOPE_MISMATCH -> ErrorCode.ENVELOPE_MISMATCH;
                case NOT_A_CLOUDEVENT -> ErrorCode.INVALID_CLOUDEVENT;
            };
            return rejected(index, ce.getId(), code, e.getMessage());
        }
    }

    private static Candidate rejected(int index, String id, ErrorCode code, String message) {
        return new Candidate.Rejected(index, id, Rejection.at(code, "/", message));
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
