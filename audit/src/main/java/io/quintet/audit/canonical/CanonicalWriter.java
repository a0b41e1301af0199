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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a canonical event's JSON so that, for most events, the text is already its RFC 8785 form: members sorted by
 * name at every level, and a generator that watches every token and says whether the text it wrote is canonical. When
 * it is, the chain hashes the record's data as it is instead of canonicalizing it again ({@link
 * StreamingCanonicalizer}: a second pass over the JSON, 7.5 % of the audit-on enricher's stream thread).
 * <p>
 * A double with an integral value is written as that integer ({@code 300}, not Java's {@code 300.0}: the same JSON
 * number, and its ES6 form). A number whose text is not its ES6 form ({@code 19.90}, {@code 1.0E-7}, an integer
 * beyond 2^53) is written as it is, and its place in the output is noted: the canonical bytes are the text with each
 * such number replaced by its ES6 form, checked byte for byte against what was written. A token the generator cannot
 * vouch for (a control character other than the five with short escapes, which Jackson escapes in upper-case hex; a
 * surrogate; a member out of order, as the top-level extensions are; anything raw) makes the result "not canonical",
 * and the caller canonicalizes the text as before. The data is the same JSON value either way (the members' order and
 * integral doubles are all that differ from {@link CanonicalJson#toBytes}), so its canonical bytes are the same:
 * {@code CanonicalWriterTest} checks both against {@link CanonicalForm#ofData} on every fixture and on random events.
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

    /**
     * The JSON written, and its canonical bytes: {@code json} itself when the text is its own canonical form, a copy
     * with numbers in ES6 form when only numbers differ, null when the writer cannot vouch for them.
     */
    record Written(byte[] json, byte[] canonical) {
        /** The text is its own canonical form (no copy, no second pass). */
        boolean asWritten() {
            return canonical == json;
        }
    }

    private CanonicalWriter() {}

    static Written write(CanonicalEvent event) {
        ByteArrayBuilder out = new ByteArrayBuilder(WRITER.getFactory()._getBufferRecycler(), 2048);
        try (Certifying g = new Certifying(WRITER.getFactory().createGenerator(out), out)) {
            WRITER.writeValue(g, event);
            g.close();
            byte[] json = out.toByteArray();
            return new Written(json, g.canonical ? g.spliced(json) : null);
        } catch (IOException e) {
            throw new UncheckedIOException("canonical event could not be written as JSON", e);
        } finally {
            out.release();
        }
    }

    /** Passes every token on, and notes any whose text might differ from RFC 8785's. */
    static final class Certifying extends JsonGeneratorDelegate {
        private static final long MAX_EXACT = 1L << 53;
        private final ByteArrayBuilder out;
        boolean canonical = true;
        /** Numbers written in a form other than their ES6 one, in output order; null while there are none. */
        private List<Splice> splices;

        /** A number written as {@code written} ending at byte {@code end} of the output, canonically {@code es6}. */
        private record Splice(int end, String written, String es6) {}

        Certifying(JsonGenerator d, ByteArrayBuilder out) {
            super(d, false); // copy methods (writeObject, writeTree) come back through this generator
            this.out = out;
        }

        /** Notes a number just written as {@code written} whose ES6 form is {@code es6} (when they differ). */
        private void number(String written, String es6) {
            if (!written.equals(es6)) {
                if (splices == null) {
                    splices = new ArrayList<>();
                }
                splices.add(new Splice(out.size() + delegate.getOutputBuffered(), written, es6));
            }
        }

        /**
         * The canonical bytes of {@code json} (this generator's whole output): itself, or a copy with every noted
         * number in ES6 form; null when a noted number is not where and as it was expected (then the caller
         * canonicalizes the text).
         */
        byte[] spliced(byte[] json) {
            if (splices == null) {
                return json;
            }
            ByteArrayOutputStream canonicalBytes = new ByteArrayOutputStream(json.length);
            int copied = 0;
            for (Splice s : splices) {
                int start = s.end() - s.written().length();
                if (start < copied || s.end() > json.length || !ascii(json, start, s.written())) {
                    return null;
                }
                canonicalBytes.write(json, copied, start - copied);
                canonicalBytes.writeBytes(s.es6().getBytes(StandardCharsets.US_ASCII));
                copied = s.end();
            }
            canonicalBytes.write(json, copied, json.length - copied);
            return canonicalBytes.toByteArray();
        }

        private static boolean ascii(byte[] json, int at, String text) {
            for (int i = 0; i < text.length(); i++) {
                if (json[at + i] != text.charAt(i)) {
                    return false;
                }
            }
            return true;
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
            super.writeNumber(v);
            if (v < -MAX_EXACT || v > MAX_EXACT) {
                number(Long.toString(v), Es6Numbers.toCanonical(v));
            }
        }

        @Override
        public void writeNumber(BigInteger v) throws IOException {
            super.writeNumber(v);
            if (v == null) {
                canonical = false;
            } else {
                number(v.toString(), Es6Numbers.toCanonical(v));
            }
        }

        @Override
        public void writeNumber(double v) throws IOException {
            if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                // an integral double (a duration of 300.0 ms): Java writes "300.0", ES6 and the canonical form "300".
                // Written as the integer it is: the same JSON number, read back into a double field as 300.0
                super.writeNumber((long) v);
                return;
            }
            super.writeNumber(v);
            if (Double.isFinite(v)) {
                String text = Double.toString(v); // what Jackson writes (checked when spliced)
                number(text, es6(text));
            } else {
                canonical = false;
            }
        }

        @Override
        public void writeNumber(float v) throws IOException {
            super.writeNumber(v);
            if (Float.isFinite(v)) {
                String text = Float.toString(v);
                number(text, es6(text));
            } else {
                canonical = false;
            }
        }

        @Override
        public void writeNumber(BigDecimal v) throws IOException {
            super.writeNumber(v);
            // Jackson writes toString() (WRITE_BIGDECIMAL_AS_PLAIN is off)
            if (v == null || isEnabled(Feature.WRITE_BIGDECIMAL_AS_PLAIN)) {
                canonical = false;
            } else {
                String text = v.toString();
                number(text, es6(text));
            }
        }

        /**
         * What the canonicalizer writes for a number token of this text: read as a parser reads it (an integer token
         * when it has no '.', 'e' or 'E'), then in ES6 form.
         */
        private static String es6(String text) {
            boolean integer = text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
            return integer
                    ? Es6Numbers.toCanonical(new BigInteger(text))
                    : Es6Numbers.toCanonical(new BigDecimal(text));
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
