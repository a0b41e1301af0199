package io.quintet.model;

/** An action name or pattern that breaks the Domain.Entity.Action convention. */
public class InvalidActionNameException extends IllegalArgumentException {
    private final String input;
    private final int segmentIndex;

    public InvalidActionNameException(String input, int segmentIndex, String message) {
        super(message);
        this.input = input;
        this.segmentIndex = segmentIndex;
    }

    /** The offending name as given. */
    public String input() {
        return input;
    }

    /** Zero-based index of the offending segment, or -1 when the whole name is at fault. */
    public int segmentIndex() {
        return segmentIndex;
    }
}
