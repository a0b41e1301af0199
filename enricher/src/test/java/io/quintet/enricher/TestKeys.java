package io.quintet.enricher;

import io.quintet.enricher.privacy.Keyring;

/** Fixed master keys for tests only (never used outside the test suite). */
final class TestKeys {
    static final String K1 = "k1:" + "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    static final String K2 = "k2:" + "Hx4dHBsaGRgXFhUUExIREA8ODQwLCgkIBwYFBAMCAQA=";

    private TestKeys() {}

    static Keyring k1() {
        return Keyring.parse(K1, "k1");
    }
}
