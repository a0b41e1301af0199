package io.quintet.enricher;

import static io.quintet.model.fixtures.EventFixtures.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.enricher.privacy.PrivacySettings;
import io.quintet.model.Action;
import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.Entity;
import io.quintet.model.json.CanonicalJson;
import io.quintet.model.plan.TrackingPlan;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The privacy invariant: over a realistic stream (logins with IP addresses, invoices with customer emails and owner
 * ids, follows between users, profile updates with phones, identify calls, support tickets whose planned properties
 * are marked personal data in the tracking plan, identify events with traits on events.raw, purchases with an
 * unplanned email property), no raw identifier, email, phone number, person's name or full IP address appears in any
 * byte of events.canonical: every record's key, headers and value are scanned. What is not personal survives: a
 * product's {@code name} on a purchase, a page's {@code name} on a page view.
 */
class PiiInvariantTest {
    @TempDir
    Path state;

    @Test
    void noConfiguredPersonalDataReachesAnyByteOfEventsCanonical() {
        Random rnd = new Random(7);
        Instant t = Instant.parse("2026-11-02T08:00:00Z");
        Set<String> secrets = new LinkedHashSet<>();
        List<CanonicalEvent> events = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            t = t.plusSeconds(1 + rnd.nextInt(30));
            int u = rnd.nextInt(25);
            String user = "user-" + u;
            String email = "person" + u + "@example.com";
            String phone = "+44 20 7946 " + (1000 + u);
            String ip = "198.51." + rnd.nextInt(256) + "." + (1 + rnd.nextInt(254));
            secrets.add(user);
            secrets.add(email);
            secrets.add(phone);
            secrets.add(ip);
            CanonicalEvent.Builder b = CanonicalEvent.builder()
                    .id(UUID.randomUUID().toString())
                    .eventTimestamp(t)
                    .observedTimestamp(t.plusMillis(20));
            switch (i % 8) {
                case 0 ->
                    events.add(b.source("auth-service")
                            .action(new Action("auth.user.login_succeeded", "access"))
                            .actor(new Actor(
                                    user, Actor.USER, null, map("email", email, "name", "Person " + u, "phone", phone)))
                            .entity(Entity.of("session-" + i, "session"))
                            .context(Context.EMPTY
                                    .withClient(new Context.Client(ip, "Mozilla/5.0", "sess-" + i))
                                    .withDomainSpecific(new Context.DomainSpecific(
                                            null, new Context.Analytics(map("method", "password"), null)))
                                    .withStatus(Context.Status.SUCCESS))
                            .build());
                case 1 ->
                    events.add(b.source("billing-service")
                            .action(new Action("billing.invoice.created", "create"))
                            .actor(Actor.of("billing-service", Actor.SERVICE))
                            .entity(new Entity(
                                    "INV-" + i, "invoice", map("owner_id", user, "amount", new BigDecimal("12.50"))))
                            .context(Context.EMPTY.withDomainSpecific(new Context.DomainSpecific(
                                    new Context.Audit(
                                            map("customer", user, "plan", "pro"), map("invoice_id", "INV-" + i)),
                                    new Context.Analytics(
                                            map("email", email, "revenue", new BigDecimal("12.50")), null))))
                            .build());
                case 2 -> {
                    String other = "user-" + ((u + 1 + rnd.nextInt(24)) % 25);
                    events.add(b.source("community-app")
                            .action(new Action("social.user.followed", "create"))
                            .actor(Actor.of(user, Actor.USER))
                            .entity(Entity.of(other, "user"))
                            .context(Context.EMPTY.withClient(new Context.Client(ip, "QuintetMobile/3.2", null)))
                            .build());
                }
                case 3 ->
                    events.add(b.source("account-service")
                            .action(new Action("account.profile.updated", "update"))
                            .actor(new Actor(user, Actor.USER, null, map("email", email, "phone", phone)))
                            .entity(Entity.of(user, "user"))
                            .context(Context.EMPTY.withDomainSpecific(new Context.DomainSpecific(
                                    null, new Context.Analytics(map("phone", phone, "field", "phone"), null))))
                            .build());
                case 4 ->
                    events.add(b.source("web-app")
                            .action(new Action("analytics.page.viewed", "read"))
                            .actor(Actor.of(user, Actor.USER))
                            .entity(Entity.of("/invoices", "page"))
                            .context(Context.EMPTY
                                    .withClient(new Context.Client(ip, "Mozilla/5.0", null))
                                    .withDomainSpecific(new Context.DomainSpecific(
                                            null,
                                            new Context.Analytics(
                                                    map("page_path", "/invoices", "name", "Invoices"), null))))
                            .build());
                // planned PII: the plan marks requester_name and requester_email "pii": true on this event type
                case 5 ->
                    events.add(b.source("support-desk")
                            .action(new Action("support.ticket.created", "create"))
                            .actor(Actor.of(user, Actor.USER))
                            .entity(Entity.of("TICKET-" + i, "ticket"))
                            .context(Context.EMPTY.withDomainSpecific(new Context.DomainSpecific(
                                    null,
                                    new Context.Analytics(
                                            map(
                                                    "requester_name",
                                                    "Person " + u,
                                                    "requester_email",
                                                    email,
                                                    "subject",
                                                    "Refund"),
                                            null))))
                            .build());
                // identify traits on events.raw: the plan's pii_paths of identity.profile.identified
                case 6 ->
                    events.add(b.source("web-app")
                            .action(new Action("identity.profile.identified", "update"))
                            .actor(Actor.of(user, Actor.USER))
                            .entity(new Entity(
                                    user,
                                    "user",
                                    map("email", email, "name", "Person " + u, "phone", phone, "plan", "pro")))
                            .build());
                // Segment's "Item Purchased": the product's name stays, an unplanned email property goes
                default ->
                    events.add(b.source("shop-web")
                            .action(new Action("commerce.item.purchased", "create"))
                            .actor(Actor.of(user, Actor.USER))
                            .entity(Entity.of("SKU-42", "product"))
                            .context(Context.EMPTY.withDomainSpecific(new Context.DomainSpecific(
                                    null,
                                    new Context.Analytics(
                                            map(
                                                    "name",
                                                    "Leap to Conclusions Mat",
                                                    "revenue",
                                                    new BigDecimal("14.99"),
                                                    "email",
                                                    email),
                                            null))))
                            .build());
            }
        }
        PrivacySettings privacy = PrivacySettings.defaults(TestKeys.k1())
                .withPlan(planWithSupportTickets())
                .withIdentifierPaths(
                        List.of("entity.details.owner_id", "context.domain_specific.audit.request.customer"));
        List<TestRecord<String, byte[]>> out;
        try (EnricherHarness h = PrivacyStepTest.harness(state, privacy)) {
            for (int u = 0;
                    u < 25;
                    u++) { // identify calls carry personal traits too; only allow-listed ones are stamped
                h.profile(
                        "user-" + u,
                        "{\"traits\":{\"plan\":\"pro\",\"email\":\"person" + u
                                + "@example.com\",\"locale\":\"en-GB\"}}",
                        Instant.parse("2026-11-01T00:00:00Z"));
            }
            events.forEach(h::send);
            out = h.canonicalRecords();
            assertThat(h.deadLetters()).isEmpty();
        }

        assertThat(out).hasSize(events.size());
        for (TestRecord<String, byte[]> r : out) {
            List<String> parts = new ArrayList<>();
            parts.add(r.key());
            parts.add(new String(r.value(), StandardCharsets.UTF_8));
            r.headers().forEach(h -> parts.add(h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8)));
            String bytes = String.join("\n", parts);
            assertThat(bytes)
                    .doesNotContain("user-")
                    .doesNotContain("@example.com")
                    .doesNotContain("+44 20 7946")
                    .doesNotContain("Person ");
            for (String s : secrets) {
                assertThat(bytes).doesNotContain(s);
            }
        }
        assertThat(out)
                .anySatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                        .contains("\"plan\":\"pro\""));
        assertThat(out)
                .anySatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                        .contains("\"name\":\"Leap to Conclusions Mat\"")
                        .contains("\"revenue\":14.99"));
        assertThat(out)
                .anySatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                        .contains("\"name\":\"Invoices\""));
        assertThat(out)
                .anySatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                        .contains("\"subject\":\"Refund\""));
    }

    /** The bundled plan and a support ticket event whose requester's name and email are planned personal data. */
    static TrackingPlan planWithSupportTickets() {
        try (InputStream in = TrackingPlan.class.getResourceAsStream(TrackingPlan.RESOURCE)) {
            ObjectNode plan = (ObjectNode) CanonicalJson.newMapper().readTree(in);
            ((ObjectNode) plan.get("events"))
                    .set("support.ticket.created", CanonicalJson.newMapper().readTree("""
                    {"properties": {"requester_name": {"type": "string", "pii": true},
                                    "requester_email": {"type": "string", "pii": true},
                                    "subject": {"type": "string"}}}"""));
            return TrackingPlan.parse(plan.toString().getBytes(StandardCharsets.UTF_8), "test plan");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
