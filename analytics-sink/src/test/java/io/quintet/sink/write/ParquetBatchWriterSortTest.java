package io.quintet.sink.write;

import static io.quintet.sink.write.EventTableLayout.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.model.Action;
import io.quintet.model.CanonicalEvent;
import io.quintet.sink.fixtures.SinkHarness;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;

/** The write order of a batch's rows by primitive sort keys is exactly the order of Iceberg's sort comparator. */
class ParquetBatchWriterSortTest {
    private final EventRowMapper mapper = new EventRowMapper(SCHEMA);

    private List<Record> rows() {
        // names that order differently by UTF-16 unit and by code point, equal names and equal times (stability)
        String[] names = {
            "billing.invoice.created",
            "billing.invoice.paid",
            "billing.\uFFFDx.y",
            "billing.\uD834\uDD1Ex.y",
            "billing.éa.b",
            "billing.Z.z",
            "billing.a",
            "auth.user.login",
            "auth.user.login_failed",
            "auth.user.logi"
        };
        Random random = new Random(7);
        List<Record> rows = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            Instant at = Instant.parse("2026-11-02T08:00:00Z")
                    .plusSeconds(random.nextInt(3 * 86_400))
                    .plusNanos(1000L * random.nextInt(3));
            CanonicalEvent e = SinkHarness.event(i).toBuilder()
                    .action(new Action(names[random.nextInt(names.length)], "other"))
                    .eventTimestamp(at)
                    .build();
            rows.add(mapper.toRecord(e, 0, i));
        }
        return rows;
    }

    private static List<Record> order(List<ParquetBatchWriter.Keyed> keyed) {
        return keyed.stream().map(ParquetBatchWriter.Keyed::row).toList();
    }

    @Test
    void primitiveKeysGiveTheOrderOfIcebergsComparator() {
        List<Record> rows = rows();
        List<ParquetBatchWriter.Keyed> fast = ParquetBatchWriter.keyAndSort(rows, SCHEMA, SPEC, SORT_ORDER, true);
        List<ParquetBatchWriter.Keyed> general = ParquetBatchWriter.keyAndSort(rows, SCHEMA, SPEC, SORT_ORDER, false);
        assertThat(fast.get(0).sortKeys()).as("primitive keys were used").isNotNull();
        assertThat(general.get(0).sortKeys()).isNull();
        List<Record> expected = order(general);
        List<Record> actual = order(fast);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(actual.get(i)).as("row " + i).isSameAs(expected.get(i));
        }
    }

    @Test
    void aDescendingOrderTakesTheGeneralComparator() {
        SortOrder descending = SortOrder.builderFor(SCHEMA)
                .desc(ACTION_NAME)
                .asc(EVENT_TIMESTAMP)
                .build();
        List<Record> rows = rows();
        List<ParquetBatchWriter.Keyed> keyed = ParquetBatchWriter.keyAndSort(rows, SCHEMA, SPEC, descending, true);
        assertThat(keyed.get(0).sortKeys()).isNull();
        assertThat(order(keyed)).isEqualTo(order(ParquetBatchWriter.keyAndSort(rows, SCHEMA, SPEC, descending, false)));
    }
}
