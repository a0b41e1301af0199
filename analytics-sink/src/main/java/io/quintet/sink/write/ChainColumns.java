package io.quintet.sink.write;

import io.cloudevents.CloudEvent;
import io.quintet.audit.chain.ChainExtensions;
import io.quintet.audit.chain.ChainLink;
import java.nio.charset.StandardCharsets;

/**
 * The audit chain fields of one record ({@code chainpart, chainseq, chainprev, chainhash, chainkeyid} CloudEvents
 * extensions, {@code ce_*} headers in binary mode) and the event JSON the chain hash covers (the CloudEvent data as
 * it was on the topic). An event without any chain extension (written before chaining was enabled) has none.
 *
 * @param link      the chain link, or null when the record has none or it is malformed
 * @param eventJson the CloudEvent data as text, kept whenever the record carries any chain extension
 * @param problem   why the chain extensions present could not be read (names extensions, never content), or null
 */
record ChainColumns(ChainLink link, String eventJson, String problem) {
    static final ChainColumns NONE = new ChainColumns(null, null, null);

    static ChainColumns of(CloudEvent event) {
        boolean chained = false;
        for (String name : ChainExtensions.ALL) {
            if (event.getExtension(name) != null) {
                chained = true;
                break;
            }
        }
        if (!chained) {
            return NONE;
        }
        String json =
                event.getData() == null ? null : new String(event.getData().toBytes(), StandardCharsets.UTF_8);
        ChainExtensions.Read read = ChainExtensions.read(event);
        if (read instanceof ChainExtensions.Read.Valid valid) {
            return new ChainColumns(valid.link(), json, null);
        }
        return new ChainColumns(null, json, ((ChainExtensions.Read.Invalid) read).problem());
    }
}
