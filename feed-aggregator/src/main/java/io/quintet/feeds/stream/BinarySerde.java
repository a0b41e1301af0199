package io.quintet.feeds.stream;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A compact binary serde for one of this module's internal value types (state stores and repartition topics, which
 * nothing outside the service reads): a version byte ({@value #V1}), then the fields in a fixed order, written by hand
 * ({@link Out}) and read back the same way ({@link In}). Strings are UTF-8 with a varint length (0 = null, n + 1 =
 * length n), numbers varints, instants seconds and nanos. About a fifth of the stream thread's time went to the
 * JSON (de)serialization of these values. Records written as JSON by earlier versions (they start with
 * <code>{</code>) are still read, with the type's {@link JsonSerde}. A type that gains a field writes a higher version
 * byte ({@link #BinarySerde(Class, byte, Writer, Reader)}) and reads every version up to it: its reader asks
 * {@link In#version()} whether the field is there.
 */
public final class BinarySerde<T> implements Serde<T> {
    public static final byte V1 = 1;
    public static final byte V2 = 2;

    /** Writes the fields of a value. */
    public interface Writer<T> {
        void write(T value, Out out);
    }

    /** Reads the fields of a value. */
    public interface Reader<T> {
        T read(In in);
    }

    private final Class<T> type;
    private final Writer<T> writer;
    private final Reader<T> reader;
    private final JsonSerde<T> legacy;
    private final byte version;

    public BinarySerde(Class<T> type, Writer<T> writer, Reader<T> reader) {
        this(type, V1, writer, reader);
    }

    /** Writes {@code version}, reads versions {@value #V1} to {@code version}. */
    public BinarySerde(Class<T> type, byte version, Writer<T> writer, Reader<T> reader) {
        this.version = version;
        this.type = type;
        this.writer = writer;
        this.reader = reader;
        this.legacy = new JsonSerde<>(type);
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : write(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        Deserializer<T> json = legacy.deserializer();
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length > 0 && bytes[0] == '{') {
                return json.deserialize(topic, bytes);
            }
            return read(bytes);
        };
    }

    public byte[] write(T value) {
        Out out = new Out();
        out.buf[0] = version;
        out.len = 1;
        writer.write(value, out);
        return out.bytes();
    }

    public T read(byte[] bytes) {
        if (bytes.length == 0 || bytes[0] < V1 || bytes[0] > version) {
            throw new SerializationException("could not read " + type.getSimpleName() + ": unknown format "
                    + (bytes.length == 0 ? "(empty)" : Integer.toString(bytes[0])));
        }
        In in = new In(bytes, 1, bytes[0]);
        try {
            T value = reader.read(in);
            if (in.pos != bytes.length) {
                throw new SerializationException(
                        "could not read " + type.getSimpleName() + ": " + (bytes.length - in.pos) + " trailing bytes");
            }
            return value;
        } catch (ArrayIndexOutOfBoundsException | NegativeArraySizeException | IllegalArgumentException e) {
            throw new SerializationException("could not read " + type.getSimpleName() + ": truncated or corrupt");
        }
    }

    /** A growing byte buffer with the primitive writes the codecs need. */
    public static final class Out {
        private byte[] buf = new byte[128];
        private int len;

        private void ensure(int n) {
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
        }

        public Out varlong(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[len++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[len++] = (byte) v;
            return this;
        }

        /** A signed long, zig-zag encoded. */
        public Out zlong(long v) {
            return varlong((v << 1) ^ (v >> 63));
        }

        public Out bool(boolean b) {
            ensure(1);
            buf[len++] = (byte) (b ? 1 : 0);
            return this;
        }

        /** null, false, true as 0, 1, 2. */
        public Out nullableBool(Boolean b) {
            ensure(1);
            buf[len++] = (byte) (b == null ? 0 : b ? 2 : 1);
            return this;
        }

        public Out string(String s) {
            if (s == null) {
                return varlong(0);
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varlong(b.length + 1L);
            ensure(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
            return this;
        }

        public Out instant(Instant t) {
            if (t == null) {
                return bool(false);
            }
            bool(true);
            zlong(t.getEpochSecond());
            return varlong(t.getNano());
        }

        byte[] bytes() {
            return Arrays.copyOf(buf, len);
        }
    }

    /** Reads what {@link Out} wrote, in the same order. */
    public static final class In {
        private final byte[] buf;
        private int pos;
        private final int version;

        /** The version byte of the value being read: fields added in a later version are absent below it. */
        public int version() {
            return version;
        }

        In(byte[] buf, int pos, int version) {
            this.version = version;
            this.buf = buf;
            this.pos = pos;
        }

        public long varlong() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = buf[pos++];
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("varint too long");
        }

        public long zlong() {
            long v = varlong();
            return (v >>> 1) ^ -(v & 1);
        }

        public int count() {
            long n = varlong();
            if (n < 0 || n > buf.length - pos) {
                throw new IllegalArgumentException("bad count");
            }
            return (int) n;
        }

        public boolean bool() {
            return buf[pos++] != 0;
        }

        public Boolean nullableBool() {
            byte b = buf[pos++];
            return b == 0 ? null : b == 2;
        }

        public String string() {
            long n = varlong();
            if (n == 0) {
                return null;
            }
            int length = (int) (n - 1);
            if (length < 0 || length > buf.length - pos) {
                throw new IllegalArgumentException("bad string length");
            }
            String s = new String(buf, pos, length, StandardCharsets.UTF_8);
            pos += length;
            return s;
        }

        public Instant instant() {
            if (!bool()) {
                return null;
            }
            long seconds = zlong();
            return Instant.ofEpochSecond(seconds, varlong());
        }
    }
}
