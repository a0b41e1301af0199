package io.quintet.audit.chain;

import io.quintet.audit.canonical.CanonicalForm;
import io.quintet.audit.keys.HmacKeyring;
import io.quintet.model.CanonicalEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;

/**
 * The per-partition hash chain: {@code H_n = HMAC-SHA256(key, H_{n-1} || canonical bytes of event n)}, H_0 = 32 zero
 * bytes, sequence numbers from 1. Stateless apart from cached MACs: the caller keeps the {@link ChainState} (in a
 * state store) and passes it in. Thread-safe (MACs are cached per thread).
 */
public final class HashChain {
    private final HmacKeyring keyring;
    private final ThreadLocal<Map<String, Mac>> macs = ThreadLocal.withInitial(HashMap::new);

    public HashChain(HmacKeyring keyring) {
        this.keyring = Objects.requireNonNull(keyring, "keyring");
    }

    public HmacKeyring keyring() {
        return keyring;
    }

    /** Links the next event (as canonical bytes, see {@link CanonicalForm}) with the active key. */
    public ChainLink next(ChainState state, byte[] canonicalBytes) {
        String keyId = keyring.activeId();
        Hash32 hash = compute(keyId, state.head(), canonicalBytes);
        return new ChainLink(state.partition(), state.seq() + 1, state.head(), hash, keyId);
    }

    public ChainLink next(ChainState state, CanonicalEvent event) {
        return next(state, CanonicalForm.of(event));
    }

    /**
     * HMAC-SHA256(key[keyId], prev || canonicalBytes).
     *
     * @throws UnknownKeyException when the keyring does not hold {@code keyId}
     */
    public Hash32 compute(String keyId, Hash32 prev, byte[] canonicalBytes) {
        Mac mac = macs.get()
                .computeIfAbsent(
                        keyId, id -> keyring.newMac(id).orElseThrow(() -> new UnknownKeyException("HMAC", id)));
        prev.writeTo(mac);
        mac.update(canonicalBytes);
        return Hash32.of(mac.doFinal());
    }

    public boolean canVerify(String keyId) {
        return keyring.has(keyId);
    }
}
