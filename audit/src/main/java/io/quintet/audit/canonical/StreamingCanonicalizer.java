package io.quintet.audit.canonical;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.quintet.model.json.CanonicalJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The RFC 8785 form of JSON text in one pass over its tokens, without building a tree: the same output as
 * {@link JsonCanonicalizer} over {@link CanonicalJson#parseTree} (the same parser settings, numbers written by the
 * same code, strings straight to UTF-8 by the same rules). Each object's members are written where they are read,
 * then put in order within the output. Text it does not handle exactly as the tree path would (a repeated member
 * name, which the tree resolves by keeping the last; text that is not well-formed) gives {@code null}, and the
 * caller takes the tree path, which also reports the errors.
 */
final class StreamingCanonicalizer {
    private static final JsonFactory FACTORY = CanonicalJson.newMapper().getFactory();

    private StreamingCanonicalizer() {}

    /**
     * The canonical bytes of {@code json}, or null when the tree path must decide.
     *
     * @throws IllegalArgumentException when a string holds a lone surrogate (as the tree path does)
     */
    static byte[] canonicalize(byte[] json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return null;
            }
            Utf8Sink out = new Utf8Sink(json.length + 16);
            return value(p, first, out) ? out.toByteArray() : null;
        } catch (IOException notWellFormed) {
            return null; // the tree path parses it again and reports where
        }
    }

    private static boolean value(JsonParser p, JsonToken t, Utf8Sink out) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                return object(p, out);
            }
            case START_ARRAY -> {
                out.ascii('[');
                boolean first = true;
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    if (e == null) {
                        return false;
                    }
                    if (!first) {
                        out.ascii(',');
                    }
                    first = false;
                    if (!value(p, e, out)) {
                        return false;
                    }
                }
                out.ascii(']');
                return true;
            }
            case VALUE_STRING -> out.string(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            case VALUE_NUMBER_INT ->
                out.ascii(
                        p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                                ? Es6Numbers.toCanonical(p.getBigIntegerValue())
                                : Es6Numbers.toCanonical(p.getLongValue()));
            case VALUE_NUMBER_FLOAT -> out.ascii(Es6Numbers.toCanonical(p.getDecimalValue()));
            case VALUE_TRUE -> out.ascii("true");
            case VALUE_FALSE -> out.ascii("false");
            case VALUE_NULL -> out.ascii("null");
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Writes the members as read ({@code "name":value}, no separators), then rewrites them in order. */
    private static boolean object(JsonParser p, Utf8Sink out) throws IOException {
        int start = out.length();
        String[] names = new String[8];
        int[] spans = new int[16]; // from, to of member i at 2i, 2i + 1
        int n = 0;
        boolean sorted = true;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            if (t != JsonToken.FIELD_NAME) {
                return false;
            }
            String name = p.currentName();
            if (n > 0) {
                int c = names[n - 1].compareTo(name);
                if (c == 0) {
                    return false; // a repeated name: the tree keeps the last one
                }
                sorted &= c < 0;
            }
            int from = out.length();
            out.string(name);
            out.ascii(':');
            JsonToken v = p.nextToken();
            if (v == null || !value(p, v, out)) {
                return false;
            }
            if (n == names.length) {
                names = Arrays.copyOf(names, 2 * n);
                spans = Arrays.copyOf(spans, 4 * n);
            }
            names[n] = name;
            spans[2 * n] = from;
            spans[2 * n + 1] = out.length();
            n++;
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) { // insertion sort by name (UTF-16 code units, as RFC 8785): objects are small
            int m = i;
            if (!sorted) {
                while (m > 0 && names[order[m - 1]].compareTo(names[i]) > 0) {
                    order[m] = order[m - 1];
                    m--;
                }
                if (m > 0 && names[order[m - 1]].equals(names[i])) {
                    return false;
                }
            }
            order[m] = i;
        }
        byte[] members = out.copy(start);
        out.truncate(start);
        out.ascii('{');
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.ascii(',');
            }
            int from = spans[2 * order[i]];
            out.bytes(members, from - start, spans[2 * order[i] + 1] - from);
        }
        out.ascii('}');
        return true;
    }

    /**
     * A growable UTF-8 byte buffer that writes strings as {@link JsonCanonicalizer#writeString} does: only {@code "},
     * {@code \} and control characters escaped ({@code \b \t \n \f \r}, others as lower-case {@code \}{@code u00xx}),
     * a lone surrogate rejected.
     */
    private static final class Utf8Sink {
        private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        private byte[] buf;
        private int len;

        Utf8Sink(int capacity) {
            buf = new byte[Math.max(64, capacity)];
        }

        int length() {
            return len;
        }

        byte[] copy(int from) {
            return Arrays.copyOfRange(buf, from, len);
        }

        void truncate(int to) {
            len = to;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, len);
        }

        private void room(int n) {
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
        }

        void ascii(char c) {
            room(1);
            buf[len++] = (byte) c;
        }

        void ascii(String s) {
            int n = s.length();
            room(n);
            for (int i = 0; i < n; i++) {
                buf[len++] = (byte) s.charAt(i);
            }
        }

        void bytes(byte[] b, int off, int n) {
            room(n);
            System.arraycopy(b, off, buf, len, n);
            len += n;
        }

        void string(String s) {
            string(s.toCharArray(), 0, s.length());
        }

        void string(char[] chars, int off, int n) {
            room(n * 6 + 2); // at most 6 bytes per char (an escape), so no check per char
            buf[len++] = '"';
            int end = off + n;
            for (int i = off; i < end; i++) {
                char c = chars[i];
                if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                    buf[len++] = (byte) c;
                } else if (c < 0x80) {
                    escape(c);
                } else if (c < 0x800) {
                    buf[len++] = (byte) (0xC0 | (c >> 6));
                    buf[len++] = (byte) (0x80 | (c & 0x3F));
                } else if (Character.isHighSurrogate(c)) {
                    if (i + 1 >= end || !Character.isLowSurrogate(chars[i + 1])) {
                        throw new IllegalArgumentException("string holds a lone surrogate at index " + (i - off));
                    }
                    int cp = Character.toCodePoint(c, chars[++i]);
                    buf[len++] = (byte) (0xF0 | (cp >> 18));
                    buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    buf[len++] = (byte) (0x80 | (cp & 0x3F));
                } else if (Character.isLowSurrogate(c)) {
                    throw new IllegalArgumentException("string holds a lone surrogate at index " + (i - off));
                } else {
                    buf[len++] = (byte) (0xE0 | (c >> 12));
                    buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                    buf[len++] = (byte) (0x80 | (c & 0x3F));
                }
            }
            buf[len++] = '"';
        }

        private void escape(char c) {
            switch (c) {
                case '"' -> ascii("\\\"");
                case '\\' -> ascii("\\\\");
                case '\b' -> ascii("\\b");
                case '\f' -> ascii("\\f");
                case '\n' -> ascii("\\n");
                case '\r' -> ascii("\\r");
                case '\t' -> ascii("\\t");
                default -> {
                    ascii("\\u00");
                    room(2);
                    buf[len++] = HEX[c >> 4];
                    buf[len++] = HEX[c & 0xF];
                }
            }
        }
    }
}
