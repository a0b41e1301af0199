package io.quintet.gateway.ingest;

/** Where an accepted event is written. */
public enum Destination {
    /** {@code events.raw}, keyed by actor id: every event. */
    EVENTS,
    /** {@code profiles}, keyed by actor id: Segment identify and group calls (traits). */
    PROFILES,
    /** {@code erasure.requests}, keyed by subject id. */
    ERASURE
}
