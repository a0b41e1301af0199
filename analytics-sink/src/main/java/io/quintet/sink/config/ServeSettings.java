package io.quintet.sink.config;

/**
 * Settings of the warm-store HTTP server ({@link io.quintet.sink.serve.WarmStoreServerMain}): where it listens and the bearer token every
 * request must carry ({@code Authorization: Bearer <token>}; empty = no authentication, for a loopback-only
 * address). Part of {@link SinkConfig}, so the server reads the sink's own configuration file.
 */
public record ServeSettings(String host, int port, String token) {
    public ServeSettings {
        token = token == null ? "" : token;
    }

    @Override
    public String toString() {
        return "ServeSettings{host=" + host + ", port=" + port + ", token=" + (token.isEmpty() ? "(none)" : "(set)")
                + "}";
    }
}
