package io.quintet.deploy;

import io.quintet.model.cli.Usage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Exits 0 when a broker at the given bootstrap address serves cluster metadata, 1 otherwise.
 * Used by {@code deploy/bin/kafka-local.sh} to wait for readiness (an open port is not yet a ready broker).
 */
public final class BrokerCheck {
    private BrokerCheck() {
    }

    public static void main(String[] args) {
        if (Usage.printIfRequested(args, "usage: BrokerCheck [HOST:PORT]   (default 127.0.0.1:9092)\n"
                + "exit 0 when a broker there serves cluster metadata within 3 s, 1 otherwise")) {
            return;
        }
        String bootstrap = args.length > 0 ? args[0] : "127.0.0.1:9092";
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        try (Admin admin = Admin.create(p)) {
            int brokers = admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).size();
            System.out.println("brokers: " + brokers);
            System.exit(brokers > 0 ? 0 : 1);
        } catch (Exception e) {
            System.out.println("not ready: " + e.getClass().getSimpleName());
            System.exit(1);
        }
    }
}
