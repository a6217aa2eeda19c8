package dev.inlet.local.emulator;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.sun.net.httpserver.HttpHandler;
import dev.inlet.aws.lambda.HttpApiResponse;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Routes like the HTTP API: each request matching a template route becomes the API Gateway event that
 * Lambda would get, handed to the same handler class; the handler's response goes back as HTTP.
 *
 * <p>The HTTP is {@link Http1Connection}'s, one thread per kept-alive connection: a request is read,
 * handled and answered on the thread that owns its connection, with no selector and no hand-off between
 * threads. The JDK's server, used before, cost a selector wake-up, a hand-off to a worker and a
 * re-registration per request; on two shared cores that was most of the hop between a sender and the
 * receiver (docs/performance.md, section 3).
 */
public final class LocalHttpServer implements AutoCloseable {
    /** API Gateway HTTP APIs refuse payloads over 10 MB before any Lambda runs. */
    static final int GATEWAY_PAYLOAD_LIMIT = 10 * 1024 * 1024;
    /** A kept-alive connection with no request for this long is closed. */
    static final int IDLE_MILLIS = 60_000;
    /** Connections beyond this many are answered 503 and closed, so a runaway client cannot exhaust threads. */
    static final int MAX_CONNECTIONS = 256;

    record Route(String method, String path, String functionName,
                 RequestStreamHandler handler) {
        Optional<Map<String, String>> match(String requestMethod, String requestPath) {
            if (!method.equalsIgnoreCase(requestMethod)) {
                return Optional.empty();
            }
            String[] want = path.split("/", -1);
            String[] got = requestPath.split("/", -1);
            if (want.length != got.length) {
                return Optional.empty();
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < want.length; i++) {
                if (want[i].startsWith("{") && want[i].endsWith("}")) {
                    if (got[i].isEmpty()) {
                        return Optional.empty();
                    }
                    params.put(want[i].substring(1, want[i].length() - 1), got[i]);
                } else if (!want[i].equals(got[i])) {
                    return Optional.empty();
                }
            }
            return Optional.of(params);
        }
    }

    private final ServerSocket listener;
    private final ExecutorService connections;
    private final Set<Http1Connection> open = ConcurrentHashMap.newKeySet();
    private final int maxConnections;
    private final List<Route> routes;
    private final Clock clock;
    /** Serves what no webhook route matches (the console), or null: then such requests get 404. */
    private volatile HttpHandler others;

    public LocalHttpServer(int port, List<Route> routes, Clock clock) throws IOException {
        this(port, routes, clock, MAX_CONNECTIONS);
    }

    public LocalHttpServer(int port, List<Route> routes, Clock clock, int maxConnections) throws IOException {
        this.maxConnections = maxConnections;
        this.routes = List.copyOf(routes);
        this.clock = clock;
        this.listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 128);
        AtomicInteger threads = new AtomicInteger();
        this.connections = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "inlet-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Thread acceptor = new Thread(this::accept, "inlet-http-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    List<Route> routes() {
        return routes;
    }

    /** Hands every request that matches no webhook route to {@code handler} (which answers 404 itself). */
    public void serveOthers(HttpHandler handler) {
        this.others = handler;
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                pauseUnlessClosed();   // closed (the loop ends), or a failed accept such as no file descriptors left
                continue;
            }
            try {
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(IDLE_MILLIS);
                Http1Connection connection = new Http1Connection(socket);
                if (open.size() >= maxConnections) {
                    connections.execute(() ->
                            refuse(connection, new Http1Connection.Refusal(503, "Too many open connections")));
                    continue;
                }
                open.add(connection);
                connections.execute(() -> serve(connection));
            } catch (IOException | RuntimeException e) {
                closeQuietly(socket);
            }
        }
    }

    /** One connection's requests, in order, on this thread, until either side closes it. */
    private void serve(Http1Connection connection) {
        try (connection) {
            for (;;) {
                Http1Request request;
                try {
                    request = connection.read(GATEWAY_PAYLOAD_LIMIT);
                } catch (Http1Connection.Refusal refusal) {
                    refuse(connection, refusal);
                    return;
                }
                if (request == null) {
                    return;
                }
                boolean close = !request.keepAlive();
                serve(connection, request, close);
                if (close) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the client went away mid-request or mid-response: nothing can be answered
        } finally {
            open.remove(connection);
        }
    }

    private void serve(Http1Connection connection, Http1Request request, boolean close) throws IOException {
        boolean head = request.method().equals("HEAD");
        LocalExchange.Responder responder = (status, fields, body) ->
                connection.respond(status, fields, body, head, close, clock.instant());
        String path = request.rawPath();
        Route route = null;
        Map<String, String> params = Map.of();
        for (Route r : routes) {
            Optional<Map<String, String>> m = r.match(request.method(), path);
            if (m.isPresent()) {
                route = r;
                params = m.get();
                break;
            }
        }
        HttpHandler fallback = others;
        if (route == null && fallback != null) {
            LocalExchange exchange;
            try {
                exchange = new LocalExchange(request, (InetSocketAddress) connection.socket().getLocalSocketAddress(),
                        (InetSocketAddress) connection.socket().getRemoteSocketAddress(), responder);
            } catch (URISyntaxException e) {
                responder.message(400, "Malformed request target");
                return;
            }
            try {
                fallback.handle(exchange);
            } catch (RuntimeException e) {
                System.err.println("local request failed: " + e.getClass().getName());
            }
            exchange.finish();
            return;
        }
        if (route == null) {
            HttpApiResponse notFound = HttpApiResponse.notFound();
            responder.json(notFound.statusCode(), notFound.body());
            return;
        }
        String requestId = UUID.randomUUID().toString();
        HttpApiResponse response;
        try {
            byte[] event = HttpApiEvents.bytes(request.method(), path, request.rawQuery(), route.path(), params,
                    request.headers(), request.body(), requestId, clock.instant());
            response = HttpApiEvents.invoke(route.handler(), event,
                    new LocalContext(route.functionName(), requestId, 10_000));
        } catch (RuntimeException e) {
            // Lambda answers an unhandled error as 500 "Internal Server Error" without details; so do we.
            System.err.println("local invocation failed: " + e.getClass().getName());
            responder.message(500, "Internal Server Error");
            return;
        }
        List<Map.Entry<String, String>> fields = new ArrayList<>(response.headers().size() + 1);
        if (response.headers().keySet().stream().noneMatch(k -> k.equalsIgnoreCase("content-type"))) {
            fields.addAll(LocalExchange.Responder.JSON);
        }
        fields.addAll(response.headers().entrySet());
        byte[] body = response.body() == null ? new byte[0] : response.body().getBytes(StandardCharsets.UTF_8);
        try {
            responder.respond(response.statusCode(), fields, body);
        } catch (IllegalArgumentException e) {
            // API Gateway answers a Lambda response it cannot send as 500; so do we.
            System.err.println("local invocation returned a header HTTP cannot carry");
            responder.message(500, "Internal Server Error");
        }
    }

    private void refuse(Http1Connection connection, Http1Connection.Refusal refusal) {
        LocalExchange.Responder closing = (status, fields, body) ->
                connection.respond(status, fields, body, false, true, clock.instant());
        try {
            closing.message(refusal.status, refusal.getMessage());
            connection.closeAfterRefusal();
        } catch (IOException e) {
            connection.close();   // the client is gone already
        }
    }

    /** After a failed accept on an open listener, waits a little instead of spinning on the same failure. */
    private void pauseUnlessClosed() {
        if (!listener.isClosed()) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    static List<Route> sorted(List<Route> routes) {
        // Literal paths before templated ones, as API Gateway prefers the most specific route.
        List<Route> copy = new ArrayList<>(routes);
        copy.sort((a, b) -> Long.compare(a.path().chars().filter(c -> c == '{').count(),
                b.path().chars().filter(c -> c == '{').count()));
        return copy;
    }

    @Override
    public void close() {
        closeQuietly(listener);
        open.forEach(Http1Connection::close);
        connections.shutdownNow();
    }
}
