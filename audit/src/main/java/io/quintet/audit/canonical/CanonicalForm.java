package io.quintet.audit.canonical;

import com.fasterxml.jackson.databind.JsonNode;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.json.CanonicalJson;

/**
 * The canonical byte form of a canonical event: what the hash chain and the Merkle leaves are computed over.
 * <p>
 * Definition (see docs/audit.md, "Canonical byte form"): take the JSON value of the CloudEvent's {@code data}
 * (the canonical event as {@link CanonicalJson} writes it) and serialize it with RFC 8785 (JCS) rules, numbers
 * per {@link Es6Numbers}. Field order is therefore lexicographic by UTF-16 code units at every level, whatever
 * order the producer wrote; whitespace and escaping are fixed; the encoding is UTF-8.
 * Any consumer can recompute it from the data of a record with an RFC 8785 implementation.
 * <p>
 * The CloudEvents envelope is not hashed: every envelope attribute Quintet writes is derived from the data, and a
 * reader that maps the record ({@link io.quintet.model.cloudevents.CloudEventMapper#fromCloudEvent}) rejects an
 * envelope that contradicts it.
 */
public final class CanonicalForm {
    private CanonicalForm() {}

    /**
     * Canonical bytes of an event, exactly as a reader of the CloudEvent written for it will recompute them: from
     * the very JSON text the CloudEvent's data carries. (Not from {@code CanonicalJson.toTree}: a tree built from
     * the model holds a float as its widened double, not as the digits the JSON text has.)
     */
    public static byte[] of(CanonicalEvent event) {
        return ofData(CanonicalJson.toBytes(event));
    }

    /**
     * An event's data as written for the chain, and its canonical bytes (the same array when the data is canonical).
     *
     * @param secondPass whether the canonical bytes took a second pass over the data ({@link #ofData})
     */
    public record Written(byte[] data, byte[] canonical, boolean secondPass) {
        /** The data is its own canonical form: no second pass was made over it. */
        public boolean dataIsCanonical() {
            return canonical == data;
        }
    }

    /**
     * Writes an event's data for a chained record, members sorted by name, and gives its canonical bytes: the data
     * itself when {@link CanonicalWriter} vouches that it is already in RFC 8785 form (most events), the data with its
     * numbers in ES6 form when only they differ, else {@link #ofData} of it. Either way {@code canonical} is what a
     * reader recomputes from {@code data}.
     */
    public static Written write(CanonicalEvent event) {
        CanonicalWriter.Written w = CanonicalWriter.write(event);
        return w.canonical() != null
                ? new Written(w.json(), w.canonical(), false)
                : new Written(w.json(), ofData(w.json()), true);
    }

    /**
     * Canonical bytes of a CloudEvent's data (JSON text).
     *
     * @throws io.quintet.model.EventDecodingException when the data is not JSON
     * @throws IllegalArgumentException when it holds a string with a lone surrogate
     */
    public static byte[] ofData(byte[] json) {
        byte[] streamed = StreamingCanonicalizer.canonicalize(json); // the same bytes, without a tree
        return streamed != null ? streamed : ofTree(CanonicalJson.parseTree(json));
    }

    public static byte[] ofTree(JsonNode tree) {
        return JsonCanonicalizer.canonicalize(tree);
    }
}
