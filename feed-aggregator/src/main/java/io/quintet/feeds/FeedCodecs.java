package io.quintet.feeds;

import io.quintet.feeds.stream.BinarySerde;
import io.quintet.feeds.stream.BinarySerde.In;
import io.quintet.feeds.stream.BinarySerde.Out;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary serdes ({@link BinarySerde}) of the feeds' internal values: the feed-items, feed-meta and feed-groups
 * stores and the feeds-by-actor and feeds-by-recipient repartition topics. feeds.updates and feeds.commands, which
 * others read and write, stay JSON. Fields are written in declaration order; a new field goes at the end, under a
 * new version byte: {@link BinarySerde#V2} added a feed item's {@code organization_id} (read as null from version 1
 * values), so every serde that holds items writes version 2.
 */
final class FeedCodecs {
    private FeedCodecs() {}

    static BinarySerde<FeedItem> items() {
        return new BinarySerde<>(FeedItem.class, BinarySerde.V2, FeedCodecs::item, FeedCodecs::item);
    }

    static BinarySerde<FeedCommand> commands() {
        return new BinarySerde<>(FeedCommand.class, BinarySerde.V2, FeedCodecs::command, FeedCodecs::command);
    }

    static BinarySerde<FanOutInput> fanOutInputs() {
        return new BinarySerde<>(
                FanOutInput.class,
                BinarySerde.V2,
                (in, out) -> {
                    present(out, in.activity());
                    if (in.activity() != null) {
                        item(in.activity(), out);
                    }
                    out.string(in.follower()).bool(in.follow());
                    present(out, in.notification());
                    if (in.notification() != null) {
                        command(in.notification(), out);
                    }
                },
                in -> {
                    FeedItem activity = in.bool() ? item(in) : null;
                    String follower = in.string();
                    boolean follow = in.bool();
                    FeedCommand notification = in.bool() ? command(in) : null;
                    return new FanOutInput(activity, follower, follow, notification);
                });
    }

    static BinarySerde<FeedMeta> meta() {
        return new BinarySerde<>(
                FeedMeta.class,
                (m, out) -> out.varlong(m.size())
                        .varlong(m.unseen())
                        .varlong(m.unread())
                        .string(m.evictedFrom()),
                in -> new FeedMeta(in.varlong(), in.varlong(), in.varlong(), in.string()));
    }

    static BinarySerde<AggregationGroup> groups() {
        return new BinarySerde<>(
                AggregationGroup.class,
                (g, out) -> {
                    out.string(g.itemId());
                    strings(out, g.actors());
                    out.varlong(g.actorCount()).varlong(g.activityCount());
                },
                in -> new AggregationGroup(in.string(), strings(in), in.varlong(), in.varlong()));
    }

    private static void item(FeedItem i, Out out) {
        out.string(i.id()).string(i.feed()).string(i.verb()).instant(i.time());
        strings(out, i.actors());
        out.varlong(i.actorCount()).varlong(i.activityCount());
        present(out, i.object());
        if (i.object() != null) {
            out.string(i.object().type()).string(i.object().id());
        }
        out.string(i.source())
                .string(i.group())
                .instant(i.windowStart())
                .string(i.lastEventId())
                .nullableBool(i.seen())
                .nullableBool(i.read())
                .string(i.organizationId());
    }

    private static FeedItem item(In in) {
        String id = in.string();
        String feed = in.string();
        String verb = in.string();
        var time = in.instant();
        List<String> actors = strings(in);
        long actorCount = in.varlong();
        long activityCount = in.varlong();
        FeedItem.FeedObject object = in.bool() ? new FeedItem.FeedObject(in.string(), in.string()) : null;
        String source = in.string();
        String group = in.string();
        var windowStart = in.instant();
        String lastEventId = in.string();
        Boolean seen = in.nullableBool();
        Boolean read = in.nullableBool();
        String organizationId = in.version() >= BinarySerde.V2 ? in.string() : null;
        return new FeedItem(
                id,
                feed,
                verb,
                time,
                actors,
                actorCount,
                activityCount,
                object,
                source,
                group,
                windowStart,
                lastEventId,
                seen,
                read,
                organizationId);
    }

    private static void command(FeedCommand c, Out out) {
        out.string(c.type() == null ? null : c.type().name())
                .string(c.feed() == null ? null : c.feed().name());
        present(out, c.item());
        if (c.item() != null) {
            item(c.item(), out);
        }
        out.string(c.group())
                .string(c.followee())
                .bool(c.following())
                .bool(c.celebrity())
                .string(c.itemId())
                .instant(c.at());
    }

    private static FeedCommand command(In in) {
        String type = in.string();
        String feed = in.string();
        FeedItem item = in.bool() ? item(in) : null;
        return new FeedCommand(
                type == null ? null : FeedCommand.Type.valueOf(type),
                feed == null ? null : FeedKind.valueOf(feed),
                item,
                in.string(),
                in.string(),
                in.bool(),
                in.bool(),
                in.string(),
                in.instant());
    }

    private static void present(Out out, Object value) {
        out.bool(value != null);
    }

    private static void strings(Out out, List<String> values) {
        out.varlong(values.size());
        for (String s : values) {
            out.string(s);
        }
    }

    private static List<String> strings(In in) {
        int n = in.count();
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(in.string());
        }
        return out;
    }
}
