package io.quintet.model.json;

import io.quintet.model.CanonicalEvent;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Plain JSON serde of the canonical type, for everything inside a Kafka Streams topology (state stores,
 * repartition topics) where record headers, and so CloudEvents binary mode, are not available
 * (cloudevents/sdk-java#597). Topic edges use {@link io.quintet.model.cloudevents.CloudEventSerde}.
 * A deserialization failure throws {@link io.quintet.model.EventDecodingException}.
 */
public final class CanonicalJsonSerde implements Serde<CanonicalEvent> {

    @Override
    public Serializer<CanonicalEvent> serializer() {
        return (topic, event) -> event == null ? null : CanonicalJson.toBytes(event);
    }

    @Override
    public Deserializer<CanonicalEvent> deserializer() {
        return (topic, bytes) -> bytes == null ? null : CanonicalJson.fromBytes(bytes);
    }
}
