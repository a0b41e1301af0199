package io.quintet.audit;

import io.quintet.audit.keys.Ed25519;
import io.quintet.audit.keys.HmacKeyring;
import io.quintet.audit.keys.KeyFiles;
import io.quintet.audit.keys.KeyIds;
import io.quintet.audit.keys.PublicKeySet;
import io.quintet.support.cli.Cli;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code keys} command: creates and rotates the chain and checkpoint keys.
 * <pre>
 *   keys init           --dir DIR [--hmac-id chain-1] [--signing-id ck-1]
 *                       writes DIR/hmac.keys, DIR/signing.keys (secret) and DIR/public-keys.json (publish it)
 *   keys rotate-hmac    --keys hmac.keys --id NEW          adds a key and makes it active; old keys stay
 *   keys rotate-signing --keys signing.keys --public-keys public-keys.json --id NEW
 *                       adds a key pair, makes it active and publishes its public key; old public keys stay
 * </pre>
 */
public final class KeysMain {
    /** The file names {@code init} writes. */
    public static final String HMAC_FILE = "hmac.keys";

    public static final String SIGNING_FILE = "signing.keys";
    public static final String PUBLIC_FILE = "public-keys.json";

    private KeysMain() {}

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) { // 0 (done, or --help) ends like any main that returns
            System.exit(status);
        }
    }

    @Command(
            name = "keys",
            subcommands = {Init.class, RotateHmac.class, RotateSigning.class},
            description = "The audit chain's keys.",
            footer = "(a deployment's keys: deploy/bin/secrets.sh)")
    static final class Line {}

    @Command(
            name = "init",
            description = "writes DIR/hmac.keys, DIR/signing.keys (secret) and DIR/public-keys.json (publish it)")
    static final class Init {
        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "where the key files go")
        String dir;

        @Option(names = "--hmac-id", paramLabel = "ID", description = "the HMAC key's id (default chain-1)")
        String hmacId;

        @Option(names = "--signing-id", paramLabel = "ID", description = "the signing key's id (default ck-1)")
        String signingId;
    }

    @Command(name = "rotate-hmac", description = "adds a key and makes it active; old keys stay")
    static final class RotateHmac {
        @Option(names = "--keys", required = true, paramLabel = "hmac.keys", description = "the HMAC key file")
        String keys;

        @Option(names = "--id", required = true, paramLabel = "NEW", description = "the new key's id")
        String id;
    }

    @Command(
            name = "rotate-signing",
            description = "adds a key pair, makes it active and publishes its public key; old public keys stay")
    static final class RotateSigning {
        @Option(names = "--keys", required = true, paramLabel = "signing.keys", description = "the signing key file")
        String keys;

        @Option(
                names = "--public-keys",
                required = true,
                paramLabel = "public-keys.json",
                description = "the published keys")
        String publicKeys;

        @Option(names = "--id", required = true, paramLabel = "NEW", description = "the new key's id")
        String id;
    }

    /**
     * {@code keys init}: writes {@code hmac.keys} and {@code signing.keys} (secret) and {@code public-keys.json}
     * (publish) into {@code dir}, which must not hold any of them yet.
     *
     * @throws IllegalArgumentException when a key file exists (keys are never overwritten)
     */
    public static void init(Path dir, String hmacId, String signingId) throws IOException {
        Files.createDirectories(dir);
        for (String f : new String[] {HMAC_FILE, SIGNING_FILE, PUBLIC_FILE}) {
            if (Files.exists(dir.resolve(f))) {
                throw new IllegalArgumentException(dir.resolve(f) + " exists; refusing to overwrite keys");
            }
        }
        KeyFiles.write(dir.resolve(HMAC_FILE), hmacId, Map.of(hmacId, HmacKeyring.generateKey()));
        KeyPair kp = Ed25519.generate();
        KeyFiles.write(
                dir.resolve(SIGNING_FILE),
                signingId,
                Map.of(signingId, kp.getPrivate().getEncoded()));
        PublicKeySet.empty().with(signingId, kp.getPublic()).save(dir.resolve(PUBLIC_FILE));
    }

    public static int run(String[] argv, PrintStream out, PrintStream err) {
        Args args = new Args();
        Integer parsed = Args.parse(new Line(), "keys", argv, out, err, args);
        if (parsed != null) {
            return parsed;
        }
        try {
            String cmd = args.words.isEmpty() ? "" : args.words.get(0);
            switch (cmd) {
                case "init" -> {
                    Path dir = Path.of(args.required("dir"));
                    Files.createDirectories(dir);
                    String hmacId = KeyIds.require(args.options.getOrDefault("hmac-id", "chain-1"));
                    String signingId = KeyIds.require(args.options.getOrDefault("signing-id", "ck-1"));
                    init(dir, hmacId, signingId);
                    out.println("wrote " + dir.resolve("hmac.keys") + ", " + dir.resolve("signing.keys")
                            + " (keep secret) and " + dir.resolve("public-keys.json") + " (publish)");
                }
                case "rotate-hmac" -> {
                    Path file = Path.of(args.required("keys"));
                    String id = KeyIds.require(args.required("id"));
                    KeyFiles.Loaded loaded = KeyFiles.read(file);
                    Map<String, byte[]> keys = new LinkedHashMap<>(loaded.keys());
                    if (keys.putIfAbsent(id, HmacKeyring.generateKey()) != null) {
                        throw new IllegalArgumentException("key id '" + id + "' exists; key ids are never reused");
                    }
                    KeyFiles.write(file, id, keys);
                    out.println("HMAC key '" + id + "' added and active in " + file
                            + "; restart the chaining service to use it");
                }
                case "rotate-signing" -> {
                    Path file = Path.of(args.required("keys"));
                    Path published = Path.of(args.required("public-keys"));
                    String id = KeyIds.require(args.required("id"));
                    KeyFiles.Loaded loaded = KeyFiles.read(file);
                    Map<String, byte[]> keys = new LinkedHashMap<>(loaded.keys());
                    KeyPair kp = Ed25519.generate();
                    PublicKeySet set = PublicKeySet.load(published).with(id, kp.getPublic()); // refuses a reused id
                    keys.put(id, kp.getPrivate().getEncoded());
                    set.save(published);
                    KeyFiles.write(file, id, keys);
                    out.println("signing key '" + id + "' added and active in " + file + "; its public key is in "
                            + published);
                }
                default -> throw new Args.UsageException("expected init, rotate-hmac or rotate-signing");
            }
            return VerifyMain.OK;
        } catch (Args.UsageException e) {
            err.println("keys: " + e.getMessage());
            Cli.commandLine(new Line(), null).usage(err);
            return VerifyMain.USAGE;
        } catch (IllegalArgumentException e) {
            err.println("keys: " + e.getMessage());
            return VerifyMain.USAGE;
        } catch (java.io.IOException | UncheckedIOException e) {
            err.println("keys: " + e.getMessage());
            return VerifyMain.UNREADABLE;
        }
    }
}
