package io.quintet.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.gateway.ingest.BatchOutcome;
import io.quintet.gateway.ingest.ErrorCode;
import io.quintet.gateway.ingest.FieldError;
import io.quintet.gateway.ingest.GatewayException;
import io.quintet.gateway.ingest.ItemResult;
import io.quintet.gateway.ingest.Rejection;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** A JSON answer: status, body and extra headers. The body shapes are documented in docs/ingest-gateway.md. */
public record HttpReply(int status, ObjectNode body, Map<String, String> headers) {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectWriter WRITER = new ObjectMapper().writer();

    public HttpReply {
        headers = Map.copyOf(headers);
    }

    /** The body as UTF-8 JSON, written straight to bytes (no intermediate String). */
    byte[] bodyBytes() {
        try {
            return WRITER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("a reply tree could not be written", e);
        }
    }

    public static HttpReply of(int status, ObjectNode body) {
        return new HttpReply(status, body, Map.of());
    }

    /** {@code {"accepted":n,"rejected":m,"results":[{"index":0,"id":"…","status":"accepted"}, …]}}. */
    public static HttpReply batch(BatchOutcome outcome, int allAccepted, int partial) {
        ObjectNode body = NODES.objectNode();
        body.put("accepted", outcome.acceptedCount());
        body.put("rejected", outcome.rejectedCount());
        ArrayNode results = body.putArray("results");
        for (ItemResult r : outcome.results()) {
            ObjectNode item = results.addObject();
            item.put("index", r.index());
            if (r.id() != null) {
                item.put("id", r.id());
            }
            item.put("status", r.accepted() ? "accepted" : "rejected");
            if (!r.accepted()) {
                item.set("error", error(r.rejection()));
            }
        }
        int status = outcome.httpStatus(allAccepted, partial);
        Map<String, String> headers = new LinkedHashMap<>();
        if (status == ErrorCode.UNAVAILABLE.httpStatus()) {
            headers.put("Retry-After", "5");
        }
        return new HttpReply(status, body, headers);
    }

    /** {@code {"error":{"code":"…","message":"…","errors":[…]}}} with Retry-After / WWW-Authenticate as they apply. */
    public static HttpReply error(GatewayException e) {
        ObjectNode body = NODES.objectNode();
        body.set("error", error(e.rejection()));
        Map<String, String> headers = new LinkedHashMap<>();
        if (e.retryAfterSeconds() > 0) {
            headers.put("Retry-After", Long.toString(e.retryAfterSeconds()));
        } else if (e.code().retriable()) {
            headers.put("Retry-After", "1");
        }
        if (e.code() == ErrorCode.UNAUTHENTICATED) {
            headers.put("WWW-Authenticate", "Basic realm=\"quintet\", Bearer realm=\"quintet\"");
        }
        if (e.code() == ErrorCode.SHUTTING_DOWN) {
            headers.put("Connection", "close");
        }
        return new HttpReply(e.code().httpStatus(), body, headers);
    }

    static ObjectNode error(Rejection r) {
        ObjectNode err = NODES.objectNode();
        err.put("code", r.code().code());
        err.put("message", r.message());
        if (!r.errors().isEmpty()) {
            ArrayNode list = err.putArray("errors");
            for (FieldError f : r.errors()) {
                list.addObject().put("pointer", f.pointer()).put("message", f.message());
            }
        }
        return err;
    }
}
