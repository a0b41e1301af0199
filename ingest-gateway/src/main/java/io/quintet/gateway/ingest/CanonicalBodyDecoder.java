package io.quintet.gateway.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.model.json.CanonicalJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads canonical events from a request body: one JSON object, a JSON array of objects, or NDJSON (one object per
 * line). A body that is not JSON at all is a request-level error with its position; in NDJSON a bad line only
 * rejects that line, and in an array an element that is not an object only rejects that element.
 */
public final class CanonicalBodyDecoder {
    private final ObjectMapper mapper = CanonicalJson.newMapper();
    private final int maxBatchEvents;

    public CanonicalBodyDecoder(int maxBatchEvents) {
        this.maxBatchEvents = maxBatchEvents;
    }

    /** {@code application/json}: an object or an array of objects. */
    public List<Candidate> decodeJson(byte[] body) {
        requireContent(body, "request body");
        try (JsonParser p = mapper.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_OBJECT) {
                return List.of(new Candidate.Event(0, (ObjectNode) mapper.readTree(p), Destination.EVENTS));
            }
            if (first != JsonToken.START_ARRAY) {
                throw new GatewayException(
                        ErrorCode.MALFORMED_JSON,
                        "request body is a JSON "
                                + ((JsonNode) mapper.readTree(p))
                                        .getNodeType()
                                        .name()
                                        .toLowerCase(java.util.Locale.ROOT)
                                + "; expected an event object or an array of them");
            }
            List<Candidate> out = new ArrayList<>();
            for (JsonNode element : elements(p)) {
                int index = out.size();
                out.add(
                        element instanceof ObjectNode o
                                ? new Candidate.Event(index, o, Destination.EVENTS)
                                : element(index, element));
            }
            return out;
        } catch (JsonProcessingException e) {
            throw new GatewayException(
                    Rejection.of(ErrorCode.MALFORMED_JSON, JsonErrors.describe("request body", e)), 0, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The elements of a body that must be a JSON array (CloudEvents batch mode).
     * Request-level errors for malformed JSON, a non-array body, an empty or too large batch.
     */
    public List<JsonNode> arrayElements(byte[] body, String what) {
        requireContent(body, what);
        try (JsonParser p = mapper.createParser(body)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new GatewayException(ErrorCode.MALFORMED_JSON, what + " must be a JSON array");
            }
            List<JsonNode> out = elements(p);
            if (out.isEmpty()) {
                throw new GatewayException(ErrorCode.MALFORMED_JSON, what + " is an empty array");
            }
            return out;
        } catch (JsonProcessingException e) {
            throw new GatewayException(Rejection.of(ErrorCode.MALFORMED_JSON, JsonErrors.describe(what, e)), 0, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads array elements up to the closing bracket. */
    private List<JsonNode> elements(JsonParser p) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new GatewayException(ErrorCode.MALFORMED_JSON, "request body ends inside the array");
            }
            checkCount(out.size() + 1);
            out.add(mapper.readTree(p));
        }
        return out;
    }

    /** {@code application/x-ndjson}: one event object per line; blank lines are skipped. */
    public List<Candidate> decodeNdjson(byte[] body) {
        List<Candidate> out = new ArrayList<>();
        int lineNo = 0;
        int start = 0;
        while (start <= body.length) {
            int end = start;
            while (end < body.length && body[end] != '\n') {
                end++;
            }
            lineNo++;
            int len = end - start;
            if (len > 0 && body[end - 1] == '\r') {
                len--;
            }
            if (!isBlank(body, start, len)) {
                checkCount(out.size() + 1);
                int index = out.size();
                try {
                    JsonNode node = mapper.readTree(body, start, len);
                    out.add(
                            node instanceof ObjectNode o
                                    ? new Candidate.Event(index, o, Destination.EVENTS)
                                    : element(index, node));
                } catch (JsonProcessingException e) {
                    out.add(new Candidate.Rejected(
                            index,
                            null,
                            Rejection.at(ErrorCode.MALFORMED_JSON, "/", JsonErrors.describe("line " + lineNo, e))));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            start = end + 1;
        }
        if (out.isEmpty()) {
            throw new GatewayException(ErrorCode.MALFORMED_JSON, "request body holds no events");
        }
        return out;
    }

    private Candidate element(int index, JsonNode node) {
        if (node instanceof ObjectNode o) {
            return new Candidate.Event(index, o, Destination.EVENTS);
        }
        return new Candidate.Rejected(
                index,
                null,
                Rejection.at(
                        ErrorCode.INVALID_EVENT,
                        "/",
                        "item " + index + " is a JSON "
                                + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                                + "; expected an event object"));
    }

    private void checkCount(int n) {
        if (n > maxBatchEvents) {
            throw new GatewayException(
                    ErrorCode.BATCH_TOO_LARGE,
                    "the request holds more than " + maxBatchEvents + " events; split it into smaller batches");
        }
    }

    JsonNode parse(byte[] body, String what) {
        requireContent(body, what);
        try {
            JsonNode root = mapper.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw new GatewayException(ErrorCode.MALFORMED_JSON, what + " is empty");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new GatewayException(Rejection.of(ErrorCode.MALFORMED_JSON, JsonErrors.describe(what, e)), 0, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireContent(byte[] body, String what) {
        if (body.length == 0 || isBlank(body, 0, body.length)) {
            throw new GatewayException(ErrorCode.MALFORMED_JSON, what + " is empty");
        }
    }

    private static boolean isBlank(byte[] b, int from, int len) {
        for (int i = from; i < from + len; i++) {
            if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r' && b[i] != '\n') {
                return false;
            }
        }
        return true;
    }

    /** Used by the other decoders (CloudEvents batch, Segment) that also read whole JSON bodies. */
    public JsonNode parseBody(byte[] body) {
        return parse(body, "request body");
    }

    public int maxBatchEvents() {
        return maxBatchEvents;
    }
}
