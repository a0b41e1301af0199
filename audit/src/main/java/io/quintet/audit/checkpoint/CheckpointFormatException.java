package io.quintet.audit.checkpoint;

/** A checkpoint record that is not a well-formed checkpoint. */
public class CheckpointFormatException extends RuntimeException {
    public CheckpointFormatException(String message) {
        super(message);
    }

    public CheckpointFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
