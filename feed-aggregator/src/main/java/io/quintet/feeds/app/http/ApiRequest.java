package io.quintet.feeds.app.http;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as handlers see it: method, path segments after the route prefix, query parameters.
 *
 * @param forwarded true when another instance already routed this request here (never forwarded again)
 */
public record ApiRequest(String method, String path, List<String> segments, Map<String, String> query, boolean forwarded,
                         String rawPathAndQuery) {

    public static final String FORWARDED_PARAM = "forwarded";

    static ApiRequest of(String method, URI uri, String routePrefix) {
        String path = uri.getRawPath();
        String rest = path.length() > routePrefix.length() ? path.substring(routePrefix.length()) : "";
        List<String> segments = rest.isEmpty() ? List.of()
                : java.util.Arrays.stream(rest.split("/")).filter(s -> !s.isEmpty()).map(ApiRequest::decode).toList();
        Map<String, String> query = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                query.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        boolean forwarded = query.remove(FORWARDED_PARAM) != null;
        String raw = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new ApiRequest(method, path, segments, query, forwarded, raw);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    public Optional<String> param(String name) {
        return Optional.ofNullable(query.get(name)).filter(v -> !v.isEmpty());
    }

    public String required(String name) {
        return param(name).orElseThrow(() -> ApiException.badRequest("query parameter '" + name + "' is required"));
    }

    public int intParam(String name, int dflt, int min, int max) {
        Optional<String> v = param(name);
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.get());
            if (n < min || n > max) {
                throw ApiException.badRequest("query parameter '" + name + "' must be in [" + min + ", " + max + "]");
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("query parameter '" + name + "' must be a whole number");
        }
    }
}
