package io.quintet.model.cloudevents;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.kafka.CloudEventSerializer;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.EventDecodingException;
import io.quintet.model.EventDecodingException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde of canonical events as CloudEvents, for topic edges: writes binary mode (ce_* headers, data as the
 * value) as the CloudEvents SDK does ({@link BinaryModeWriter}, the SDK itself for events it would refuse), reads
 * binary and structured mode. Usable as a Kafka Streams {@link Serde}
 * at sources and sinks (which pass record headers); inside a topology use
 * {@link io.quintet.model.json.CanonicalJsonSerde}.
 * <p>
 * The deserializer throws a typed {@link EventDecodingException} for anything that is not a canonical CloudEvent,
 * so a deserialization exception handler can route it to a dead-letter topic; {@link #decode(Headers, byte[])}
 * returns the same outcome as a value instead.
 */
public final class CloudEventSerde implements Serde<CanonicalEvent> {
    /** Thread-safe; its only state is a bounded cache of parsed, immutable source / dataschema URIs. */
    private static final BinaryModeReader BINARY_MODE = new BinaryModeReader();

    @Override
    public Serializer<CanonicalEvent> serializer() {
        return new BinarySerializer();
    }

    @Override
    public Deserializer<CanonicalEvent> deserializer() {
        return new CanonicalDeserializer();
    }

    /** Decodes a record without throwing: the event, or the typed reason it is not one. */
    public static DecodeResult decode(Headers headers, byte[] value) {
        try {
            return new DecodeResult.Decoded(toCanonical(headers, value));
        } catch (EventDecodingException e) {
            return new DecodeResult.Failed(e.reason(), e.getMessage());
        }
    }

    /**
     * Reads the CloudEvent envelope (binary or structured mode); typed failure when there is none. A plain binary-mode
     * record (what Quintet's producers write) is read straight from its headers ({@link BinaryModeReader}), anything
     * else by the SDK's Kafka reader.
     */
    public static CloudEvent readCloudEvent(Headers headers, byte[] value) {
        CloudEvent plain = BINARY_MODE.read(headers, value); // the common case, same result as the SDK's reader
        if (plain != null) {
            return plain;
        }
        Headers h = headers == null ? new RecordHeaders() : headers;
        boolean structured = isStructured(h);
        try {
            return KafkaMessageFactory.createReader(h, value).toEvent();
        } catch (RuntimeException e) {
            if (structured) {
                throw new EventDecodingException(
                        Reason.UNPARSEABLE, "structured-mode CloudEvent could not be parsed: " + rootMessage(e), e);
            }
            throw new EventDecodingException(
                    Reason.NOT_A_CLOUDEVENT,
                    "record is not a CloudEvent (no ce_specversion header and no application/cloudevents content-type)",
                    e);
        }
    }

    static CanonicalEvent toCanonical(Headers headers, byte[] value) {
        return CloudEventMapper.fromCloudEvent(readCloudEvent(headers, value));
    }

    private static boolean isStructured(Headers headers) {
        Header ct = headers.lastHeader("content-type");
        return ct != null
                && ct.value() != null
                && new String(ct.value(), StandardCharsets.UTF_8)
                        .toLowerCase(Locale.ROOT)
                        .startsWith("application/cloudevents");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName();
    }

    /** Writes binary mode; requires record headers (the producer and Kafka Streams sinks provide them). */
    /** The binary-mode serializer, with its extra entry point for data already written as JSON. */
    public BinarySerializer binarySerializer() {
        return new BinarySerializer();
    }

    /** Binary mode (what {@link #serializer()} writes). */
    public static final class BinarySerializer implements Serializer<CanonicalEvent> {
        private final CloudEventSerializer delegate = new CloudEventSerializer();
        private final BinaryModeWriter writer = new BinaryModeWriter();

        BinarySerializer() {
            delegate.configure(Map.of(CloudEventSerializer.ENCODING_CONFIG, Encoding.BINARY), false);
        }

        @Override
        public byte[] serialize(String topic, CanonicalEvent event) {
            throw new UnsupportedOperationException(
                    "CloudEvents binary mode needs record headers; use serialize(topic, headers, event)");
        }

        @Override
        public byte[] serialize(String topic, Headers headers, CanonicalEvent event) {
            if (event == null) {
                return null;
            }
            // straight to the headers (the same bytes as the SDK's); the SDK for what the writer leaves to it
            return serialize(topic, headers, event, null);
        }

        /**
         * Binary mode with the data the caller already wrote: {@code data} must be {@code CanonicalJson.toBytes(event)}
         * (the audit chain hashes these very bytes, so they are written once and are what the record carries).
         */
        public byte[] serialize(String topic, Headers headers, CanonicalEvent event, byte[] data) {
            if (event == null) {
                return null;
            }
            // straight to the headers (the same bytes as the SDK's); the SDK for what the writer leaves to it
            byte[] value = writer.write(
                    headers, event, event.actor() == null ? null : event.actor().id(), data);
            return value != null ? value : delegate.serialize(topic, headers, CloudEventMapper.toCloudEvent(event));
        }
    }

    static final class CanonicalDeserializer implements Deserializer<CanonicalEvent> {
        @Override
        public CanonicalEvent deserialize(String topic, byte[] data) {
            return deserialize(topic, new RecordHeaders(), data);
        }

        @Override
        public CanonicalEvent deserialize(String topic, Headers headers, byte[] data) {
            if (data == null && (headers == null || headers.lastHeader("ce_specversion") == null)) {
                return null; // tombstone
            }
            return toCanonical(headers, data);
        }
    }
}
