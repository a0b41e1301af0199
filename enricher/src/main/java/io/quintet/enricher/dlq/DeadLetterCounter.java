package io.quintet.enricher.dlq;

/**
 * Where the dead-letter steps count what they dead-letter: the enricher's telemetry implements it, so this package
 * needs nothing of the telemetry package (which names {@link DlqReason}).
 */
public interface DeadLetterCounter {
    /** Streams config key under which the application hands its counter to the exception handlers. */
    String CONFIG_KEY = "quintet.enricher.telemetry";

    /** Counts nothing: the handlers' counter until {@link #CONFIG_KEY} gives them one. */
    DeadLetterCounter NONE = (reason, source) -> {};

    /** One event dead-lettered for {@code reason}; {@code source} is its CloudEvents source, null or blank if unknown. */
    void deadLettered(DlqReason reason, String source);
}
