package dev.inlet.local.parity;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a backend (DynamoDB Local) that makes it answer slowly: a request is held for
 * the configured delay before it is passed on, and dropped if its client hung up meanwhile (an SDK
 * attempt that timed out, a process that ended), as a request that never reached the service. Every
 * request, or only those whose bytes contain a marker (a table name). Counts the marked requests that
 * really reached the backend: their effects.
 */
final class DelayingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final AtomicInteger forwardedMarked = new AtomicInteger();
    private final AtomicInteger arrivedMarked = new AtomicInteger();
    private volatile Duration delay = Duration.ZERO;
    private volatile String marker;
    private volatile boolean closed;

    DelayingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "delaying-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Every request held for {@code by}. */
    void slowAll(Duration by) {
        marker = null;
        delay = by;
    }

    /** Only requests containing {@code text} held for {@code by}. */
    void slowWhere(String text, Duration by) {
        marker = text;
        delay = by;
    }

    void normal() {
        delay = Duration.ZERO;
    }

    /** Requests containing the marker that clients sent (each one a side effect a handler started). */
    int arrivedMarked() {
        return arrivedMarked.get();
    }

    /** Requests containing the marker that reached the backend. */
    int forwardedMarked() {
        return forwardedMarked.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket backend = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                start(() -> requests(client, backend));
                start(() -> pump(backend, client));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private static void start(Runnable r) {
        Thread t = new Thread(r, "delaying-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void requests(Socket client, Socket backend) {
        byte[] buffer = new byte[65536];
        try (client; backend) {
            InputStream in = client.getInputStream();
            OutputStream out = backend.getOutputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                String text = new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
                String m = marker;
                boolean marked = m != null && text.contains(m);
                if (marked) {
                    arrivedMarked.incrementAndGet();
                }
                Duration d = delay;
                int next = NOTHING;
                if (!d.isZero() && (m == null || marked)) {
                    Thread.sleep(d.toMillis());
                    next = peek(client, in);
                    if (next == HUNG_UP) {
                        return;                          // never reached the backend
                    }
                }
                out.write(buffer, 0, n);
                if (next >= 0) {
                    out.write(next);
                }
                out.flush();
                if (marked) {
                    forwardedMarked.incrementAndGet();
                }
            }
        } catch (IOException | InterruptedException e) {
            // a side closed: so does the other
        }
    }

    private static final int HUNG_UP = -1;
    private static final int NOTHING = -2;

    /**
     * Whether the client closed its side while its request was held: {@link #HUNG_UP}, else
     * {@link #NOTHING} (still waiting), else the next byte it sent (the rest of its request).
     */
    private static int peek(Socket client, InputStream in) throws IOException {
        int timeout = client.getSoTimeout();
        client.setSoTimeout(50);
        try {
            return in.read();
        } catch (SocketTimeoutException stillWaiting) {
            return NOTHING;
        } catch (IOException reset) {
            return HUNG_UP;
        } finally {
            if (!client.isClosed()) {
                client.setSoTimeout(timeout);
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        byte[] buffer = new byte[65536];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // closed
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
    }
}
