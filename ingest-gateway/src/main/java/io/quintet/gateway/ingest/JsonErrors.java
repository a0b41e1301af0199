package io.quintet.gateway.ingest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

/** Describes a JSON parse failure by position only, never by echoing the input. */
public final class JsonErrors {
    private JsonErrors() {}

    /** e.g. "not well-formed JSON at line 3, column 17: Unexpected character ('}' (code 125))". */
    public static String describe(String what, JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
        String detail = e.getOriginalMessage();
        int nl = detail == null ? -1 : detail.indexOf('\n');
        if (nl >= 0) {
            detail = detail.substring(0, nl);
        }
        return what + " is not well-formed JSON" + where + (detail == null ? "" : ": " + detail);
    }
}
