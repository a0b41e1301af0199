package io.quintet.enricher.privacy;

import io.quintet.enricher.privacy.VaultEntries.Pii;
import io.quintet.enricher.privacy.VaultEntries.SubjectEntry;
import io.quintet.enricher.privacy.VaultEntries.VaultEntry;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The vault's binary record format: a version byte ({@value #V1}), then length-prefixed fields. Written on every
 * change of a person's personal data (its IP address changes with about every other event), so it avoids the JSON
 * writer and base64 of three byte arrays that the first format (JSON objects, still read: they start with
 * <code>{</code>) cost per write.
 * <ul>
 *   <li>{@link SubjectEntry}: kid, wrapped key, encrypted pseudonym;</li>
 *   <li>{@link VaultEntry}: kid, wrapped key, encrypted personal data, creation time (epoch seconds, nanos);</li>
 *   <li>{@link Pii} (the plaintext inside a vault entry): subject id, field count, then path and value of each.</li>
 * </ul>
 * Strings are UTF-8 with an int length; -1 is null.
 */
final class VaultCodec {
    static final byte V1 = 1;

    private VaultCodec() {}

    static boolean isLegacyJson(byte[] b) {
        return b.length > 0 && b[0] == '{';
    }

    static byte[] write(SubjectEntry e) {
        return write(out -> {
            string(out, e.kid());
            bytes(out, e.wrappedKey());
            bytes(out, e.encryptedPseudonym());
        });
    }

    static byte[] write(VaultEntry e) {
        return write(out -> {
            string(out, e.kid());
            bytes(out, e.wrappedKey());
            bytes(out, e.encryptedPii());
            out.writeBoolean(e.createdAt() != null);
            if (e.createdAt() != null) {
                out.writeLong(e.createdAt().getEpochSecond());
                out.writeInt(e.createdAt().getNano());
            }
        });
    }

    static byte[] write(Pii pii) {
        return write(out -> {
            string(out, pii.subjectId());
            out.writeInt(pii.fields().size());
            for (Map.Entry<String, String> f : pii.fields().entrySet()) {
                string(out, f.getKey());
                string(out, f.getValue());
            }
        });
    }

    static SubjectEntry readSubject(byte[] b) {
        return read(b, in -> new SubjectEntry(string(in), bytes(in), bytes(in)));
    }

    static VaultEntry readVault(byte[] b) {
        return read(b, in -> {
            String kid = string(in);
            byte[] wrapped = bytes(in);
            byte[] pii = bytes(in);
            Instant created = in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
            return new VaultEntry(kid, wrapped, pii, created);
        });
    }

    static Pii readPii(byte[] b) {
        return read(b, in -> {
            String subject = string(in);
            int n = in.readInt();
            if (n < 0 || n > b.length) {
                throw new IOException("bad field count " + n);
            }
            Map<String, String> fields = new HashMap<>(Math.max(4, n * 2));
            for (int i = 0; i < n; i++) {
                fields.put(string(in), string(in));
            }
            return new Pii(subject, fields);
        });
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static byte[] write(Writer w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(V1);
            w.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    private static <T> T read(byte[] b, Reader<T> r) {
        if (b.length == 0 || b[0] != V1) {
            throw new SerializationException("unknown vault record version " + (b.length == 0 ? "(empty)" : b[0]));
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(b, 1, b.length - 1))) {
            T value = r.read(in);
            if (in.available() != 0) {
                throw new IOException(in.available() + " trailing bytes");
            }
            return value;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "vault record could not be read: " + e.getClass().getSimpleName());
        }
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        bytes(out, s == null ? null : s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void bytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b == null ? -1 : b.length);
        if (b != null) {
            out.write(b);
        }
    }

    private static String string(DataInputStream in) throws IOException {
        byte[] b = bytes(in);
        return b == null ? null : new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n == -1) {
            return null;
        }
        if (n < 0 || n > in.available()) {
            throw new IOException("bad length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }
}
