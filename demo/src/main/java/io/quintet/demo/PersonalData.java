package io.quintet.demo;

import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The raw personal values a run sent into the pipeline, gathered from what the demo itself sent (events, identify
 * calls, erasure requests): every person's id (actors of type user/anonymous, entities of type user, owner ids) and,
 * for each of them, the email, name and phone {@link Persons} gives them wherever they were sent; every client IP
 * address; every text value of {@code actor.details}; the {@code email}/{@code name}/{@code phone} properties. The
 * privacy scan looks for each of these values in every byte downstream of {@code events.canonical}. Not thread-safe.
 */
public final class PersonalData {
    private final Set<String> values = new TreeSet<>();

    public void collect(CanonicalEvent e) {
        if (e.actor() != null) {
            String type = e.actor().type();
            if (type == null || Actor.USER.equals(type) || Actor.ANONYMOUS.equals(type)) {
                person(e.actor().id());
            }
            texts(e.actor().details());
        }
        if (e.entity() != null) {
            if ("user".equals(e.entity().type())) {
                person(e.entity().id());
            }
            if (e.entity().details() != null && e.entity().details().get("owner_id") instanceof String owner) {
                person(owner);
            }
        }
        Context c = e.context();
        if (c != null && c.client() != null && c.client().ipAddress() != null) {
            values.add(c.client().ipAddress());
        }
        if (c != null
                && c.domainSpecific() != null
                && c.domainSpecific().analytics() != null
                && c.domainSpecific().analytics().properties() != null) {
            Map<String, Object> props = c.domainSpecific().analytics().properties();
            for (String key : new String[] {"email", "name", "phone"}) {
                if (props.get(key) instanceof String s) {
                    values.add(s);
                }
            }
        }
    }

    /** A person the demo named (an identify call's user, an erasure request's subject): id, email, name, phone. */
    public void person(String id) {
        if (id == null || id.isBlank()) {
            return;
        }
        values.add(id);
        values.add(Persons.email(id));
        values.add(Persons.name(id));
        values.add(Persons.phone(id));
    }

    private void texts(Map<String, Object> details) {
        if (details != null) {
            details.values().forEach(v -> {
                if (v instanceof String s && !s.isBlank()) {
                    values.add(s);
                }
            });
        }
    }

    public Set<String> values() {
        return Set.copyOf(values);
    }
}
