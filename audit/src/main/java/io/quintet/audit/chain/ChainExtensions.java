package io.quintet.audit.chain;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Headers;

/**
 * The CloudEvents extension attributes that carry an event's {@link ChainLink}. All values are strings (CloudEvents'
 * Integer is 32-bit, too small for a sequence number); hashes are 64 lower-case hex digits. In Kafka binary mode
 * each is a {@code ce_<name>} header.
 * <pre>
 *   chainpart   partition of the chain ("3")
 *   chainseq    sequence number in the chain, from 1 ("1042")
 *   chainprev   H_{seq-1}, hex
 *   chainhash   H_seq = HMAC-SHA256(key, H_{seq-1} || canonical bytes), hex
 *   chainkeyid  id of the HMAC key
 * </pre>
 */
public final class ChainExtensions {
    public static final String PARTITION = "chainpart";
    public static final String SEQ = "chainseq";
    public static final String PREV = "chainprev";
    public static final String HASH = "chainhash";
    public static final String KEY_ID = "chainkeyid";
    public static final List<String> ALL = List.of(PARTITION, SEQ, PREV, HASH, KEY_ID);
    /** Kafka header prefix of CloudEvents attributes in binary mode. */
    public static final String HEADER_PREFIX = "ce_";

    private static final String PARTITION_HEADER = HEADER_PREFIX + PARTITION;
    private static final String SEQ_HEADER = HEADER_PREFIX + SEQ;
    private static final String PREV_HEADER = HEADER_PREFIX + PREV;
    private static final String HASH_HEADER = HEADER_PREFIX + HASH;
    private static final String KEY_ID_HEADER = HEADER_PREFIX + KEY_ID;
    private static final List<String> HEADERS =
            List.of(PARTITION_HEADER, SEQ_HEADER, PREV_HEADER, HASH_HEADER, KEY_ID_HEADER);

    private ChainExtensions() {}

    /**
     * Sets the chain headers on a record (replacing any already there). Call it on the output record's headers
     * before the CloudEvents binary serializer runs; the serializer keeps them, and readers see them as extensions.
     */
    public static void writeHeaders(Headers headers, ChainLink link) {
        for (String header : HEADERS) {
            headers.remove(header);
        }
        headers.add(PARTITION_HEADER, ascii(Integer.toString(link.partition())));
        headers.add(SEQ_HEADER, ascii(Long.toString(link.seq())));
        headers.add(PREV_HEADER, link.prev().hexBytes());
        headers.add(HASH_HEADER, link.hash().hexBytes());
        headers.add(KEY_ID_HEADER, link.keyId().getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] ascii(String digits) {
        return digits.getBytes(StandardCharsets.US_ASCII);
    }

    /** Adds the chain extensions to a CloudEvent being built (structured mode, archives). */
    public static CloudEventBuilder withLink(CloudEventBuilder builder, ChainLink link) {
        return builder.withExtension(PARTITION, Integer.toString(link.partition()))
                .withExtension(SEQ, Long.toString(link.seq()))
                .withExtension(PREV, link.prev().hex())
                .withExtension(HASH, link.hash().hex())
                .withExtension(KEY_ID, link.keyId());
    }

    /** Reads the chain link of a CloudEvent; a {@link Read.Invalid} names every missing or malformed extension. */
    public static Read read(CloudEvent event) {
        List<String> problems = new ArrayList<>();
        Integer partition = null;
        Long seq = null;
        Hash32 prev = null;
        Hash32 hash = null;
        String part = text(event, PARTITION, problems);
        if (part != null) {
            try {
                partition = Integer.parseInt(part);
                if (partition < 0) {
                    problems.add(PARTITION + " is negative");
                }
            } catch (NumberFormatException e) {
                problems.add(PARTITION + " is not an integer");
            }
        }
        String s = text(event, SEQ, problems);
        if (s != null) {
            try {
                seq = Long.parseLong(s);
                if (seq < 1) {
                    problems.add(SEQ + " must be >= 1");
                }
            } catch (NumberFormatException e) {
                problems.add(SEQ + " is not an integer");
            }
        }
        prev = hash(event, PREV, problems);
        hash = hash(event, HASH, problems);
        String keyId = text(event, KEY_ID, problems);
        if (!problems.isEmpty()) {
            return new Read.Invalid(String.join("; ", problems));
        }
        return new Read.Valid(new ChainLink(partition, seq, prev, hash, keyId));
    }

    private static String text(CloudEvent event, String name, List<String> problems) {
        Object v = event.getExtension(name);
        if (v == null || v.toString().isBlank()) {
            problems.add("extension " + name + " is missing");
            return null;
        }
        return v.toString().trim();
    }

    private static Hash32 hash(CloudEvent event, String name, List<String> problems) {
        String v = text(event, name, problems);
        if (v == null) {
            return null;
        }
        try {
            return Hash32.fromHex(v);
        } catch (IllegalArgumentException e) {
            problems.add(name + " is not 64 hex digits");
            return null;
        }
    }

    /** The outcome of reading chain extensions. */
    public sealed interface Read {
        record Valid(ChainLink link) implements Read {}

        record Invalid(String problem) implements Read {}
    }
}
