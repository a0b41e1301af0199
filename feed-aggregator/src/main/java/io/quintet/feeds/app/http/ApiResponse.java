package io.quintet.feeds.app.http;

/** A status and a body that is written as JSON (or raw JSON bytes relayed from another instance). */
public record ApiResponse(int status, Object body, byte[] rawJson) {

    public static ApiResponse ok(Object body) {
        return new ApiResponse(200, body, null);
    }

    public static ApiResponse of(int status, Object body) {
        return new ApiResponse(status, body, null);
    }

    public static ApiResponse relayed(int status, byte[] json) {
        return new ApiResponse(status, null, json);
    }
}
