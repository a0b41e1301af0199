package io.quintet.feeds.metrics;

import io.quintet.feeds.stream.JsonSerde;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** Serdes of the combiner: its store of partials, and the partial aggregates on the metrics-by-series repartition. */
public final class PartialSerdes {
    private PartialSerdes() {}

    /** {@link MetricsCombiner.Partial}: the largest event time, then the aggregate in {@link WindowAggregateSerde}'s form. */
    public static Serde<MetricsCombiner.Partial> partial() {
        Serializer<MetricsCombiner.Partial> ser = (topic, p) -> {
            if (p == null) {
                return null;
            }
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
                DataOutputStream out = new DataOutputStream(bytes);
                out.writeLong(p.maxTimestamp());
                WindowAggregateSerde.write(p.aggregate(), out);
                return bytes.toByteArray();
            } catch (IOException e) {
                throw new SerializationException("could not write a partial aggregate", e);
            }
        };
        Deserializer<MetricsCombiner.Partial> de = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                return new MetricsCombiner.Partial(in.readLong(), WindowAggregateSerde.read(in));
            } catch (IOException e) {
                throw new SerializationException("could not read a partial aggregate", e);
            }
        };
        return Serdes.serdeFrom(ser, de);
    }

    private static final byte WATERMARK = 2;

    /**
     * The values of the metrics-by-series repartition topic: a partial aggregate in {@link WindowAggregateSerde}'s form
     * (first byte: its version, 1), or a watermark (first byte 2, then partition, stream time, idle). Records written by
     * earlier versions (one JSON {@link MetricSample} per event, first byte {@code '{'}) still read, as a partial of one
     * event, so an upgrade with records in flight loses none.
     */
    public static Serde<SeriesInput> repartitioned(MetricsSettings settings) {
        Deserializer<MetricSample> legacy = new JsonSerde<>(MetricSample.class).deserializer();
        Serializer<SeriesInput> ser = (topic, in) -> {
            if (in == null) {
                return null;
            }
            if (in.partial() != null) {
                return WindowAggregateSerde.write(in.partial());
            }
            SeriesInput.Watermark w = in.watermark();
            return ByteBuffer.allocate(14)
                    .put(WATERMARK)
                    .putInt(w.partition())
                    .putLong(w.streamTime())
                    .put((byte) (w.idle() ? 1 : 0))
                    .array();
        };
        Deserializer<SeriesInput> de = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length > 0 && bytes[0] == '{') {
                return SeriesInput.of(WindowAggregate.empty(settings).add(legacy.deserialize(topic, bytes)));
            }
            if (bytes.length > 0 && bytes[0] == WATERMARK) {
                if (bytes.length != 14) {
                    throw new SerializationException("a metrics watermark has 14 bytes, this one " + bytes.length);
                }
                ByteBuffer b = ByteBuffer.wrap(bytes, 1, 13);
                return SeriesInput.of(new SeriesInput.Watermark(b.getInt(), b.getLong(), b.get() == 1));
            }
            return SeriesInput.of(WindowAggregateSerde.read(bytes));
        };
        return Serdes.serdeFrom(ser, de);
    }
}
