package io.quintet.audit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} and {@code --flag} command-line options after a command word. */
final class Args {
    final List<String> words = new ArrayList<>();
    final Map<String, String> options = new LinkedHashMap<>();
    final Set<String> flags = new HashSet<>();

    static Args parse(String[] args, Set<String> knownFlags) {
        Args a = new Args();
        for (int i = 0; i < args.length; i++) {
            String s = args[i];
            if (s.startsWith("--")) {
                String name = s.substring(2);
                if (knownFlags.contains(name)) {
                    a.flags.add(name);
                } else if (i + 1 < args.length) {
                    a.options.put(name, args[++i]);
                } else {
                    throw new UsageException("option --" + name + " needs a value");
                }
            } else {
                a.words.add(s);
            }
        }
        return a;
    }

    String required(String name) {
        String v = options.get(name);
        if (v == null) {
            throw new UsageException("option --" + name + " is required");
        }
        return v;
    }

    /** "0:120,2:5" -> {0=120, 2=5}. */
    Map<Integer, Long> offsets(String name) {
        Map<Integer, Long> out = new LinkedHashMap<>();
        String v = options.get(name);
        if (v == null) {
            return out;
        }
        for (String part : v.split(",")) {
            String[] po = part.trim().split(":");
            try {
                out.put(Integer.parseInt(po[0]), Long.parseLong(po[1]));
            } catch (RuntimeException e) {
                throw new UsageException("--" + name + " takes PARTITION:OFFSET[,PARTITION:OFFSET...], got '" + v + "'");
            }
        }
        return out;
    }

    Set<Integer> partitions(String name) {
        String v = options.get(name);
        if (v == null) {
            return null;
        }
        Set<Integer> out = new HashSet<>();
        try {
            for (String p : v.split(",")) {
                out.add(Integer.parseInt(p.trim()));
            }
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " takes a comma-separated list of partitions, got '" + v + "'");
        }
        return out;
    }

    /** A wrong command line: printed with the usage, exit code 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
