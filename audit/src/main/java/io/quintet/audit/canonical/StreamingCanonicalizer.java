package io.quintet.audit.canonical;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.quintet.model.json.CanonicalJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The RFC 8785 form of JSON text in one pass over its tokens, without building a tree: the same output as
 * {@link JsonCanonicalizer} over {@link CanonicalJson#parseTree} (the same parser settings, numbers and strings
 * written by the same code), about half the work per event. Each object's members are written where they are read,
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
            StringBuilder out = new StringBuilder(json.length + 16);
            return value(p, first, out) ? out.toString().getBytes(StandardCharsets.UTF_8) : null;
        } catch (IOException notWellFormed) {
            return null; // the tree path parses it again and reports where
        }
    }

    private static boolean value(JsonParser p, JsonToken t, StringBuilder out) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                return object(p, out);
            }
            case START_ARRAY -> {
                out.append('[');
                boolean first = true;
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    if (e == null) {
                        return false;
                    }
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    if (!value(p, e, out)) {
                        return false;
                    }
                }
                out.append(']');
                return true;
            }
            case VALUE_STRING -> JsonCanonicalizer.writeString(p.getText(), out);
            case VALUE_NUMBER_INT ->
                out.append(
                        p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                                ? Es6Numbers.toCanonical(p.getBigIntegerValue())
                                : Es6Numbers.toCanonical(p.getLongValue()));
            case VALUE_NUMBER_FLOAT -> out.append(Es6Numbers.toCanonical(p.getDecimalValue()));
            case VALUE_TRUE -> out.append("true");
            case VALUE_FALSE -> out.append("false");
            case VALUE_NULL -> out.append("null");
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Writes the members as read ({@code "name":value}, no separators), then rewrites them sorted. */
    private static boolean object(JsonParser p, StringBuilder out) throws IOException {
        int start = out.length();
        List<String> names = new ArrayList<>(8);
        List<int[]> spans = new ArrayList<>(8);
        boolean sorted = true;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            if (t != JsonToken.FIELD_NAME) {
                return false;
            }
            String name = p.currentName();
            if (!names.isEmpty()) {
                int c = names.get(names.size() - 1).compareTo(name);
                if (c == 0) {
                    return false; // a repeated name: the tree keeps the last one
                }
                sorted &= c < 0;
            }
            int from = out.length();
            JsonCanonicalizer.writeString(name, out);
            out.append(':');
            JsonToken v = p.nextToken();
            if (v == null || !value(p, v, out)) {
                return false;
            }
            names.add(name);
            spans.add(new int[] {from, out.length()});
        }
        int n = names.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (!sorted) {
            Arrays.sort(order, (a, b) -> names.get(a).compareTo(names.get(b))); // UTF-16 code units, as RFC 8785
            for (int i = 1; i < n; i++) {
                if (names.get(order[i - 1]).equals(names.get(order[i]))) {
                    return false;
                }
            }
        }
        char[] members = new char[out.length() - start];
        out.getChars(start, out.length(), members, 0);
        out.setLength(start);
        out.append('{');
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.append(',');
            }
            int[] span = spans.get(order[i]);
            out.append(members, span[0] - start, span[1] - span[0]);
        }
        out.append('}');
        return true;
    }
}
