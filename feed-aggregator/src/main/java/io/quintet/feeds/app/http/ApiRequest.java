package io.quintet.feeds.app.http;

import io.quintet.model.OrganizationId;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as handlers see it: method, path segments after the route prefix, query parameters, the body (empty
 * for a GET), the {@code Authorization} header as sent (passed on when the request is forwarded, never logged) and
 * the {@link Principal} it proved.
 *
 * @param forwarded true when another instance already routed this request here (never forwarded again)
 */
public record ApiRequest(
        String method,
        String path,
        List<String> segments,
        Map<String, String> query,
        boolean forwarded,
        String rawPathAndQuery,
        byte[] body,
        String authorization,
        Principal principal) {

    public static final String FORWARDED_PARAM = "forwarded";

    public ApiRequest {
        body = body == null ? new byte[0] : body;
        principal = principal == null ? new Principal.Open() : principal;
    }

    /**
     * A request built by a handler (e.g. to ask another instance, with {@code authorization} to send there), not one
     * received: it carries no principal of its own.
     */
    public ApiRequest(
            String method,
            String path,
            List<String> segments,
            Map<String, String> query,
            boolean forwarded,
            String rawPathAndQuery,
            String authorization) {
        this(method, path, segments, query, forwarded, rawPathAndQuery, null, authorization, null);
    }

    /**
     * @param rawPath  the path as sent (percent-encoded)
     * @param rawQuery the query as sent, or null
     * @throws ApiException 400 when the path or query is not validly percent-encoded
     */
    static ApiRequest of(
            String method,
            String rawPath,
            String rawQuery,
            String routePrefix,
            byte[] body,
            String authorization,
            Principal principal) {
        String rest = rawPath.length() > routePrefix.length() ? rawPath.substring(routePrefix.length()) : "";
        List<String> segments = rest.isEmpty()
                ? List.of()
                : java.util.Arrays.stream(rest.split("/"))
                        .filter(s -> !s.isEmpty())
                        .map(ApiRequest::decode)
                        .toList();
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                query.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        boolean forwarded = query.remove(FORWARDED_PARAM) != null;
        String raw = rawPath + (rawQuery == null ? "" : "?" + rawQuery);
        return new ApiRequest(method, rawPath, segments, query, forwarded, raw, body, authorization, principal);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("the path or query is not validly percent-encoded: " + e.getMessage());
        }
    }

    public Optional<String> param(String name) {
        return Optional.ofNullable(query.get(name)).filter(v -> !v.isEmpty());
    }

    /**
     * The {@code organization_id} filter (a tenant): null when absent, 400 naming the parameter when it is not an
     * organization id.
     */
    public String organizationId() {
        String organization = param(OrganizationId.FIELD).orElse(null);
        if (organization != null && !OrganizationId.isValid(organization)) {
            throw ApiException.badRequest("query parameter organization_id: '" + organization
                    + "' is not an organization id (1-" + OrganizationId.MAX_LENGTH
                    + " characters: a letter or digit, then letters, digits, '.', '_', ':' or '-')");
        }
        return organization;
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

    /** Without the body and the credentials. */
    @Override
    public String toString() {
        return "ApiRequest[" + method + " " + path + "]";
    }
}
