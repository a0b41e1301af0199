package io.quintet.sink;

import java.nio.file.Path;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;

/** Embedded catalogs (SQLite + local warehouse) in a test's temporary directory. */
final class TestCatalogs {
    private TestCatalogs() {}

    /** Sink settings pointing at a warehouse under {@code dir}; other settings from {@code overrides}. */
    static SinkConfig config(Path dir, Map<String, String> overrides) {
        Map<String, String> raw = new java.util.LinkedHashMap<>();
        raw.put(SinkConfig.WAREHOUSE, dir.resolve("warehouse").toString());
        raw.put(SinkConfig.INSTANCE_ID, "test-instance");
        raw.putAll(overrides);
        return SinkConfig.fromRaw(raw);
    }

    static Catalog catalog(SinkConfig config) {
        return CatalogFactory.create(config);
    }
}
