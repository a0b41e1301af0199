package io.quintet.sink.maintenance;

import io.quintet.sink.app.AnalyticsSink;
import io.quintet.sink.config.CatalogFactory;
import io.quintet.sink.config.SinkConfig;
import io.quintet.support.cli.Cli;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;

/**
 * One maintenance run of the warm store (retention, compaction, cold export, snapshot expiry, orphan files), with
 * the sink's configuration file: {@code java io.quintet.sink.maintenance.MaintenanceMain [config.properties]}. Schedule it
 * (cron, Kubernetes CronJob); it is safe next to running sinks.
 */
public final class MaintenanceMain {

    private MaintenanceMain() {}

    public static void main(String[] args) {
        Cli.configFileMain(
                "MaintenanceMain",
                "One maintenance run of the sink's table (retention, compaction, cold export, "
                        + "snapshot expiry, orphan files) with the sink's configuration; schedule it (cron, a Kubernetes CronJob).",
                Cli.settings(SinkConfig.definition(), SinkConfig.ENV_PREFIX),
                args,
                MaintenanceMain::run);
    }

    static void run(Path configFile) throws IOException {
        SinkConfig config = SinkConfig.loadOrExit(configFile);
        Catalog catalog = CatalogFactory.create(config);
        try {
            if (!catalog.tableExists(AnalyticsSink.tableIdentifier(config))) {
                // a scheduled run before the sink's first commit: nothing to maintain yet
                System.out.println("no table " + AnalyticsSink.tableIdentifier(config) + " yet: nothing to maintain");
                return;
            }
            Table table = catalog.loadTable(AnalyticsSink.tableIdentifier(config));
            TableMaintenance.Report report = new TableMaintenance(
                            table, config.maintenance(), config.targetFileSizeBytes(), Clock.systemUTC())
                    .run();
            System.out.println(report);
        } finally {
            if (catalog instanceof Closeable c) {
                c.close();
            }
        }
    }
}
