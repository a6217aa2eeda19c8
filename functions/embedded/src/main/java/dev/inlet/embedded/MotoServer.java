package dev.inlet.embedded;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * moto's server ({@code moto_server}, Python) on a free loopback port, as a child process: a real Secrets
 * Manager API for tests and the cold-start benchmark (BUILD-NOTES.md: it answers the project's calls as
 * AWS does). Tests gate on it through {@code dev.inlet.local.Tools}: a failure in CI, a counted skip
 * elsewhere, where it is not installed.
 */
public final class MotoServer implements AutoCloseable {
    public static final String ABSENT =
            "moto_server is not on the PATH (pip install 'moto[server]'): Secrets Manager tests skipped";
    private static final Duration STARTUP = Duration.ofSeconds(30);

    private final Process process;
    private final URI endpoint;

    private MotoServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** Starts one; {@link IllegalStateException} when {@code moto_server} is not on the PATH. */
    public static MotoServer start() throws IOException, InterruptedException {
        Optional<Path> executable = executable();
        if (executable.isEmpty()) {
            throw new IllegalStateException(ABSENT);
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Process process = new ProcessBuilder(executable.get().toString(), "-H", "127.0.0.1", "-p",
                String.valueOf(port))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        MotoServer server = new MotoServer(process, URI.create("http://127.0.0.1:" + port));
        server.awaitReady();
        return server;
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
        close();
        throw new IllegalStateException("moto_server did not answer within " + STARTUP.toSeconds() + " s");
    }

    @Override
    public void close() {
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
