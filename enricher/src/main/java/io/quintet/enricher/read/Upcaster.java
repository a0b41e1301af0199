package io.quintet.enricher.read;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Rewrites an event written against an older canonical {@code spec_version} into the next version, in place, on the
 * JSON tree (an older event need not fit today's Java model). Registered in {@link Upcasters}; chained until the
 * event reaches {@link io.quintet.model.CanonicalEvent#SPEC_VERSION}.
 */
public interface Upcaster {

    /** The spec_version this upcaster reads. */
    String fromVersion();

    /** The spec_version it produces. */
    String toVersion();

    /** Rewrites the event; must set {@code spec_version} to {@link #toVersion()}. */
    void upcast(ObjectNode event);
}
