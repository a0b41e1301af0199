package io.quintet.feeds.metrics.alerts;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import io.quintet.model.CanonicalEvent;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an alert rule groups its events by: {@code actor} (the pseudonym on events.canonical), {@code source},
 * {@code entity} (entity id), {@code ip_prefix} (IPv4 /24 or IPv6 /48 of the client address, when one is present)
 * or any field as a JSON pointer ({@code /context/attributes/tenant}).
 */
public record GroupBy(String spec) {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    public static GroupBy parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException(
                    "group_by is empty; use actor, source, entity, ip_prefix or a JSON pointer like /context/attributes/tenant");
        }
        String s = spec.trim();
        if (s.startsWith("/")) {
            JsonPointer.compile(s);
            return new GroupBy(s);
        }
        return switch (s) {
            case "actor", "source", "entity", "ip_prefix" -> new GroupBy(s);
            default ->
                throw new IllegalArgumentException("group_by '" + s
                        + "' is not one of actor, source, entity, ip_prefix, or a JSON pointer starting with '/'");
        };
    }

    Optional<String> groupOf(io.quintet.feeds.stream.EventFields view) {
        CanonicalEvent e = view.event();
        String value = switch (spec) {
            case "actor" -> e.actor() == null ? null : e.actor().id();
            case "source" -> e.source();
            case "entity" -> e.entity() == null ? null : e.entity().id();
            case "ip_prefix" ->
                e.contextOrEmpty().client() == null
                        ? null
                        : ipPrefix(e.contextOrEmpty().client().ipAddress());
            default -> {
                JsonNode n = view.at(JsonPointer.compile(spec));
                yield n.isValueNode() && !n.isNull() ? n.asText() : null;
            }
        };
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** The network prefix of an address: a.b.c.0/24 for IPv4, the first three groups /48 for IPv6; null otherwise. */
    static String ipPrefix(String address) {
        if (address == null) {
            return null;
        }
        var m = IPV4.matcher(address.trim());
        if (m.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(m.group(i)) > 255) {
                    return null;
                }
            }
            return m.group(1) + "." + m.group(2) + "." + m.group(3) + ".0/24";
        }
        if (address.indexOf(':') >= 0 && address.matches("[0-9a-fA-F:.]+")) {
            try {
                byte[] b = java.net.InetAddress.getByName(address.trim()).getAddress(); // a literal: no lookup
                if (b.length == 16) {
                    return String.format(
                            "%x:%x:%x::/48",
                            ((b[0] & 0xff) << 8) | (b[1] & 0xff),
                            ((b[2] & 0xff) << 8) | (b[3] & 0xff),
                            ((b[4] & 0xff) << 8) | (b[5] & 0xff));
                }
            } catch (java.net.UnknownHostException notAnAddress) {
                return null;
            }
        }
        return null;
    }
}
