package io.quintet.gateway.ingest;

/**
 * One problem with one field.
 *
 * @param pointer JSON pointer (RFC 6901) of the field inside the event, e.g. {@code /actor/id}; {@code /} for the root
 * @param message what is wrong with it
 */
public record FieldError(String pointer, String message) {}
