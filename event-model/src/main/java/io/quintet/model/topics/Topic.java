package io.quintet.model.topics;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * An immutable typed topic descriptor: binds a topic name to its key and value serdes in one place, so a producer,
 * a consumer and a topology can never disagree on how a topic is encoded.
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {
    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
    }
}
