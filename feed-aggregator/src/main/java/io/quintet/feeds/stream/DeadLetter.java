package io.quintet.feeds.stream;

/** Headers this service adds to a record it dead-letters (the original headers and value are kept). */
public final class DeadLetter {
    /** Typed reason: not_a_cloudevent, unparseable, not_canonical, envelope_mismatch. */
    public static final String REASON = "quintet.dlq.reason";
    public static final String SERVICE = "quintet.dlq.service";
    public static final String TOPIC = "quintet.dlq.topic";
    public static final String PARTITION = "quintet.dlq.partition";
    public static final String OFFSET = "quintet.dlq.offset";

    private DeadLetter() {
    }
}
