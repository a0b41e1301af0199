package io.quintet.audit.testing;

import io.quintet.audit.AuditChainer;
import io.quintet.audit.AuditState;
import io.quintet.audit.chain.ChainLink;
import io.quintet.audit.chain.HashChain;
import io.quintet.audit.checkpoint.CheckpointBuilder;
import io.quintet.audit.checkpoint.CheckpointPolicy;
import io.quintet.audit.checkpoint.SignedCheckpoint;
import io.quintet.audit.keys.CheckpointSigner;
import io.quintet.audit.keys.Ed25519;
import io.quintet.audit.keys.HmacKeyring;
import io.quintet.audit.keys.PublicKeySet;
import io.quintet.audit.verify.Archive;
import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.fixtures.EventFixtures;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** A chained log built with the real chainer, for tests: events, their links, and the checkpoints closed. */
public final class TestLog {
    public static final String LOG = "events.canonical";
    public static final long T0 = EventFixtures.T0.toEpochMilli();

    public final HmacKeyring hmacKeys;
    public final CheckpointSigner signer;
    public final PublicKeySet publicKeys;
    public final List<Entry> entries = new ArrayList<>();
    public final List<SignedCheckpoint> checkpoints = new ArrayList<>();
    public final Map<Integer, AuditState> states = new HashMap<>();
    private AuditChainer chainer;

    /** One chained event, in the order it was appended. */
    public record Entry(int partition, String key, CanonicalEvent event, ChainLink link) {
        public String archiveLine() {
            return Archive.line(event, key, link);
        }
    }

    public TestLog(HmacKeyring hmacKeys, CheckpointSigner signer, PublicKeySet publicKeys, long checkpointEvery) {
        this.hmacKeys = hmacKeys;
        this.signer = signer;
        this.publicKeys = publicKeys;
        this.chainer = chainer(hmacKeys, signer, checkpointEvery);
    }

    public static AuditChainer chainer(HmacKeyring keys, CheckpointSigner signer, long checkpointEvery) {
        return new AuditChainer(
                new HashChain(keys),
                new CheckpointBuilder(LOG, signer, CheckpointPolicy.of(checkpointEvery, Duration.ofHours(1))));
    }

    public static byte[] key(int fill) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) fill);
        return k;
    }

    /** A log with one chain key and one signing key. */
    public static TestLog standard(long checkpointEvery) {
        KeyPair kp = Ed25519.generate();
        return new TestLog(
                HmacKeyring.of("chain-1", Map.of("chain-1", key(1))),
                new CheckpointSigner("ck-1", kp.getPrivate()),
                PublicKeySet.empty().with("ck-1", kp.getPublic()),
                checkpointEvery);
    }

    /** Switches keys from now on, as a rotation does (the state carries on). */
    public void rotate(AuditChainer next) {
        this.chainer = next;
    }

    /** A varied, pseudonymized canonical event number {@code i} of a partition. */
    public static CanonicalEvent event(int partition, long i) {
        CanonicalEvent base = switch ((int) (i % 3)) {
            case 0 -> EventFixtures.invoiceCreated();
            case 1 -> EventFixtures.failedWorkflowRun();
            default -> EventFixtures.login();
        };
        Actor actor = new Actor(null, base.actor().type(), "ps-" + (i % 7), null);
        return base.toBuilder()
                .id("evt-" + partition + "-" + i)
                .eventTimestamp(EventFixtures.T0.plusMillis(i))
                .actor(actor)
                .context(base.contextOrEmpty().withClient(null))
                .build();
    }

    public Entry append(int partition, CanonicalEvent event, long nowMillis) {
        AuditChainer.Appended a = chainer.append(states.get(partition), partition, event, nowMillis);
        states.put(partition, a.state());
        a.checkpoint().ifPresent(checkpoints::add);
        Entry e = new Entry(partition, event.actor().pseudonym(), event, a.link());
        entries.add(e);
        return e;
    }

    /** Appends {@code perPartition} events to each partition, interleaved. */
    public TestLog fill(int partitions, long perPartition) {
        for (long i = 0; i < perPartition; i++) {
            for (int p = 0; p < partitions; p++) {
                append(p, event(p, i), T0 + i);
            }
        }
        return this;
    }

    public List<String> archiveLines() {
        return entries.stream().map(Entry::archiveLine).toList();
    }

    public List<String> archiveLines(Function<Entry, String> render) {
        return entries.stream().map(render).toList();
    }

    public List<String> checkpointLines() {
        return Archive.checkpointLines(checkpoints);
    }

    public int lineOf(int partition, long seq) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).partition() == partition && entries.get(i).link().seq() == seq) {
                return i;
            }
        }
        throw new IllegalArgumentException("no seq " + seq + " in partition " + partition);
    }
}
