package io.quintet.model.topics;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The {@code quintet.dlq.*} headers of a record on {@code events.dlq}: written by the enricher, read by its replay
 * tool and by the gateway's rejection feed. UTF-8 text values. None of them quotes the rejected record's content.
 */
public final class DeadLetterHeaders {
    public static final String PREFIX = "quintet.dlq.";
    public static final String REASON = PREFIX + "reason";
    public static final String CAUSE = PREFIX + "cause";
    /** Comma-separated JSON pointers of the failing fields. */
    public static final String POINTERS = PREFIX + "pointers";

    public static final String SOURCE_TOPIC = PREFIX + "source.topic";
    public static final String SOURCE_PARTITION = PREFIX + "source.partition";
    public static final String SOURCE_OFFSET = PREFIX + "source.offset";
    public static final String TIME = PREFIX + "time";
    public static final String EVENT_ID = PREFIX + "event.id";
    /** The rejected event's {@code source} (its data's, else its CloudEvent's), when known. */
    public static final String EVENT_SOURCE = PREFIX + "event.source";
    /** The binary-mode CloudEvents header of the original record's source. */
    public static final String CE_SOURCE = "ce_source";

    private DeadLetterHeaders() {}

    /** The last value of a header as text; null when absent. */
    public static String text(Headers headers, String name) {
        Header h = headers == null ? null : headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
