package io.quintet.metrics;

import io.quintet.feeds.stream.JsonSerde;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Serdes of the combiner: its store of partials, and the partial aggregates on the metrics-by-series repartition. */
public final class PartialSerdes {
    private PartialSerdes() {
    }

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

    /**
     * The values of the metrics-by-series repartition topic: partial aggregates in {@link WindowAggregateSerde}'s form.
     * Records written by earlier versions (one JSON {@link MetricSample} per event, first byte {@code '{'}) still read,
     * as a partial of one event, so an upgrade with records in flight loses none.
     */
    public static Serde<WindowAggregate> repartitioned(MetricsSettings settings) {
        WindowAggregateSerde current = new WindowAggregateSerde();
        Deserializer<MetricSample> legacy = new JsonSerde<>(MetricSample.class).deserializer();
        Deserializer<WindowAggregate> de = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length > 0 && bytes[0] == '{') {
                return WindowAggregate.empty(settings).add(legacy.deserialize(topic, bytes));
            }
            return current.deserializer().deserialize(topic, bytes);
        };
        return Serdes.serdeFrom(current.serializer(), de);
    }
}
