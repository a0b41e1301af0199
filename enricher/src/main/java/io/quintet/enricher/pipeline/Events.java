package io.quintet.enricher.pipeline;

import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import java.util.Map;

/** Small, allocation-aware edits of the nested parts of an immutable canonical event. */
public final class Events {
    private Events() {}

    public static CanonicalEvent withAnalyticsProperties(CanonicalEvent e, Map<String, Object> properties) {
        Context c = e.contextOrEmpty();
        Context.DomainSpecific ds = c.domainSpecific();
        Context.Analytics a = ds == null ? null : ds.analytics();
        Context.Analytics analytics = new Context.Analytics(properties, a == null ? null : a.userStateSnapshot());
        return e.withContext(
                c.withDomainSpecific(new Context.DomainSpecific(ds == null ? null : ds.audit(), analytics)));
    }

    public static CanonicalEvent withUserStateSnapshot(CanonicalEvent e, Map<String, Object> snapshot) {
        Context c = e.contextOrEmpty();
        Context.DomainSpecific ds = c.domainSpecific();
        Context.Analytics a = ds == null ? null : ds.analytics();
        Context.Analytics analytics = new Context.Analytics(a == null ? null : a.properties(), snapshot);
        return e.withContext(
                c.withDomainSpecific(new Context.DomainSpecific(ds == null ? null : ds.audit(), analytics)));
    }

    /** The current user_state_snapshot, or null. */
    public static Map<String, Object> userStateSnapshot(CanonicalEvent e) {
        Context.DomainSpecific ds = e.contextOrEmpty().domainSpecific();
        return ds == null || ds.analytics() == null ? null : ds.analytics().userStateSnapshot();
    }

    /** RFC 6901 escaping of one reference token. */
    public static String pointerToken(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
