package io.quintet.gateway.http;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The client's address, believing {@code X-Forwarded-For} only as far as it was written by trusted proxies: when the
 * connection comes from a trusted proxy, the header is read from right to left and the first address that is not a
 * trusted proxy is the client. A connection from anywhere else is the client itself, whatever the header says.
 */
public final class ClientAddressResolver {
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

    private record Range(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int bits = address.length * 8;
            BigInteger mask = prefix == 0
                    ? BigInteger.ZERO
                    : BigInteger.ONE
                            .shiftLeft(bits)
                            .subtract(BigInteger.ONE)
                            .shiftRight(bits - prefix)
                            .shiftLeft(bits - prefix);
            return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }

    private final List<Range> trusted;

    /** @param trustedProxies IP addresses or CIDR ranges ({@code 10.0.0.0/8}, {@code ::1}) */
    public ClientAddressResolver(List<String> trustedProxies) {
        List<Range> ranges = new ArrayList<>();
        for (String p : trustedProxies) {
            String s = p.trim();
            if (s.isEmpty()) {
                continue;
            }
            int slash = s.indexOf('/');
            byte[] net = parse(slash < 0 ? s : s.substring(0, slash));
            if (net == null) {
                throw new IllegalArgumentException("trusted proxy '" + s + "' is not an IP address or CIDR range");
            }
            int prefix = slash < 0 ? net.length * 8 : Integer.parseInt(s.substring(slash + 1));
            if (prefix < 0 || prefix > net.length * 8) {
                throw new IllegalArgumentException("trusted proxy '" + s + "' has an invalid prefix length");
            }
            ranges.add(new Range(net, prefix));
        }
        this.trusted = List.copyOf(ranges);
    }

    public String resolve(String remoteAddress, String forwardedFor) {
        if (remoteAddress == null || forwardedFor == null || forwardedFor.isBlank() || !isTrusted(remoteAddress)) {
            return remoteAddress;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (parse(hop) == null) {
                return remoteAddress; // a hop we cannot read: do not guess past it
            }
            if (!isTrusted(hop) || i == 0) {
                return hop;
            }
        }
        return remoteAddress;
    }

    boolean isTrusted(String address) {
        byte[] a = parse(address);
        if (a == null) {
            return false;
        }
        for (Range r : trusted) {
            if (r.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /** Bytes of an IP literal; null for anything else (never a DNS lookup). */
    static byte[] parse(String s) {
        if (s == null || s.isEmpty() || !IP_LITERAL.matcher(s).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
