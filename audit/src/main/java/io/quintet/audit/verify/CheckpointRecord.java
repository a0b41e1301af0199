package io.quintet.audit.verify;

import io.quintet.audit.checkpoint.CheckpointFormatException;
import io.quintet.audit.checkpoint.CheckpointJson;
import io.quintet.audit.checkpoint.SignedCheckpoint;

/**
 * One checkpoint as read from the checkpoints topic or file: the parsed checkpoint, or why it could not be parsed.
 */
public record CheckpointRecord(Position position, SignedCheckpoint checkpoint, String problem) {

    public static CheckpointRecord parse(Position position, byte[] json) {
        if (json == null) {
            return new CheckpointRecord(position, null, "empty record");
        }
        try {
            return new CheckpointRecord(position, CheckpointJson.parse(json), null);
        } catch (CheckpointFormatException e) {
            return new CheckpointRecord(position, null, e.getMessage());
        }
    }
}
