package io.quintet.sink.serve;

import io.quintet.sink.app.AnalyticsSink;
import io.quintet.sink.catalog.RestCatalogHandler;
import io.quintet.sink.config.CatalogFactory;
import io.quintet.sink.config.SinkConfig;
import io.quintet.sink.history.EntityHistoryHandler;
import io.quintet.support.cli.Cli;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.iceberg.catalog.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the warm store over HTTP until SIGTERM / Ctrl-C: the Iceberg REST catalog (read-only) at
 * {@code http://<serve.host>:<serve.port>/catalog} and an entity's history at {@code /v1/entities/{type}/{id}/events}. Reads the sink's configuration file (the same catalog and table
 * settings, plus {@code serve.*}); {@code QUINTET_SINK_*} environment variables override it.
 */
public final class WarmStoreServerMain {
    private static final Logger LOG = LoggerFactory.getLogger(WarmStoreServerMain.class);

    private WarmStoreServerMain() {}

    public static void main(String[] args) {
        Cli.configFileMain(
                "WarmStoreServerMain",
                "Serves the warm store (the analytics sink's configuration; serve.* settings).",
                Cli.settings(SinkConfig.definition(), SinkConfig.ENV_PREFIX),
                args,
                WarmStoreServerMain::run);
    }

    static void run(Path configFile) throws IOException, InterruptedException {
        SinkConfig config = SinkConfig.loadOrExit(configFile);
        Catalog catalog = CatalogFactory.create(config);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "warm-store-shutdown"));
        try (WarmStoreServer server = WarmStoreServer.start(
                config.serve(),
                new RestCatalogHandler(catalog, WarmStoreServer.CATALOG_PATH),
                Map.of(
                        EntityHistoryHandler.PATH,
                        new EntityHistoryHandler(catalog, AnalyticsSink.tableIdentifier(config))))) {
            String base = "http://" + config.serve().host() + ":" + server.port();
            LOG.info(
                    "serving {} (catalog {}): Iceberg REST catalog at {}{}{}",
                    config.tableNamespace() + "." + config.tableName(),
                    config.catalogImpl(),
                    base,
                    WarmStoreServer.CATALOG_PATH,
                    config.serve().token().isEmpty() ? " (no token)" : " (bearer token required)");
            System.out.println("Iceberg REST catalog: " + base + WarmStoreServer.CATALOG_PATH);
            System.out.println("entity history:       " + base + EntityHistoryHandler.PATH + "/{type}/{id}/events");
            stop.await();
        } finally {
            if (catalog instanceof Closeable closeable) {
                closeable.close();
            }
        }
    }
}
