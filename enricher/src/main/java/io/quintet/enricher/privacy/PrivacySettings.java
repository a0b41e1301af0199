package io.quintet.enricher.privacy;

import io.quintet.model.plan.TrackingPlan;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What pseudonymization covers and how.
 *
 * @param keyring             master keys (from configuration)
 * @param personActorTypes    actor types whose {@code actor.id} is a person's identifier (an actor without a type counts)
 * @param personEntityTypes   entity types whose {@code entity.id} is a person's identifier
 * @param identifierPaths     further fields holding a person's identifier, replaced by that person's pseudonym
 * @param piiPaths            fields of every event holding the actor's personal data: removed from the event, kept in
 *                            the vault
 * @param unplannedPiiProperties names of analytics properties that are personal data where the tracking plan does not
 *                            classify them (see {@link PiiClassification})
 * @param plan                the tracking plan: per event type, properties marked {@code pii} and {@code pii_paths}
 * @param ipMode              what stays of {@code context.client.ip_address}
 * @param maxReferences       most distinct other persons one event may reference (each costs a hop)
 * @param rotationInterval    how often a task re-wraps data keys wrapped with a retired master key
 * @param vaultRefresh        how long a person's vault entry may keep an old value of a field it holds before a
 *                            changed one is written (zero: every change at once; see {@link Vault#remember})
 */
public record PrivacySettings(
        Keyring keyring,
        Set<String> personActorTypes,
        Set<String> personEntityTypes,
        List<String> identifierPaths,
        List<String> piiPaths,
        List<String> unplannedPiiProperties,
        TrackingPlan plan,
        IpMode ipMode,
        int maxReferences,
        Duration rotationInterval,
        Duration vaultRefresh) {

    public static final String IP_POINTER = "/context/client/ip_address";
    public static final Set<String> DEFAULT_ACTOR_TYPES = Set.of("user", "anonymous");
    public static final Set<String> DEFAULT_ENTITY_TYPES = Set.of("user", "person", "customer", "member", "contact");
    public static final List<String> DEFAULT_IDENTIFIER_PATHS = List.of("entity.details.owner_id");
    public static final List<String> DEFAULT_PII_PATHS =
            List.of("actor.details.email", "actor.details.name", "actor.details.phone", "context.client.ip_address");
    /** Not {@code name}: on a track event it names a product, a song, a plan (Segment's "Item Purchased"). */
    public static final List<String> DEFAULT_UNPLANNED_PII_PROPERTIES = List.of(
            "email",
            "email_address",
            "phone",
            "phone_number",
            "mobile",
            "first_name",
            "last_name",
            "full_name",
            "username",
            "address",
            "street",
            "postal_code",
            "zip_code",
            "birthday",
            "date_of_birth",
            "ssn",
            "tax_id",
            "ip",
            "ip_address");

    /** IP addresses: removed, or kept coarse (IPv4 /24, IPv6 /48) as Snowplow's IP anonymization does. */
    public enum IpMode {
        REMOVE,
        COARSE
    }

    public PrivacySettings {
        Objects.requireNonNull(keyring, "keyring");
        personActorTypes = Set.copyOf(personActorTypes);
        personEntityTypes = Set.copyOf(personEntityTypes);
        identifierPaths = identifierPaths.stream().map(PrivacySettings::pointer).toList();
        piiPaths = piiPaths.stream().map(PrivacySettings::pointer).toList();
        unplannedPiiProperties = List.copyOf(unplannedPiiProperties);
        Objects.requireNonNull(plan, "plan");
        if (maxReferences < 1) {
            throw new IllegalArgumentException("maxReferences must be >= 1");
        }
        if (vaultRefresh.isNegative()) {
            throw new IllegalArgumentException("vaultRefresh must not be negative");
        }
    }

    public static PrivacySettings defaults(Keyring keyring) {
        return new PrivacySettings(
                keyring,
                DEFAULT_ACTOR_TYPES,
                DEFAULT_ENTITY_TYPES,
                DEFAULT_IDENTIFIER_PATHS,
                DEFAULT_PII_PATHS,
                DEFAULT_UNPLANNED_PII_PROPERTIES,
                TrackingPlan.bundled(),
                IpMode.REMOVE,
                3,
                Duration.ofMinutes(1),
                Duration.ZERO);
    }

    public PrivacySettings withIdentifierPaths(List<String> paths) {
        return new PrivacySettings(
                keyring,
                personActorTypes,
                personEntityTypes,
                paths,
                piiPaths,
                unplannedPiiProperties,
                plan,
                ipMode,
                maxReferences,
                rotationInterval,
                vaultRefresh);
    }

    public PrivacySettings withPiiPaths(List<String> paths) {
        return new PrivacySettings(
                keyring,
                personActorTypes,
                personEntityTypes,
                identifierPaths,
                paths,
                unplannedPiiProperties,
                plan,
                ipMode,
                maxReferences,
                rotationInterval,
                vaultRefresh);
    }

    public PrivacySettings withUnplannedPiiProperties(List<String> names) {
        return new PrivacySettings(
                keyring,
                personActorTypes,
                personEntityTypes,
                identifierPaths,
                piiPaths,
                names,
                plan,
                ipMode,
                maxReferences,
                rotationInterval,
                vaultRefresh);
    }

    public PrivacySettings withPlan(TrackingPlan p) {
        return new PrivacySettings(
                keyring,
                personActorTypes,
                personEntityTypes,
                identifierPaths,
                piiPaths,
                unplannedPiiProperties,
                p,
                ipMode,
                maxReferences,
                rotationInterval,
                vaultRefresh);
    }

    public PrivacySettings withIpMode(IpMode mode) {
        return new PrivacySettings(
                keyring,
                personActorTypes,
                personEntityTypes,
                identifierPaths,
                piiPaths,
                unplannedPiiProperties,
                plan,
                mode,
                maxReferences,
                rotationInterval,
                vaultRefresh);
    }

    public PrivacySettings withKeyring(Keyring k) {
        return new PrivacySettings(
                k,
                personActorTypes,
                personEntityTypes,
                identifierPaths,
                piiPaths,
                unplannedPiiProperties,
                plan,
                ipMode,
                maxReferences,
                rotationInterval,
                vaultRefresh);
    }

    public PrivacySettings withRotationInterval(Duration d) {
        return new PrivacySettings(
                keyring,
                personActorTypes,
                personEntityTypes,
                identifierPaths,
                piiPaths,
                unplannedPiiProperties,
                plan,
                ipMode,
                maxReferences,
                d,
                vaultRefresh);
    }

    public PrivacySettings withVaultRefresh(Duration d) {
        return new PrivacySettings(
                keyring,
                personActorTypes,
                personEntityTypes,
                identifierPaths,
                piiPaths,
                unplannedPiiProperties,
                plan,
                ipMode,
                maxReferences,
                rotationInterval,
                d);
    }

    /** Which fields of an event are personal data, from these settings and the plan. */
    public PiiClassification classification() {
        return new PiiClassification(piiPaths, unplannedPiiProperties, plan);
    }

    /**
     * A JSON pointer from a configured path: a pointer as is ({@code /actor/details/email}), or a dotted path
     * ({@code actor.details.email}); {@code properties.x} is short for
     * {@code context.domain_specific.analytics.properties.x}.
     */
    public static String pointer(String path) {
        String p = path.trim();
        if (p.startsWith("/")) {
            return p;
        }
        if (p.isEmpty()) {
            throw new IllegalArgumentException("empty PII path");
        }
        if (p.startsWith("properties.")) {
            p = "context.domain_specific.analytics." + p;
        }
        StringBuilder sb = new StringBuilder();
        for (String seg : p.split("\\.")) {
            sb.append('/').append(seg.replace("~", "~0").replace("/", "~1"));
        }
        return sb.toString();
    }
}
