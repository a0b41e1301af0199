package io.quintet.deploy;

import io.quintet.support.cli.Cli;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Exits 0 when a broker at the given bootstrap address serves cluster metadata, 1 otherwise.
 * Used by {@code deploy/bin/kafka-local.sh} to wait for readiness (an open port is not yet a ready broker).
 */
public final class BrokerCheck {
    private BrokerCheck() {}

    public static void main(String[] args) {
        Cli.main(Cli.method(BrokerCheck.class, "check"), args);
    }

    @Command(
            name = "BrokerCheck",
            description = "exit 0 when a broker there serves cluster metadata within 10 s, 1 otherwise")
    static int check(
            @Parameters(
                            arity = "0..1",
                            paramLabel = "HOST:PORT",
                            defaultValue = "127.0.0.1:9092",
                            description = "the broker (default ${DEFAULT-VALUE})")
                    String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        // 10 s, not less: a broker just restarted under four reconnecting services on a loaded machine served
        // metadata, yet a cold, niced check JVM missed a 3 s limit for minutes on end
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (Admin admin = Admin.create(p)) {
            int brokers =
                    admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
            System.out.println("brokers: " + brokers);
            return brokers > 0 ? 0 : 1;
        } catch (Exception e) {
            System.out.println("not ready: " + e.getClass().getSimpleName());
            return 1;
        }
    }
}
