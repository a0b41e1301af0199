package io.quintet.enricher.dlq;

import java.time.Instant;

/** Where a dead-lettered record came from: topic, partition, offset and the record's timestamp. */
public record SourceCoordinates(String topic, int partition, long offset, Instant timestamp) {

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
