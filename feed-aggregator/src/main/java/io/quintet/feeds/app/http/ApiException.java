package io.quintet.feeds.app.http;

/** A request that cannot be answered, with the HTTP status that says why. */
public class ApiException extends RuntimeException {
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
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
}
