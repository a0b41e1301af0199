package io.quintet.audit.verify;

/**
 * Where a record sits in its source, for reports.
 *
 * @param offset      Kafka offset, line number or row number; -1 when there is none
 * @param description "offset 61", "line 17", "row 17 of data file ..."
 */
public record Position(long offset, String description) {

    public static Position offset(long offset) {
        return new Position(offset, "offset " + offset);
    }

    public static Position line(String file, long line) {
        return new Position(line, file + " line " + line);
    }

    @Override
    public String toString() {
        return description;
    }
}
