package io.quintet.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Quintet service running as its own JVM process: started from its module's {@code target/classes} and
 * {@code target/classpath.txt}, configured by a properties file, logging to {@code <logs>/<name>.log}.
 */
public final class ServiceProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code mainClass} of {@code module} (a folder of the repository) with the given arguments.
     *
     * @param heap e.g. {@code 512m}
     */
    public static ServiceProcess start(
            Path repo,
            String module,
            String name,
            String mainClass,
            List<String> args,
            Map<String, String> env,
            Path logs,
            String heap)
            throws IOException {
        Path moduleDir = repo.resolve(module);
        Path cpFile = moduleDir.resolve("target/classpath.txt");
        if (!Files.exists(cpFile)) {
            throw new IllegalStateException(cpFile + " is missing: build first (mvn -DskipTests package)");
        }
        String classpath = moduleDir.resolve("target/classes")
                + java.io.File.pathSeparator
                + Files.readString(cpFile).trim();
        Files.createDirectories(logs);
        Path log = logs.resolve(name + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xms64m");
        cmd.add("-Xmx" + heap);
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Dquintet.service=" + name);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(repo.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        return new ServiceProcess(name, pb.start(), log);
    }

    public String name() {
        return name;
    }

    /** The process id (for /proc readings). */
    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Waits until {@code url} answers 2xx; fails early when the process dies. */
    public void awaitHttpOk(String url, Duration timeout) throws InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        name + " exited with code " + process.exitValue() + " during start-up; see " + log + logTail());
            }
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(2))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() / 100 == 2) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet: keep polling until the deadline
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new IllegalStateException(
                name + " did not answer " + url + " within " + timeout.toSeconds() + " s; see " + log);
    }

    /** Waits until the log contains {@code marker}; fails early when the process dies. */
    public void awaitLog(String marker, Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(marker)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        name + " exited with code " + process.exitValue() + " during start-up; see " + log + logTail());
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new IllegalStateException(
                name + " did not log '" + marker + "' within " + timeout.toSeconds() + " s; see " + log);
    }

    /** The last lines of the service's log, for start-up failures (the services never log event content). */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return "\n--- last lines of " + log.getFileName() + " ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    /** Kills the process at once (SIGKILL: no shutdown hook runs, as when a machine or container dies). */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") did not die within 30 s of SIGKILL");
        }
    }

    /** Asks the process to stop (SIGTERM: the service's shutdown hook closes it cleanly), then forces it. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
