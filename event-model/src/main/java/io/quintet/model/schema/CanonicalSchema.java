package io.quintet.model.schema;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The canonical JSON Schema ({@value #RESOURCE}), the single definition the code validates with and the docs
 * link to, and a validator that reports each violation with the JSON pointer of the failing field.
 * Thread-safe; build one and share it.
 */
public final class CanonicalSchema {
    public static final String RESOURCE = "/io/quintet/model/canonical-event.schema.json";
    /** The schema's {@code $id}; also the CloudEvents {@code dataschema} of every Quintet event. */
    public static final URI ID = URI.create("https://quintet.dev/schemas/canonical-event/2.0.json");

    private final Schema schema;

    private CanonicalSchema(Schema schema) {
        this.schema = schema;
    }

    /** Loads the bundled canonical schema (draft-07, format assertions on: uuid, date-time, ip, uri-reference). */
    public static CanonicalSchema load() {
        return fromText(text());
    }

    /** Builds a validator from schema text, e.g. the canonical schema extended by configuration. */
    public static CanonicalSchema fromText(String schemaText) {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .pathType(PathType.JSON_POINTER)
                .formatAssertionsEnabled(true)
                .build();
        SchemaRegistry registry =
                SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7, b -> b.schemaRegistryConfig(config));
        return new CanonicalSchema(registry.getSchema(schemaText, InputFormat.JSON));
    }

    /** The schema document as text. */
    public static String text() {
        try (InputStream in = CanonicalSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "canonical schema resource " + RESOURCE + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Validates JSON text; an empty list means valid. Malformed JSON raises an exception from the parser. */
    public List<Violation> validate(String json) {
        List<Error> errors = schema.validate(json, InputFormat.JSON);
        List<Violation> out = new ArrayList<>(errors.size());
        for (Error e : errors) {
            String pointer = e.getInstanceLocation() == null
                    ? ""
                    : e.getInstanceLocation().toString();
            if (e.getProperty() != null && "required".equals(e.getKeyword())) {
                pointer = (pointer.equals("/") ? "" : pointer) + "/" + e.getProperty();
            }
            out.add(new Violation(pointer.isEmpty() ? "/" : pointer, e.getKeyword(), e.getMessage()));
        }
        out.sort(Comparator.comparing(Violation::pointer));
        return List.copyOf(out);
    }

    public List<Violation> validate(byte[] json) {
        return validate(new String(json, StandardCharsets.UTF_8));
    }

    /**
     * One schema violation.
     *
     * @param pointer JSON pointer (RFC 6901) of the failing field, e.g. {@code /actor/id}; {@code /} for the root
     * @param keyword the schema keyword that failed ({@code required}, {@code format}, {@code enum}, ...)
     * @param message the validator's message
     */
    public record Violation(String pointer, String keyword, String message) {
        @Override
        public String toString() {
            return pointer + ": " + message;
        }
    }
}
