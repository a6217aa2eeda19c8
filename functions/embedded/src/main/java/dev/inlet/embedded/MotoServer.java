package dev.inlet.embedded;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * moto's server ({@code moto_server}, Python) on loopback, as a child process: a real Secrets Manager API
 * for tests and the cold-start benchmark (BUILD-NOTES.md: it answers the project's calls as AWS does).
 * Tests gate on it through {@code dev.inlet.local.Tools}: a failure in CI, a counted skip elsewhere, where
 * it is not installed.
 *
 * <p>It is started on port 0: the process binds a port the system chooses and prints it ({@code * Running on
 * http://127.0.0.1:PORT}), so the endpoint is always the socket this process holds. (A port found free
 * beforehand could be taken by another process, another engineer's moto_server included, before this one
 * bound it; the check for readiness would then have found that other server answering.)
 */
public final class MotoServer implements AutoCloseable {
    public static final String ABSENT =
            "moto_server is not on the PATH (pip install 'moto[server]'): Secrets Manager tests skipped";
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Pattern BOUND = Pattern.compile("Running on http://127\\.0\\.0\\.1:(\\d+)");
    private static final int OUTPUT_KEPT = 8;

    private final Process process;
    private final URI endpoint;

    private MotoServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** Starts one; {@link IllegalStateException} when {@code moto_server} is not on the PATH or does not start. */
    public static MotoServer start() throws IOException, InterruptedException {
        Optional<Path> executable = executable();
        if (executable.isEmpty()) {
            throw new IllegalStateException(ABSENT);
        }
        Process process = new ProcessBuilder(executable.get().toString(), "-H", "127.0.0.1", "-p", "0")
                .redirectErrorStream(true)
                .start();
        try {
            MotoServer server = new MotoServer(process, URI.create("http://127.0.0.1:" + boundPort(process)));
            server.awaitReady();
            return server;
        } catch (RuntimeException | InterruptedException e) {
            stop(process);
            throw e;
        }
    }

    /**
     * The port the process reports it bound. Its output is read to the end on a daemon thread (an unread
     * pipe would block moto once full); the last lines go into the error when it exits first.
     */
    private static int boundPort(Process process) throws InterruptedException {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            Deque<String> last = new ArrayDeque<>();
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    Matcher bound = BOUND.matcher(line);
                    if (!port.isDone() && bound.find()) {
                        port.complete(Integer.parseInt(bound.group(1)));
                    }
                    if (!port.isDone()) {
                        last.addLast(line);
                        if (last.size() > OUTPUT_KEPT) {
                            last.removeFirst();
                        }
                    }
                }
            } catch (IOException closed) {
                // the process is gone
            }
            if (!port.isDone()) {
                port.completeExceptionally(new IllegalStateException("moto_server stopped before it reported its port"
                        + exitCode(process) + "; its last output: " + String.join(" | ", last)));
            }
        }, "moto-server-output");
        reader.setDaemon(true);
        reader.start();
        try {
            int bound = port.get(STARTUP.toSeconds(), TimeUnit.SECONDS);
            if (bound == 0) {
                throw new IllegalStateException("moto_server reported port 0, not the port it bound "
                        + "(its web server is too old to report it: upgrade moto)");
            }
            return bound;
        } catch (TimeoutException e) {
            throw new IllegalStateException("moto_server did not report a port within " + STARTUP.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw (IllegalStateException) e.getCause();
        }
    }

    private static String exitCode(Process process) {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? " (exit " + process.exitValue() + ")" : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    public static Optional<Path> executable() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "moto_server");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The child process, for tests that check which process owns the endpoint. */
    public ProcessHandle process() {
        return process.toHandle();
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited with " + process.exitValue() + " on start");
            }
            try {
                HttpURLConnection c = (HttpURLConnection) endpoint.resolve("/moto-api/").toURL().openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(2000);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("moto_server did not answer within " + STARTUP.toSeconds() + " s");
    }

    @Override
    public void close() {
        stop(process);
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
