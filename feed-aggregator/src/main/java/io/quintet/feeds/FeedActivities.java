package io.quintet.feeds;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import io.quintet.feeds.stream.EventFields;
import io.quintet.model.CanonicalEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;

/** How a canonical event becomes feed activity: its item, the follow-graph change it carries, its recipients. */
public final class FeedActivities {
    public static final String FOLLOWED = "social.user.followed";
    public static final String UNFOLLOWED = "social.user.unfollowed";

    private FeedActivities() {}

    static FeedItem activity(CanonicalEvent e) {
        FeedItem.FeedObject object = e.entity() == null
                ? null
                : new FeedItem.FeedObject(e.entity().type(), e.entity().id());
        return new FeedItem(
                e.id(),
                null,
                e.action().name(),
                e.eventTimestamp(),
                List.of(e.actor().id()),
                1,
                1,
                object,
                e.source(),
                null,
                null,
                e.id(),
                null,
                null,
                e.organizationId());
    }

    private static boolean usable(CanonicalEvent e) {
        return e.id() != null
                && e.eventTimestamp() != null
                && e.action() != null
                && e.action().name() != null
                && e.actor() != null
                && e.actor().id() != null
                && e.actor().id().indexOf(FeedKeys.SEP) < 0;
    }

    /**
     * Keyed by actor: the activity; keyed by followee: a follow or unfollow by the actor; keyed by recipient: the
     * notification for the recipient's aggregated feed.
     */
    static List<KeyValue<String, FanOutInput>> fanOutInputs(CanonicalEvent e, FeedSettings settings) {
        List<KeyValue<String, FanOutInput>> out = new ArrayList<>(fanOutInputs(e));
        for (KeyValue<String, FeedCommand> n : aggregateCommands(e, settings)) {
            out.add(KeyValue.pair(n.key, FanOutInput.notification(n.value)));
        }
        return out;
    }

    /** Keyed by actor: the activity; keyed by followee: a follow or unfollow by the actor. */
    static List<KeyValue<String, FanOutInput>> fanOutInputs(CanonicalEvent e) {
        if (!usable(e)) {
            return List.of();
        }
        List<KeyValue<String, FanOutInput>> out = new ArrayList<>(2);
        String actor = e.actor().id();
        out.add(KeyValue.pair(actor, FanOutInput.activity(activity(e))));
        String name = e.action().name();
        if ((name.equals(FOLLOWED) || name.equals(UNFOLLOWED))
                && e.entity() != null
                && e.entity().id() != null
                && !e.entity().id().equals(actor)
                && e.entity().id().indexOf(FeedKeys.SEP) < 0) {
            out.add(KeyValue.pair(e.entity().id(), FanOutInput.graph(actor, name.equals(FOLLOWED))));
        }
        return out;
    }

    /** Keyed by recipient: the activity to count into the recipient's aggregated feed (never the actor's own). */
    static List<KeyValue<String, FeedCommand>> aggregateCommands(CanonicalEvent e, FeedSettings settings) {
        if (!usable(e)) {
            return List.of();
        }
        String name = e.action().name();
        Optional<FeedSettings.Rule> recipientRule = FeedSettings.first(settings.recipients(), name);
        if (recipientRule.isEmpty()) {
            return List.of();
        }
        EventFields fields = new EventFields(e);
        String recipient = text(fields, recipientRule.get().pointer());
        if (recipient == null || recipient.equals(e.actor().id()) || recipient.indexOf(FeedKeys.SEP) >= 0) {
            return List.of();
        }
        String group = FeedSettings.first(settings.groups(), name)
                .map(r -> text(fields, r.pointer()))
                .orElse(null);
        if (group == null) {
            group = e.entity() == null || e.entity().id() == null
                    ? name
                    : e.entity().id();
        }
        return List.of(KeyValue.pair(recipient, FeedCommand.aggregate(activity(e), group)));
    }

    private static String text(EventFields fields, String pointer) {
        JsonNode n = fields.at(JsonPointer.compile(pointer));
        return n.isValueNode() && !n.isNull() && !n.asText().isEmpty() ? n.asText() : null;
    }
}
