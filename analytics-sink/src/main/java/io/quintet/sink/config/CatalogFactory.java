package io.quintet.sink.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;

/**
 * Builds the Iceberg catalog the sink writes through.
 * <ul>
 *   <li>Default, no server: {@code JdbcCatalog} on an SQLite file ({@code catalog.db}) inside a local warehouse
 *       directory, data and metadata files written through {@code HadoopFileIO} on the local file system.</li>
 *   <li>Production: {@code JdbcCatalog} on PostgreSQL ({@code catalog.uri=jdbc:postgresql://...}, credentials as
 *       {@code catalog.property.jdbc.user} / {@code jdbc.password}), or {@code RESTCatalog} with S3
 *       ({@code catalog.property.io-impl=org.apache.iceberg.aws.s3.S3FileIO}, iceberg-aws and the AWS SDK on the
 *       class path). See docs/analytics-sink.md.</li>
 * </ul>
 */
public final class CatalogFactory {

    private CatalogFactory() {}

    public static Catalog create(SinkConfig config) {
        Map<String, String> props = new LinkedHashMap<>();
        String warehouse = warehouseLocation(config.warehouse());
        props.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse);
        String uri = config.catalogUri();
        if (uri.isBlank() && SinkConfig.JDBC_CATALOG.equals(config.catalogImpl())) {
            uri = "jdbc:sqlite:" + Path.of(warehouse).resolve("catalog.db");
        }
        if (!uri.isBlank()) {
            props.put(CatalogProperties.URI, uri);
        }
        if (uri.startsWith("jdbc:sqlite:")) {
            // several instances (and their commits) share one database file: wait for its lock instead of failing
            props.put("jdbc.busy_timeout", "30000");
            props.put("jdbc.journal_mode", "WAL");
            props.put("jdbc.schema-version", "V1");
        }
        props.putAll(config.catalogProperties());
        props.put(CatalogProperties.CATALOG_IMPL, config.catalogImpl());
        return CatalogUtil.buildIcebergCatalog(config.catalogName(), props, hadoopConfiguration());
    }

    /**
     * Hadoop settings for HadoopFileIO and the Parquet writer: the raw local file system, so no {@code .crc}
     * side files appear next to data and metadata files.
     */
    public static Configuration hadoopConfiguration() {
        Configuration conf = new Configuration();
        conf.set("fs.file.impl", RawLocalFileSystem.class.getName());
        conf.setBoolean("fs.file.impl.disable.cache", true);
        return conf;
    }

    /** Local directories become absolute (and are created); URIs such as s3://bucket/path are kept. */
    static String warehouseLocation(String warehouse) {
        if (warehouse.contains("://")) {
            return warehouse;
        }
        Path dir = Path.of(warehouse).toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create warehouse directory " + dir, e);
        }
        return dir.toString();
    }
}
