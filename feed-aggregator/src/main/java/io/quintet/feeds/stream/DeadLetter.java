package io.quintet.feeds.stream;

/**
 * Headers this service adds to a record it dead-letters; the names follow the enricher's {@code quintet.dlq.*}
 * convention. The original key, headers and value bytes are kept unchanged (the enricher's DLQ body format lives in
 * the enricher module, which a service does not depend on).
 */
public final class DeadLetter {
    /** Typed reason: not_a_cloudevent, unparseable, not_canonical, envelope_mismatch. */
    public static final String REASON = "quintet.dlq.reason";

    public static final String SERVICE = "quintet.dlq.service";
    public static final String TOPIC = "quintet.dlq.source.topic";
    public static final String PARTITION = "quintet.dlq.source.partition";
    public static final String OFFSET = "quintet.dlq.source.offset";
    public static final String TIME = "quintet.dlq.time";

    private DeadLetter() {}
}
