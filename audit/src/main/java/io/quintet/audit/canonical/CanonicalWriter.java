package io.quintet.audit.canonical;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.json.CanonicalJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Writes a canonical event's JSON so that, for most events, the text is already its RFC 8785 form: members sorted by
 * name at every level, and a generator that watches every token and says whether the text it wrote is canonical. When
 * it is, the chain hashes the record's data as it is instead of canonicalizing it again ({@link
 * StreamingCanonicalizer}: a second pass over the JSON, 7.5 % of the audit-on enricher's stream thread).
 * <p>
 * A double with an integral value is written as that integer ({@code 300}, not Java's {@code 300.0}: the same JSON
 * number, and its ES6 form). A token the generator cannot vouch for (a number whose text is not its ES6 form, such as
 * {@code 19.90} or {@code 1.0E-7}; an integer beyond 2^53; a control character other than the five with short
 * escapes, which Jackson escapes in upper-case hex; a surrogate; a member out of order, as the top-level extensions
 * are; anything raw) makes the result "not canonical", and the caller canonicalizes the text as before. The data is
 * the same JSON value either way (the members' order and integral doubles are all that differ from {@link
 * CanonicalJson#toBytes}), so its canonical bytes are the same: {@code CanonicalWriterTest} checks both against
 * {@link CanonicalForm#ofData} on every fixture and on random events.
 */
final class CanonicalWriter {
    /** Overrides {@link CanonicalEvent}'s explicit member order: every level sorted by name. */
    @JsonPropertyOrder(alphabetic = true)
    private interface SortedMembers {}

    private static final ObjectWriter WRITER = ((JsonMapper) CanonicalJson.newMapper())
            .rebuild()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .disable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .addMixIn(CanonicalEvent.class, SortedMembers.class)
            .build()
            .writerFor(CanonicalEvent.class);

    /** The JSON written, and whether it is its own canonical form. */
    record Written(byte[] json, boolean canonical) {}

    private CanonicalWriter() {}

    static Written write(CanonicalEvent event) {
        ByteArrayBuilder out = new ByteArrayBuilder(WRITER.getFactory()._getBufferRecycler(), 2048);
        try (Certifying g = new Certifying(WRITER.getFactory().createGenerator(out))) {
            WRITER.writeValue(g, event);
            g.close();
            return new Written(out.toByteArray(), g.canonical);
        } catch (IOException e) {
            throw new UncheckedIOException("canonical event could not be written as JSON", e);
        } finally {
            out.release();
        }
    }

    /** Passes every token on, and notes any whose text might differ from RFC 8785's. */
    static final class Certifying extends JsonGeneratorDelegate {
        private static final long MAX_EXACT = 1L << 53;
        boolean canonical = true;

        Certifying(JsonGenerator d) {
            super(d, false); // copy methods (writeObject, writeTree) come back through this generator
        }

        @Override
        public void writeFieldName(String name) throws IOException {
            name(name);
            super.writeFieldName(name);
        }

        @Override
        public void writeFieldName(SerializableString name) throws IOException {
            name(name.getValue());
            super.writeFieldName(name);
        }

        @Override
        public void writeFieldId(long id) throws IOException {
            canonical = false;
            super.writeFieldId(id);
        }

        private void name(String name) {
            // the object's previous member name (null for its first): RFC 8785 orders by UTF-16 code units, as
            // String.compareTo does; an equal name (a repeated member) is not canonical either
            String previous = delegate.getOutputContext().getCurrentName();
            if (previous != null && previous.compareTo(name) >= 0) {
                canonical = false;
            }
            text(name);
        }

        @Override
        public void writeString(String text) throws IOException {
            if (text != null) {
                text(text);
            }
            super.writeString(text);
        }

        @Override
        public void writeString(char[] text, int offset, int len) throws IOException {
            for (int i = offset; i < offset + len; i++) {
                character(text[i]);
            }
            super.writeString(text, offset, len);
        }

        @Override
        public void writeString(SerializableString text) throws IOException {
            text(text.getValue());
            super.writeString(text);
        }

        @Override
        public void writeString(Reader reader, int len) throws IOException {
            canonical = false;
            super.writeString(reader, len);
        }

        @Override
        public void writeRawUTF8String(byte[] text, int offset, int length) throws IOException {
            canonical = false;
            super.writeRawUTF8String(text, offset, length);
        }

        @Override
        public void writeUTF8String(byte[] text, int offset, int length) throws IOException {
            canonical = false;
            super.writeUTF8String(text, offset, length);
        }

        private void text(String s) {
            for (int i = 0, n = s.length(); i < n; i++) {
                character(s.charAt(i));
            }
        }

        private void character(char c) {
            if (c < 0x20) {
                // Jackson and RFC 8785 both write \b \t \n \f \r; the others as a six-character escape, Jackson in
                // upper-case hex
                if (c != '\b' && c != '\t' && c != '\n' && c != '\f' && c != '\r') {
                    canonical = false;
                }
            } else if (Character.isSurrogate(c)) {
                canonical = false; // a pair is fine in both, a lone one is not: left to the canonicalizer to decide
            }
        }

        @Override
        public void writeNumber(long v) throws IOException {
            if (v < -MAX_EXACT || v > MAX_EXACT) {
                canonical = false;
            }
            super.writeNumber(v);
        }

        @Override
        public void writeNumber(BigInteger v) throws IOException {
            if (v == null || !Es6Numbers.toCanonical(v).equals(v.toString())) {
                canonical = false;
            }
            super.writeNumber(v);
        }

        @Override
        public void writeNumber(double v) throws IOException {
            if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                // an integral double (a duration of 300.0 ms): Java writes "300.0", ES6 and the canonical form "300".
                // Written as the integer it is: the same JSON number, read back into a double field as 300.0
                super.writeNumber((long) v);
                return;
            }
            if (!Double.isFinite(v) || !decimal(Double.toString(v))) {
                canonical = false;
            }
            super.writeNumber(v);
        }

        @Override
        public void writeNumber(float v) throws IOException {
            if (!Float.isFinite(v) || !decimal(Float.toString(v))) {
                canonical = false;
            }
            super.writeNumber(v);
        }

        @Override
        public void writeNumber(BigDecimal v) throws IOException {
            // Jackson writes toString() (WRITE_BIGDECIMAL_AS_PLAIN is off)
            if (v == null || isEnabled(Feature.WRITE_BIGDECIMAL_AS_PLAIN) || !decimal(v.toString())) {
                canonical = false;
            }
            super.writeNumber(v);
        }

        /**
         * The number text is what the canonicalizer would write for it: as a parser reads it (an integer token when
         * it has no '.', 'e' or 'E'), then in ES6 form.
         */
        private static boolean decimal(String text) {
            boolean integer = text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
            String es6 = integer
                    ? Es6Numbers.toCanonical(new BigInteger(text))
                    : Es6Numbers.toCanonical(new BigDecimal(text));
            return es6.equals(text);
        }

        @Override
        public void writeNumber(String encodedValue) throws IOException {
            canonical = false;
            super.writeNumber(encodedValue);
        }

        @Override
        public void writeNumber(char[] encodedValueBuffer, int offset, int len) throws IOException {
            canonical = false;
            super.writeNumber(encodedValueBuffer, offset, len);
        }

        @Override
        public void writeRaw(String text) throws IOException {
            canonical = false;
            super.writeRaw(text);
        }

        @Override
        public void writeRaw(String text, int offset, int len) throws IOException {
            canonical = false;
            super.writeRaw(text, offset, len);
        }

        @Override
        public void writeRaw(SerializableString raw) throws IOException {
            canonical = false;
            super.writeRaw(raw);
        }

        @Override
        public void writeRaw(char[] text, int offset, int len) throws IOException {
            canonical = false;
            super.writeRaw(text, offset, len);
        }

        @Override
        public void writeRaw(char c) throws IOException {
            canonical = false;
            super.writeRaw(c);
        }

        @Override
        public void writeRawValue(String text) throws IOException {
            canonical = false;
            super.writeRawValue(text);
        }

        @Override
        public void writeRawValue(String text, int offset, int len) throws IOException {
            canonical = false;
            super.writeRawValue(text, offset, len);
        }

        @Override
        public void writeRawValue(char[] text, int offset, int len) throws IOException {
            canonical = false;
            super.writeRawValue(text, offset, len);
        }

        @Override
        public void writeBinary(com.fasterxml.jackson.core.Base64Variant b64variant, byte[] data, int offset, int len)
                throws IOException {
            canonical = false;
            super.writeBinary(b64variant, data, offset, len);
        }

        @Override
        public int writeBinary(com.fasterxml.jackson.core.Base64Variant b64variant, InputStream data, int dataLength)
                throws IOException {
            canonical = false;
            return super.writeBinary(b64variant, data, dataLength);
        }

        @Override
        public void writeEmbeddedObject(Object object) throws IOException {
            canonical = false;
            super.writeEmbeddedObject(object);
        }
    }
}
