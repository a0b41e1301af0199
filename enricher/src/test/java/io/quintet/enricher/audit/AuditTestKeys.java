package io.quintet.enricher.audit;

import io.quintet.audit.keys.Ed25519;
import io.quintet.audit.keys.HmacKeyring;
import io.quintet.audit.keys.KeyFiles;
import io.quintet.audit.keys.PublicKeySet;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;

/**
 * Fresh audit keys for one test, written as the key files the enricher's audit settings name, plus what a verifier
 * holds (the HMAC keyring and the published public keys).
 */
public final class AuditTestKeys {
    public static final String CHAIN_KEY_ID = "chain-test";
    public static final String SIGNING_KEY_ID = "ck-test";

    public final Path hmacFile;
    public final Path signingFile;
    public final HmacKeyring hmacKeys;
    public final PublicKeySet publicKeys;

    private AuditTestKeys(Path dir) {
        hmacFile = dir.resolve("audit-hmac.keys");
        signingFile = dir.resolve("audit-signing.keys");
        KeyFiles.write(hmacFile, CHAIN_KEY_ID, Map.of(CHAIN_KEY_ID, HmacKeyring.generateKey()));
        KeyPair pair = Ed25519.generate();
        KeyFiles.write(
                signingFile,
                SIGNING_KEY_ID,
                Map.of(SIGNING_KEY_ID, pair.getPrivate().getEncoded()));
        hmacKeys = HmacKeyring.load(hmacFile);
        publicKeys = PublicKeySet.empty().with(SIGNING_KEY_ID, pair.getPublic());
    }

    public static AuditTestKeys writeTo(Path dir) {
        return new AuditTestKeys(dir);
    }
}
