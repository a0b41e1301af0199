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
 * {@code target/classpath.txt}, configured by a properties file, logging to {@code <logs>/<name>.log}; or a service
 * another process started, attached to by its pid (a kept {@code ./quintet run}, for {@code ./quintet chaos}).
 */
public final class ServiceProcess implements AutoCloseable {
    private final String name;
    /** The process when this JVM started it (for its exit code), null when attached to a running one by pid. */
    private final Process process;

    private final ProcessHandle handle;
    private final Path log;
    private final List<String> command;

    private ServiceProcess(String name, Process process, ProcessHandle handle, Path log, List<String> command) {
        this.name = name;
        this.process = process;
        this.handle = handle;
        this.log = log;
        this.command = List.copyOf(command);
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
        return exec(repo, name, command(repo, module, name, mainClass, args, heap), env, logs.resolve(name + ".log"));
    }

    /**
     * The command line that runs {@code mainClass} of {@code module} (a folder of the repository): this JVM's java,
     * the module's {@code target/classes} and {@code target/classpath.txt}, {@code -Dquintet.service=name}.
     */
    public static List<String> command(
            Path repo, String module, String name, String mainClass, List<String> args, String heap)
            throws IOException {
        Path moduleDir = repo.resolve(module);
        Path cpFile = moduleDir.resolve("target/classpath.txt");
        if (!Files.exists(cpFile)) {
            throw new IllegalStateException(cpFile + " is missing: build first (mvn -DskipTests package)");
        }
        String classpath = moduleDir.resolve("target/classes")
                + java.io.File.pathSeparator
                + Files.readString(cpFile).trim();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xms64m");
        cmd.add("-Xmx" + heap);
        cmd.add("-XX:+UseSerialGC");
        cmd.add(marker(name));
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    private static String marker(String name) {
        return "-Dquintet.service=" + name;
    }

    /**
     * Runs {@code command} from {@code repo}, output appended to {@code log}. The environment is this process's,
     * with {@code env} on top; a null value in {@code env} removes that variable.
     */
    public static ServiceProcess exec(Path repo, String name, List<String> command, Map<String, String> env, Path log)
            throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(repo.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        Process p = pb.start();
        return new ServiceProcess(name, p, p.toHandle(), log, command);
    }

    /**
     * The running service {@code name} at {@code pid}, started by another process (a kept {@code ./quintet run}).
     * Fails when no such process runs, or when the process at that pid is not that service (its command line lacks
     * {@code -Dquintet.service=name}: the pid was reused).
     */
    public static ServiceProcess attach(String name, long pid, List<String> command, Path log) {
        ProcessHandle h = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .orElseThrow(() -> new IllegalStateException(name + " (pid " + pid + ") is not running"));
        boolean isIt = h.info().commandLine().map(c -> c.contains(marker(name))).orElse(true);
        if (!isIt) {
            throw new IllegalStateException("pid " + pid + " is not " + name + " any more (its command line differs)");
        }
        return new ServiceProcess(name, null, h, log, command);
    }

    public String name() {
        return name;
    }

    /** The process id (for /proc readings). */
    public long pid() {
        return handle.pid();
    }

    /** The command line that started the process. */
    public List<String> command() {
        return command;
    }

    public Path log() {
        return log;
    }

    public boolean alive() {
        return handle.isAlive();
    }

    private String exited() {
        return process != null ? name + " exited with code " + process.exitValue() : name + " exited";
    }

    /** Waits until {@code url} answers 2xx; fails early when the process dies. */
    public void awaitHttpOk(String url, Duration timeout) throws InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!handle.isAlive()) {
                throw new IllegalStateException(exited() + " during start-up; see " + log + logTail());
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
            if (!handle.isAlive()) {
                throw new IllegalStateException(exited() + " during start-up; see " + log + logTail());
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
        handle.destroyForcibly();
        if (!awaitExit(30)) {
            throw new IllegalStateException(name + " (pid " + handle.pid() + ") did not die within 30 s of SIGKILL");
        }
    }

    private boolean awaitExit(long seconds) throws InterruptedException {
        if (process != null) {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        }
        try {
            handle.onExit().get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("waiting for " + name + " to exit failed", e);
        }
    }

    /** Asks the process to stop (SIGTERM: the service's shutdown hook closes it cleanly), then forces it. */
    @Override
    public void close() {
        if (!handle.isAlive()) {
            return;
        }
        handle.destroy();
        try {
            if (!awaitExit(30)) {
                handle.destroyForcibly();
                awaitExit(10);
            }
        } catch (InterruptedException e) {
            handle.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
