package io.quintet.gateway.http;

/** Whether Kafka can take events now, and why not. */
public interface Readiness {

    boolean kafkaAvailable();

    /** A short explanation for {@code /readyz} and 503 answers (no secrets, no event content). */
    String detail();

    /** Seconds a client should wait before retrying while Kafka is unavailable. */
    long retryAfterSeconds();
}
