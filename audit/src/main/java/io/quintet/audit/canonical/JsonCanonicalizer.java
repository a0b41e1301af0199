package io.quintet.audit.canonical;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * RFC 8785 (JSON Canonicalization Scheme) serialization of a Jackson tree, with the exact-number rule of
 * {@link Es6Numbers}: no whitespace; object members sorted by the UTF-16 code units of their names; strings with
 * only {@code "}, {@code \}, and control characters escaped ({@code \b \t \n \f \r}, others as {@code \}{@code u00xx}
 * with lower-case hex), everything else as UTF-8; literals {@code true false null}. A string holding a lone surrogate
 * has no UTF-8 form and is rejected.
 */
public final class JsonCanonicalizer {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonCanonicalizer() {}

    public static byte[] canonicalize(JsonNode node) {
        return canonicalString(node).getBytes(StandardCharsets.UTF_8);
    }

    public static String canonicalString(JsonNode node) {
        StringBuilder sb = new StringBuilder(512);
        write(node, sb);
        return sb.toString();
    }

    private static void write(JsonNode node, StringBuilder sb) {
        JsonNodeType type = node.getNodeType();
        switch (type) {
            case OBJECT -> writeObject(node, sb);
            case ARRAY -> {
                sb.append('[');
                boolean first = true;
                for (JsonNode element : node) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    write(element, sb);
                }
                sb.append(']');
            }
            case STRING -> writeString(node.textValue(), sb);
            case BINARY -> writeString(node.asText(), sb); // written as base64 text by Jackson
            case NUMBER -> sb.append(number(node));
            case BOOLEAN -> sb.append(node.booleanValue() ? "true" : "false");
            case NULL -> sb.append("null");
            default -> throw new UnsupportedNodeException(type);
        }
    }

    private static void writeObject(JsonNode node, StringBuilder sb) {
        List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            members.add(it.next());
        }
        members.sort(Map.Entry.comparingByKey()); // String.compareTo orders by UTF-16 code units, as RFC 8785 says
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> m : members) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            writeString(m.getKey(), sb);
            sb.append(':');
            write(m.getValue(), sb);
        }
        sb.append('}');
    }

    private static String number(JsonNode node) {
        if (node.isIntegralNumber()) {
            return node.canConvertToLong()
                    ? Es6Numbers.toCanonical(node.longValue())
                    : Es6Numbers.toCanonical(node.bigIntegerValue());
        }
        if (node.isFloat()) {
            // Jackson writes a float with Float.toString; the JSON text, not the widened double, is the value
            return Es6Numbers.toCanonical(new BigDecimal(Float.toString(node.floatValue())));
        }
        if (node.isDouble()) {
            double d = node.doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("NaN and Infinity have no JSON form");
            }
        }
        return Es6Numbers.toCanonical(node.decimalValue());
    }

    /** A tree node that JSON text never produces (a POJO or missing node). */
    static final class UnsupportedNodeException extends IllegalArgumentException {
        UnsupportedNodeException(JsonNodeType type) {
            super("JSON node of type " + type + " has no canonical form");
        }
    }

    static void writeString(String s, StringBuilder sb) {
        sb.append('"');
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else if (Character.isHighSurrogate(c)) {
                        if (i + 1 >= len || !Character.isLowSurrogate(s.charAt(i + 1))) {
                            throw new IllegalArgumentException("string holds a lone surrogate at index " + i);
                        }
                        sb.append(c).append(s.charAt(++i));
                    } else if (Character.isLowSurrogate(c)) {
                        throw new IllegalArgumentException("string holds a lone surrogate at index " + i);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
