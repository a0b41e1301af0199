package io.quintet.feeds.app.http;

/** A request that cannot be answered, with the HTTP status that says why (and for 401/403 a machine-readable code). */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;

    public ApiException(int status, String message) {
        this(status, null, message);
    }

    public ApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    /** e.g. {@code invalid_token}; null when the status says it all. */
    public String code() {
        return code;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    public static ApiException unavailable(String message) {
        return new ApiException(503, message);
    }

    /** 401: no credentials, or credentials that are not valid (unknown key, bad signature, expired token). */
    public static ApiException unauthorized(String code, String message) {
        return new ApiException(401, code, message);
    }

    /** 403: valid credentials that do not allow this request. */
    public static ApiException forbidden(String code, String message) {
        return new ApiException(403, code, message);
    }
}
