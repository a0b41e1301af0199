package io.quintet.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** The environment, telemetry and payload of an event. Every part is optional. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Context(
        @JsonProperty("client") Client client,
        @JsonProperty("telemetry") Telemetry telemetry,
        @JsonProperty("domain_specific") DomainSpecific domainSpecific,
        @JsonProperty("attributes") Map<String, Object> attributes,
        @JsonProperty("status") Status status,
        @JsonProperty("error") ErrorInfo error) {

    public static final Context EMPTY = new Context(null, null, null, null, null, null);

    public Context {
        attributes = Maps.immutableOrNull(attributes);
    }

    public Context withClient(Client v) {
        return new Context(v, telemetry, domainSpecific, attributes, status, error);
    }

    public Context withTelemetry(Telemetry v) {
        return new Context(client, v, domainSpecific, attributes, status, error);
    }

    public Context withDomainSpecific(DomainSpecific v) {
        return new Context(client, telemetry, v, attributes, status, error);
    }

    public Context withAttributes(Map<String, Object> v) {
        return new Context(client, telemetry, domainSpecific, v, status, error);
    }

    public Context withStatus(Status v) {
        return new Context(client, telemetry, domainSpecific, attributes, v, error);
    }

    public Context withError(ErrorInfo v) {
        return new Context(client, telemetry, domainSpecific, attributes, status, v);
    }

    /** Analytics properties, or an empty map. */
    public Map<String, Object> analyticsProperties() {
        if (domainSpecific == null
                || domainSpecific.analytics() == null
                || domainSpecific.analytics().properties() == null) {
            return Map.of();
        }
        return domainSpecific.analytics().properties();
    }

    /** The outcome of the event. */
    public enum Status {
        SUCCESS,
        FAILURE,
        PENDING,
        UNKNOWN
    }

    /** Context from the originating client device. {@code ipAddress} is personal data. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Client(
            @JsonProperty("ip_address") String ipAddress,
            @JsonProperty("user_agent") String userAgent,
            @JsonProperty("session_id") String sessionId) {
        public Client withIpAddress(String v) {
            return new Client(v, userAgent, sessionId);
        }
    }

    /** Tracing context (W3C ids, lower-case hex) and the duration of the operation. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Telemetry(
            @JsonProperty("trace_id") String traceId,
            @JsonProperty("span_id") String spanId,
            @JsonProperty("duration_ms") Double durationMs) {}

    /** The full payload, structured by domain. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DomainSpecific(
            @JsonProperty("audit") Audit audit,
            @JsonProperty("analytics") Analytics analytics) {}

    /** Audit payload: the request and response of the audited operation. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Audit(
            @JsonProperty("request") Map<String, Object> request,
            @JsonProperty("response") Map<String, Object> response) {
        public Audit {
            request = Maps.immutableOrNull(request);
            response = Maps.immutableOrNull(response);
        }
    }

    /** Analytics payload: event properties and the actor's state (super-properties) at event time. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Analytics(
            @JsonProperty("properties") Map<String, Object> properties,
            @JsonProperty("user_state_snapshot") Map<String, Object> userStateSnapshot) {
        public Analytics {
            properties = Maps.immutableOrNull(properties);
            userStateSnapshot = Maps.immutableOrNull(userStateSnapshot);
        }
    }

    /** Error details when the status is FAILURE. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ErrorInfo(
            @JsonProperty("code") String code,
            @JsonProperty("message") String message) {}
}
