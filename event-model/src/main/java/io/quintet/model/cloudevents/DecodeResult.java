package io.quintet.model.cloudevents;

import io.quintet.model.CanonicalEvent;
import io.quintet.model.EventDecodingException;

/** The outcome of decoding one record: a canonical event, or the typed reason it is not one. */
public sealed interface DecodeResult {

    record Decoded(CanonicalEvent event) implements DecodeResult {}

    record Failed(EventDecodingException.Reason reason, String message) implements DecodeResult {}
}
