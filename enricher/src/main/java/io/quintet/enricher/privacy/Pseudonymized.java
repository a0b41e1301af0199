package io.quintet.enricher.privacy;

import java.util.List;

/**
 * What a pseudonymization step hands on: the event on its way ({@link PrivacyHop}) and the subject directory entries
 * the step published (new subjects, republished ones) for {@link SubjectDirectory#publish}. Lives only between
 * processors of one sub-topology (never serialized).
 */
public record Pseudonymized(PrivacyHop hop, List<SubjectDirectory.Entry> published) {
    public Pseudonymized {
        published = List.copyOf(published);
    }
}
