package io.quintet.audit.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.quintet.audit.canonical.CanonicalForm;
import io.quintet.audit.chain.ChainExtensions;
import io.quintet.audit.chain.ChainLink;
import io.quintet.model.EventDecodingException;
import io.quintet.model.json.CanonicalJson;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * One chained event as a verifier sees it, whatever it was read from (a Kafka record, an archive line, a table
 * row): its partition, its position there, its chain fields and the canonical bytes of the event
 * ({@link CanonicalForm}).
 *
 * @param partition the partition the source holds it in (Kafka partition, or the row's partition column); -1 when
 *                  the record is too broken to tell
 * @param position  where it sits, for reports
 * @param link      its chain fields; null when they are missing or malformed ({@code problem} says why)
 * @param canonical the canonical bytes of the event (RFC 8785 form of the CloudEvent data); null when there are none
 * @param problem   why the record cannot be checked, or null
 * @param problemKind how a record with a problem and a chain link is reported: {@link Finding.Kind#UNDECODABLE}
 *                  (it cannot be read) or {@link Finding.Kind#ALTERED} (the source shows it was changed, e.g. a table
 *                  row whose columns disagree with the hashed JSON)
 */
public record ChainedRecord(
        int partition, Position position, ChainLink link, byte[] canonical, String problem, Finding.Kind problemKind) {

    public ChainedRecord {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(problemKind, "problemKind");
        if (problem == null && (link == null || canonical == null)) {
            throw new IllegalArgumentException("a record without a problem needs its chain link and canonical bytes");
        }
    }

    /** A record whose problem, if any, is that it cannot be read ({@link Finding.Kind#UNDECODABLE}). */
    public ChainedRecord(int partition, Position position, ChainLink link, byte[] canonical, String problem) {
        this(partition, position, link, canonical, problem, Finding.Kind.UNDECODABLE);
    }

    /**
     * A record its source shows to be changed although its chain fields are intact, e.g. a table row whose
     * flattened columns disagree with the event JSON the chain hashes: reported as {@link Finding.Kind#ALTERED} at
     * its sequence number.
     */
    public static ChainedRecord altered(int partition, Position position, ChainLink link, String problem) {
        return new ChainedRecord(
                partition,
                position,
                Objects.requireNonNull(link, "link"),
                null,
                Objects.requireNonNull(problem, "problem"),
                Finding.Kind.ALTERED);
    }

    /** A row of a table or any other store: partition, chain fields and the event JSON, already separated. */
    public static ChainedRecord ofRow(int partition, Position position, ChainLink link, byte[] eventJson) {
        try {
            return new ChainedRecord(partition, position, link, CanonicalForm.ofData(eventJson), null);
        } catch (EventDecodingException | IllegalArgumentException e) {
            return new ChainedRecord(partition, position, link, null, "event JSON: " + e.getMessage());
        }
    }

    public static ChainedRecord broken(int partition, Position position, String problem) {
        return new ChainedRecord(partition, position, null, null, problem);
    }

    /**
     * A record read as a CloudEvent (binary or structured mode).
     *
     * @param partition the partition the source holds it in, or -1 to take it from the {@code chainpart} extension
     */
    public static ChainedRecord ofCloudEvent(int partition, Position position, CloudEvent event) {
        ChainExtensions.Read read = ChainExtensions.read(event);
        int p = partition;
        if (p < 0 && read instanceof ChainExtensions.Read.Valid v) {
            p = v.link().partition();
        }
        if (read instanceof ChainExtensions.Read.Invalid invalid) {
            return broken(p, position, "chain extensions: " + invalid.problem());
        }
        ChainLink link = ((ChainExtensions.Read.Valid) read).link();
        CloudEventData data = event.getData();
        if (data == null) {
            return new ChainedRecord(p, position, link, null, "CloudEvent has no data");
        }
        JsonNode tree;
        try {
            tree = CanonicalJson.parseTree(data.toBytes());
        } catch (EventDecodingException e) {
            return new ChainedRecord(p, position, link, null, "data: " + e.getMessage());
        }
        String mismatch = envelopeMismatch(event, tree);
        if (mismatch != null) {
            return new ChainedRecord(p, position, link, null, mismatch);
        }
        try {
            return new ChainedRecord(p, position, link, CanonicalForm.ofTree(tree), null);
        } catch (IllegalArgumentException e) {
            return new ChainedRecord(p, position, link, null, "data has no canonical form: " + e.getMessage());
        }
    }

    /**
     * Checks that the CloudEvent envelope agrees with the canonical event in its data (id, source, type and time
     * are derived from it), as {@link io.quintet.model.cloudevents.CloudEventMapper#fromCloudEvent} requires.
     *
     * @return what disagrees, or null
     */
    public static String envelopeMismatch(CloudEvent event, JsonNode data) {
        if (!data.isObject()) {
            return "data is not a JSON object";
        }
        if (!Objects.equals(event.getId(), data.path("id").asText(null))) {
            return "envelope id does not match the data's id";
        }
        if (event.getSource() != null
                && !Objects.equals(
                        event.getSource().toString(), data.path("source").asText(null))) {
            return "envelope source does not match the data's source";
        }
        if (!Objects.equals(event.getType(), data.path("action").path("name").asText(null))) {
            return "envelope type does not match the data's action.name";
        }
        if (event.getTime() != null) {
            try {
                String ts = data.path("event_timestamp").asText(null);
                if (ts == null || !Instant.parse(ts).equals(event.getTime().toInstant())) {
                    return "envelope time does not match the data's event_timestamp";
                }
            } catch (DateTimeParseException e) {
                return "data's event_timestamp is not an RFC 3339 instant";
            }
        }
        return null;
    }
}
