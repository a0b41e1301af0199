package io.quintet.audit.streams;

import io.quintet.audit.chain.ChainExtensions;
import io.quintet.model.cloudevents.CloudEventSerde;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a chained event to {@code events.canonical}: the CloudEvents binary mode of {@link CloudEventSerde} plus
 * the chain extensions as {@code ce_chain*} headers. Write-only (readers use {@link CloudEventSerde} and
 * {@link ChainExtensions#read}).
 */
public final class ChainedEventSerde implements Serde<ChainOutput.Event> {

    @Override
    public Serializer<ChainOutput.Event> serializer() {
        CloudEventSerde.BinarySerializer cloudEvents = new CloudEventSerde().binarySerializer();
        return new Serializer<>() {
            @Override
            public byte[] serialize(String topic, ChainOutput.Event data) {
                throw new UnsupportedOperationException(
                        "chained events need record headers; use serialize(topic, headers, event)");
            }

            @Override
            public byte[] serialize(String topic, Headers headers, ChainOutput.Event data) {
                if (data == null) {
                    return null;
                }
                ChainExtensions.writeHeaders(headers, data.link());
                return cloudEvents.serialize(topic, headers, data.event(), data.data());
            }
        };
    }

    @Override
    public Deserializer<ChainOutput.Event> deserializer() {
        return (topic, bytes) -> {
            throw new UnsupportedOperationException(
                    "ChainedEventSerde only writes; read events.canonical with CloudEventSerde");
        };
    }
}
