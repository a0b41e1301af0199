package io.quintet.feeds.metrics.alerts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the rules file when its content changes (checked every {@code interval}) and swaps the rule set in force.
 * A file with problems is rejected whole and the previous rules stay in force; the problems are logged.
 */
public final class RulesReloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RulesReloader.class);

    private final Path file;
    private final AlertRules rules;
    private final Duration defaultGrace;
    private final java.util.List<Duration> metricWindows;
    private final ScheduledExecutorService executor;
    private String lastContent;

    public RulesReloader(Path file, AlertRules rules, Duration defaultGrace, Duration interval) throws IOException {
        this(file, rules, defaultGrace, null, interval);
    }

    /** @param metricWindows the service's metrics.windows, which anomaly rules' series windows must be among */
    public RulesReloader(
            Path file,
            AlertRules rules,
            Duration defaultGrace,
            java.util.List<Duration> metricWindows,
            Duration interval)
            throws IOException {
        this.file = file;
        this.metricWindows = metricWindows;
        this.rules = rules;
        this.defaultGrace = defaultGrace;
        this.lastContent = Files.readString(file);
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "alert-rules-reloader");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(
                this::checkOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reloads if the file changed; returns what changed (empty when nothing did or the file was rejected). */
    public synchronized AlertRules.Change checkOnce() {
        AlertRules.Change none = new AlertRules.Change(
                java.util.List.of(), java.util.List.of(), java.util.List.of(), java.util.List.of());
        try {
            String content = Files.readString(file);
            if (content.equals(lastContent)) {
                return none;
            }
            AlertRuleSet next = AlertRulesFile.parse(content, defaultGrace, metricWindows, file.toString());
            lastContent = content;
            AlertRules.Change change = rules.replace(next);
            LOG.info(
                    "alert rules reloaded from {}: added {}, changed {}, removed {}, unchanged {}",
                    file,
                    change.added(),
                    change.changed(),
                    change.removed(),
                    change.unchanged());
            return change;
        } catch (AlertRulesFile.InvalidRulesException e) {
            LOG.error("alert rules file {} rejected, previous rules stay in force: {}", file, e.getMessage());
        } catch (IOException e) {
            LOG.error("alert rules file {} could not be read, previous rules stay in force: {}", file, e.toString());
        }
        return none;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
