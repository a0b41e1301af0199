package io.quintet.enricher.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.json.CanonicalJson;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The field rules of pseudonymization, on the event's JSON tree:
 * <ul>
 *   <li>the actor, when a person: {@code actor.id} and {@code actor.pseudonym} become the subject's pseudonym;</li>
 *   <li>personal data ({@link PiiClassification}: the configured paths of every event, the tracking plan's per
 *       event type, properties by name where the plan does not classify them) is removed (the IP address kept coarse
 *       if configured) and remembered in the actor's vault entry;</li>
 *   <li>identifiers of other persons ({@code entity.id} of person types, configured identifier paths) become their
 *       pseudonyms: at once when they are the actor or the {@link SubjectDirectory} lists them, otherwise as pending
 *       references resolved in their own task.</li>
 * </ul>
 */
public final class Pseudonymizer {
    private final PrivacySettings settings;
    private final PiiClassification pii;
    /** Whether every configured identifier pointer can be handled on the record ({@link EventFields}). */
    private final boolean identifiersOnRecord;

    public Pseudonymizer(PrivacySettings settings) {
        this.settings = settings;
        this.pii = settings.classification();
        this.identifiersOnRecord = settings.identifierPaths().stream().allMatch(EventFields::supports);
    }

    /**
     * Pseudonymizes what the actor's task can; returns the event and the references still pending. On the record
     * when {@link EventFields} handles every pointer involved, else on the event's JSON tree.
     */
    public PrivacyHop firstPass(String actorKey, CanonicalEvent event, Vault vault, Instant now) {
        List<String> piiPointers = pii.pointers(event);
        return identifiersOnRecord && piiPointers.stream().allMatch(EventFields::supports)
                ? firstPassOnRecord(actorKey, event, piiPointers, vault, now)
                : firstPassOnTree(actorKey, event, piiPointers, vault, now);
    }

    /** {@link #firstPass} on the record: the same rules as {@link #firstPassOnTree}, without a JSON tree. */
    PrivacyHop firstPassOnRecord(
            String actorKey, CanonicalEvent event, List<String> piiPointers, Vault vault, Instant now) {
        CanonicalEvent e = event;
        String actorSubject = personActorId(e);
        Map<String, String> pii = new LinkedHashMap<>();
        for (String pointer : piiPointers) {
            Object value = EventFields.get(e, pointer);
            if (value == null) {
                continue;
            }
            pii.put(pointer, EventFields.text(value));
            String coarse = pointer.equals(PrivacySettings.IP_POINTER)
                            && settings.ipMode() == PrivacySettings.IpMode.COARSE
                            && value instanceof String ip
                    ? coarseIp(ip)
                    : null;
            e = coarse != null ? EventFields.set(e, pointer, coarse) : EventFields.remove(e, pointer);
        }
        List<PrivacyHop.Reference> refs = new ArrayList<>();
        if (e.entity() != null
                && e.entity().id() != null
                && e.entity().type() != null
                && settings.personEntityTypes().contains(e.entity().type())) {
            refs.add(new PrivacyHop.Reference("/entity/id", e.entity().id()));
        }
        for (String pointer : settings.identifierPaths()) {
            Object value = EventFields.get(e, pointer);
            if (value instanceof String id && !id.isEmpty()) {
                refs.add(new PrivacyHop.Reference(pointer, id));
            } else if (value != null) {
                e = EventFields.remove(e, pointer); // not a usable identifier: never let it through raw
            }
        }
        OnRecord target = new OnRecord(e);
        List<PrivacyHop.Reference> pending = assign(actorKey, actorSubject, pii, refs, vault, now, target);
        return new PrivacyHop(actorKey, target.event, pending);
    }

    private String personActorId(CanonicalEvent e) {
        if (e.actor() == null || e.actor().id() == null) {
            return null;
        }
        String type = e.actor().type();
        return type == null || settings.personActorTypes().contains(type)
                ? e.actor().id()
                : null;
    }

    /** {@link #firstPass} on the event's JSON tree, for pointers {@link EventFields} does not cover. */
    PrivacyHop firstPassOnTree(
            String actorKey, CanonicalEvent event, List<String> piiPointers, Vault vault, Instant now) {
        ObjectNode tree = (ObjectNode) CanonicalJson.toTree(event);
        String actorSubject = personActorId(tree);
        Map<String, String> pii = new LinkedHashMap<>();
        for (String pointer : piiPointers) {
            JsonNode node = tree.at(pointer);
            if (node.isMissingNode() || node.isNull()) {
                continue;
            }
            pii.put(pointer, node.isTextual() ? node.asText() : node.toString());
            String coarse =
                    pointer.equals(PrivacySettings.IP_POINTER) && settings.ipMode() == PrivacySettings.IpMode.COARSE
                            ? coarseIp(node.asText())
                            : null;
            if (coarse != null) {
                parent(tree, pointer).put(last(pointer), coarse);
            } else {
                parent(tree, pointer).remove(last(pointer));
            }
        }
        List<PrivacyHop.Reference> refs = references(tree);
        List<PrivacyHop.Reference> pending = assign(actorKey, actorSubject, pii, refs, vault, now, new OnTree(tree));
        return new PrivacyHop(actorKey, CanonicalJson.fromTree(tree), pending);
    }

    /** Where pseudonyms are written: the event record ({@link EventFields}) or its JSON tree. */
    private interface Target {
        void set(String pointer, String pseudonym);

        void pseudonymizeActor(String pseudonym);
    }

    private static final class OnRecord implements Target {
        private CanonicalEvent event;

        OnRecord(CanonicalEvent event) {
            this.event = event;
        }

        @Override
        public void set(String pointer, String pseudonym) {
            event = EventFields.set(event, pointer, pseudonym);
        }

        @Override
        public void pseudonymizeActor(String pseudonym) {
            event = event.withActor(event.actor().withId(pseudonym).withPseudonym(pseudonym));
        }
    }

    private record OnTree(ObjectNode tree) implements Target {
        @Override
        public void set(String pointer, String pseudonym) {
            Pseudonymizer.set(tree, pointer, pseudonym);
        }

        @Override
        public void pseudonymizeActor(String pseudonym) {
            ObjectNode actor = (ObjectNode) tree.get("actor");
            actor.put("id", pseudonym);
            actor.put("pseudonym", pseudonym);
        }
    }

    /**
     * The assignment rules, the same on the record and on the tree: when this task owns the actor (the record is
     * keyed by it), the actor and references to it get its pseudonym and its personal data is remembered; other
     * references get the directory's pseudonym at once or stay pending. Keyed by something else than the actor, the
     * actor's vault entry lives in another task: everything stays pending. Returns the pending references.
     */
    private static List<PrivacyHop.Reference> assign(
            String actorKey,
            String actorSubject,
            Map<String, String> pii,
            List<PrivacyHop.Reference> refs,
            Vault vault,
            Instant now,
            Target target) {
        List<PrivacyHop.Reference> pending = new ArrayList<>();
        if (actorSubject != null && !actorSubject.equals(actorKey)) {
            pending.add(new PrivacyHop.Reference("/actor/id", actorSubject));
            pending.add(new PrivacyHop.Reference("/actor/pseudonym", actorSubject));
            pending.addAll(refs);
            return pending;
        }
        Vault.Subject actor = null;
        if (actorSubject != null) {
            actor = vault.resolve(actorSubject, now);
            target.pseudonymizeActor(actor.pseudonym());
            vault.remember(actor, pii, now);
        }
        for (PrivacyHop.Reference r : refs) {
            if (actor != null && r.subject().equals(actorSubject)) {
                target.set(r.pointer(), actor.pseudonym());
                continue;
            }
            Optional<String> pseudonym = vault.pseudonymFromDirectory(r.subject());
            if (pseudonym.isPresent()) {
                target.set(r.pointer(), pseudonym.get());
            } else {
                pending.add(r);
            }
        }
        return pending;
    }

    /** The pending references to {@code subject} get its pseudonym; returns the others. */
    private static List<PrivacyHop.Reference> resolvePending(
            List<PrivacyHop.Reference> pending, String subject, Vault.Subject s, Target target) {
        List<PrivacyHop.Reference> left = new ArrayList<>();
        for (PrivacyHop.Reference r : pending) {
            if (r.subject().equals(subject)) {
                target.set(r.pointer(), s.pseudonym());
            } else {
                left.add(r);
            }
        }
        return left;
    }

    /** Resolves the pending references to {@code subject} (this task owns it); returns what is left. */
    public PrivacyHop resolve(PrivacyHop hop, String subject, Vault vault, Instant now) {
        Vault.Subject s = vault.resolve(subject, now);
        if (identifiersOnRecord) { // references are the actor, the entity and identifier paths
            OnRecord target = new OnRecord(hop.event());
            List<PrivacyHop.Reference> left = resolvePending(hop.pending(), subject, s, target);
            return new PrivacyHop(hop.actorKey(), target.event, left);
        }
        ObjectNode tree = (ObjectNode) CanonicalJson.toTree(hop.event());
        List<PrivacyHop.Reference> left = resolvePending(hop.pending(), subject, s, new OnTree(tree));
        return new PrivacyHop(hop.actorKey(), CanonicalJson.fromTree(tree), left);
    }

    private String personActorId(ObjectNode tree) {
        JsonNode actor = tree.get("actor");
        if (!(actor instanceof ObjectNode) || !actor.path("id").isTextual()) {
            return null;
        }
        JsonNode type = actor.get("type");
        boolean person =
                type == null || type.isNull() || settings.personActorTypes().contains(type.asText());
        return person ? actor.get("id").asText() : null;
    }

    private List<PrivacyHop.Reference> references(ObjectNode tree) {
        List<PrivacyHop.Reference> refs = new ArrayList<>();
        JsonNode entity = tree.get("entity");
        if (entity instanceof ObjectNode
                && entity.path("id").isTextual()
                && entity.path("type").isTextual()
                && settings.personEntityTypes().contains(entity.get("type").asText())) {
            refs.add(new PrivacyHop.Reference("/entity/id", entity.get("id").asText()));
        }
        for (String pointer : settings.identifierPaths()) {
            JsonNode node = tree.at(pointer);
            if (node.isTextual() && !node.asText().isEmpty()) {
                refs.add(new PrivacyHop.Reference(pointer, node.asText()));
            } else if (!node.isMissingNode() && !node.isNull()) {
                parent(tree, pointer).remove(last(pointer)); // not a usable identifier: never let it through raw
            }
        }
        return refs;
    }

    static void set(ObjectNode tree, String pointer, String value) {
        parent(tree, pointer).put(last(pointer), value);
    }

    private static ObjectNode parent(ObjectNode tree, String pointer) {
        String parent = pointer.substring(0, pointer.lastIndexOf('/'));
        JsonNode p = parent.isEmpty() ? tree : tree.at(parent);
        if (!(p instanceof ObjectNode o)) {
            throw new IllegalStateException("no object at " + parent);
        }
        return o;
    }

    private static String last(String pointer) {
        return pointer.substring(pointer.lastIndexOf('/') + 1)
                .replace("~1", "/")
                .replace("~0", "~");
    }

    /** IPv4 /24 or IPv6 /48 of a literal address; null when the text is not an IP literal. */
    static String coarseIp(String ip) {
        if (ip == null || !(ip.indexOf(':') >= 0 || ip.matches("\\d{1,3}(\\.\\d{1,3}){3}"))) {
            return null;
        }
        try {
            byte[] b = InetAddress.getByName(ip).getAddress(); // literal only: no lookup for these forms
            int keep = b.length == 4 ? 3 : 6;
            for (int i = keep; i < b.length; i++) {
                b[i] = 0;
            }
            return InetAddress.getByAddress(b).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
