package io.quintet.demo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds which of a set of strings occur in a byte array (their UTF-8 bytes, anywhere): a byte trie walked from every
 * position, so thousands of values are looked for in one pass over the bytes. Immutable once built.
 */
final class SecretMatcher {
    private static final class Node {
        final Map<Byte, Node> next = new HashMap<>(4);
        String value;
    }

    private final Node root = new Node();
    private final int size;

    SecretMatcher(Collection<String> values) {
        int n = 0;
        for (String v : values) {
            if (v == null || v.isEmpty()) {
                continue;
            }
            Node node = root;
            for (byte b : v.getBytes(StandardCharsets.UTF_8)) {
                node = node.next.computeIfAbsent(b, k -> new Node());
            }
            if (node.value == null) {
                node.value = v;
                n++;
            }
        }
        this.size = n;
    }

    int size() {
        return size;
    }

    /** The values found in {@code bytes}, each once, in order of first occurrence. */
    List<String> find(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return List.of();
        }
        Set<String> found = new LinkedHashSet<>();
        for (int start = 0; start < bytes.length; start++) {
            Node node = root;
            for (int i = start; i < bytes.length; i++) {
                node = node.next.get(bytes[i]);
                if (node == null) {
                    break;
                }
                if (node.value != null) {
                    found.add(node.value);
                }
            }
        }
        return new ArrayList<>(found);
    }

    List<String> find(String text) {
        return text == null ? List.of() : find(text.getBytes(StandardCharsets.UTF_8));
    }
}
