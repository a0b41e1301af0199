package io.quintet.gateway.backfill;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventDeserializationException;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.rw.CloudEventRWException;
import io.quintet.gateway.ingest.Candidate;
import io.quintet.gateway.ingest.Destination;
import io.quintet.gateway.ingest.ErrorCode;
import io.quintet.gateway.ingest.Rejection;
import io.quintet.gateway.segment.SegmentTranslator;
import io.quintet.model.EventDecodingException;
import io.quintet.model.cloudevents.CloudEventMapper;
import io.quintet.model.json.CanonicalJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Reads the files {@code ./quintet import} takes, item by item, into the gateway's candidates (an event tree, or why
 * the item cannot be one), whatever the format:
 * <ul>
 *   <li>NDJSON, one item per line: a canonical event, or a structured-mode CloudEvent (it has {@code specversion});
 *       streamed, so a file may be larger than memory;</li>
 *   <li>a JSON array of canonical events or of structured-mode CloudEvents;</li>
 *   <li>one JSON object: a canonical event, a structured-mode CloudEvent, or a Segment batch file
 *       ({@code {"batch": [...]}}, what Segment's and RudderStack's exports and replays write).</li>
 * </ul>
 * Segment messages are translated as the gateway does, with their own {@code timestamp} as the event time (no clock
 * skew correction: history has no receive time). Not thread-safe; one reader per import.
 */
final class BackfillFiles {
    private static final ObjectMapper JSON = CanonicalJson.newMapper();

    private final SegmentTranslator segment;
    private final String segmentSource;

    /** @param segmentSource the {@code source} of translated Segment messages (a Segment write key names one); null to refuse them */
    BackfillFiles(SegmentTranslator segment, String segmentSource) {
        this.segment = segment;
        this.segmentSource = segmentSource;
    }

    /** Every item of the file, in order, to {@code sink}; the candidate's index is its line (NDJSON) or position. */
    void read(Path file, Consumer<Candidate> sink) throws IOException {
        int first = firstCharacter(file);
        if (first == '[') {
            JsonNode array = JSON.readTree(file.toFile());
            for (int i = 0; i < array.size(); i++) {
                sink.accept(item(i, array.get(i)));
            }
            return;
        }
        if (first == '{' && !isNdjson(file)) {
            JsonNode root = JSON.readTree(file.toFile());
            if (root.has("batch")) {
                segmentBatch(root, sink);
            } else {
                sink.accept(item(0, root));
            }
            return;
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    sink.accept(rejected(lineNo, ErrorCode.MALFORMED_JSON, "line " + lineNo + " is not JSON"));
                    continue;
                }
                sink.accept(item(lineNo, node));
            }
        }
    }

    private void segmentBatch(JsonNode root, Consumer<Candidate> sink) {
        JsonNode context = root.get("context");
        JsonNode batch = root.get("batch");
        for (int i = 0; i < batch.size(); i++) {
            JsonNode message = batch.get(i);
            if (segmentSource == null) {
                sink.accept(rejected(i, ErrorCode.FORBIDDEN_SOURCE, "Segment messages need --segment-source"));
                continue;
            }
            if (message instanceof ObjectNode m) {
                m.remove("sentAt"); // history: the timestamp is the event time, not corrected by a send time
            }
            Instant at = Instant.now();
            sink.accept(segment.translate(
                    i, message, null, new SegmentTranslator.Envelope(context, null), segmentSource, at));
        }
    }

    /** A canonical event, or a structured-mode CloudEvent mapped to one. */
    private static Candidate item(int index, JsonNode node) {
        if (!(node instanceof ObjectNode o)) {
            return rejected(index, ErrorCode.INVALID_EVENT, "item " + index + " is not a JSON object");
        }
        if (!o.has("specversion")) {
            return new Candidate.Event(index, o, Destination.EVENTS);
        }
        try {
            CloudEvent ce = EventFormatProvider.getInstance()
                    .resolveFormat(JsonFormat.CONTENT_TYPE)
                    .deserialize(JSON.writeValueAsBytes(o));
            return new Candidate.Event(
                    index, (ObjectNode) CanonicalJson.toTree(CloudEventMapper.fromCloudEvent(ce)), Destination.EVENTS);
        } catch (EventDeserializationException | CloudEventRWException | IllegalStateException e) {
            return rejected(index, ErrorCode.INVALID_CLOUDEVENT, "item " + index + " is not a valid CloudEvent");
        } catch (EventDecodingException e) {
            return rejected(index, ErrorCode.INVALID_EVENT, e.getMessage());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Candidate rejected(int index, ErrorCode code, String message) {
        return new Candidate.Rejected(index, null, Rejection.at(code, "/", message));
    }

    private static int firstCharacter(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int c;
            while ((c = r.read()) != -1) {
                if (!Character.isWhitespace(c)) {
                    return c;
                }
            }
            return -1;
        }
    }

    /** One object per line: the first non-blank line is a complete JSON value by itself. */
    private static boolean isNdjson(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    try {
                        JSON.readTree(line);
                        return true;
                    } catch (JsonProcessingException e) {
                        return false;
                    }
                }
            }
            return false;
        }
    }
}
