package io.quintet.audit.chain;

/** A chain or signing key id that the keyring at hand does not hold. */
public class UnknownKeyException extends RuntimeException {
    private final String keyId;

    public UnknownKeyException(String kind, String keyId) {
        super(kind + " key '" + keyId + "' is not in the keyring");
        this.keyId = keyId;
    }

    public String keyId() {
        return keyId;
    }
}
