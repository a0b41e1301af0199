package io.quintet.feeds.metrics;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.store.CollapsingLowestDenseStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.datasketches.hll.HllSketch;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Compact binary form of a {@link WindowAggregate} for its window store and changelog: a version byte, the counts,
 * the sketches in their libraries' own serial formats (DataSketches compact HLL, DDSketch's own encoding with its index mapping) and the sums.
 */
public final class WindowAggregateSerde implements Serde<WindowAggregate> {
    private static final byte VERSION = 1;

    @Override
    public Serializer<WindowAggregate> serializer() {
        return (topic, agg) -> agg == null ? null : write(agg);
    }

    @Override
    public Deserializer<WindowAggregate> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    static byte[] write(WindowAggregate agg) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            write(agg, new DataOutputStream(bytes));
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new SerializationException("could not write a window aggregate", e);
        }
    }

    static void write(WindowAggregate agg, DataOutputStream out) throws IOException {
        {
            out.writeByte(VERSION);
            out.writeLong(agg.count());
            out.writeLong(agg.failures());
            out.writeDouble(agg.relativeAccuracy());
            byte[] hll = agg.actors().toCompactByteArray();
            out.writeInt(hll.length);
            out.write(hll);
            GrowingByteArrayOutput ddOut = GrowingByteArrayOutput.withDefaultInitialCapacity();
            agg.durations().encode(ddOut, false);
            byte[] ddBytes = ddOut.trimmedCopy();
            out.writeInt(ddBytes.length);
            out.write(ddBytes);
            out.writeInt(agg.sums().size());
            for (var e : agg.sums().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue().toString());
            }
            out.flush();
        }
    }

    static WindowAggregate read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return read(in);
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException se) {
                throw se;
            }
            throw new SerializationException("could not read a window aggregate", e);
        }
    }

    static WindowAggregate read(DataInputStream in) throws IOException {
        {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new SerializationException("window aggregate version " + version + " is not supported");
            }
            long count = in.readLong();
            long failures = in.readLong();
            double accuracy = in.readDouble();
            byte[] hll = new byte[in.readInt()];
            in.readFully(hll);
            byte[] dd = new byte[in.readInt()];
            in.readFully(dd);
            DDSketch durations = DDSketch.decode(
                    ByteArrayInput.wrap(dd), () -> new CollapsingLowestDenseStore(MetricsSettings.DDSKETCH_MAX_BINS));
            int sums = in.readInt();
            Map<String, BigDecimal> sumMap = new LinkedHashMap<>();
            for (int i = 0; i < sums; i++) {
                sumMap.put(in.readUTF(), new BigDecimal(in.readUTF()));
            }
            // copy into a fresh updatable sketch: heapify returns one of the same type and lgK
            HllSketch actors = HllSketch.heapify(hll);
            return new WindowAggregate(count, failures, actors, durations, accuracy, sumMap);
        }
    }
}
