package io.quintet.sink.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quintet.support.config.ConfigLoader.InvalidConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinkConfigTest {

    @Test
    void theShippedSampleFileIsValidAndMeansTheDefaults() {
        Path sample = Path.of("config/analytics-sink.properties.sample");
        SinkConfig fromSample = SinkConfig.load(sample, Map.of());
        assertThat(fromSample).isEqualTo(SinkConfig.fromRaw(Map.of(SinkConfig.INSTANCE_ID, fromSample.instanceId())));
    }

    @Test
    void environmentOverridesTheFileAndCatalogPropertiesPassThrough(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sink.properties");
        Files.writeString(file, """
                batch.max.records=5000
                catalog.impl=org.apache.iceberg.rest.RESTCatalog
                catalog.uri=https://catalog.example.com/api
                catalog.property.io-impl=org.apache.iceberg.aws.s3.S3FileIO
                kafka.client.security.protocol=SSL
                """);
        SinkConfig c = SinkConfig.load(
                file,
                Map.of(
                        "QUINTET_SINK_BATCH_MAX_RECORDS", "7000",
                        "QUINTET_SINK_CATALOG_PROPERTY_S3_ENDPOINT", "http://127.0.0.1:9000",
                        "OTHER_VARIABLE", "ignored"));
        assertThat(c.batchMaxRecords()).isEqualTo(7000);
        assertThat(c.catalogImpl()).isEqualTo("org.apache.iceberg.rest.RESTCatalog");
        assertThat(c.catalogProperties())
                .containsEntry("io-impl", "org.apache.iceberg.aws.s3.S3FileIO")
                .containsEntry("s3.endpoint", "http://127.0.0.1:9000");
        assertThat(c.kafkaClientOverrides()).containsEntry("security.protocol", "SSL");
        assertThat(c.batchPolicy().maxEventTimeSpan()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void everyBadSettingIsReportedAtOnce() {
        assertThatThrownBy(() -> SinkConfig.fromRaw(Map.of(
                        SinkConfig.BATCH_MAX_RECORDS,
                        "0",
                        SinkConfig.START_WITHOUT_TABLE_STATE,
                        "middle",
                        "batch.max.rows",
                        "10")))
                .isInstanceOfSatisfying(
                        InvalidConfigException.class,
                        e -> assertThat(e.problems())
                                .anyMatch(p -> p.startsWith("batch.max.records"))
                                .anyMatch(p -> p.startsWith("sink.start.without.table.state"))
                                .anyMatch(p -> p.startsWith("batch.max.rows: unknown setting"))
                                .hasSize(3));
    }

    @Test
    void printingTheConfigurationShowsCatalogPropertyNamesButNotTheirValues() {
        SinkConfig c = SinkConfig.fromRaw(Map.of("catalog.property.jdbc.password", "s3cr3t"));
        assertThat(c.toString()).contains("jdbc.password").doesNotContain("s3cr3t");
    }
}
