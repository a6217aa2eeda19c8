package dev.inlet.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.inlet.aws.lambda.HttpApiResponse;
import dev.inlet.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Routes like the HTTP API: each request matching a template route becomes the API Gateway event that
 * Lambda would get, handed to the same handler class; the handler's response goes back as HTTP.
 */
final class LocalHttpServer implements AutoCloseable {
    /** API Gateway HTTP APIs refuse payloads over 10 MB before any Lambda runs. */
    static final int GATEWAY_PAYLOAD_LIMIT = 10 * 1024 * 1024;

    static {
        // The JDK server writes the status line and the body separately; with Nagle's algorithm on, the
        // second write waits for the client's delayed ACK (about 40 ms on loopback) on every response.
        // The server reads this once per JVM, when the first server starts: ./inlet and the test JVMs
        // set it on the command line; this covers embedders (benchmarks) whose first server is ours.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

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

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Route> routes;
    private final Clock clock;
    /** Serves what no webhook route matches (the console), or null: then such requests get 404. */
    private volatile HttpHandler others;

    LocalHttpServer(int port, List<Route> routes, Clock clock) throws IOException {
        this.routes = List.copyOf(routes);
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        this.executor = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "inlet-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    List<Route> routes() {
        return routes;
    }

    /** Hands every request that matches no webhook route to {@code handler} (which answers 404 itself). */
    void serveOthers(HttpHandler handler) {
        this.others = handler;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            Route route = null;
            Map<String, String> params = Map.of();
            for (Route r : routes) {
                Optional<Map<String, String>> m = r.match(exchange.getRequestMethod(), path);
                if (m.isPresent()) {
                    route = r;
                    params = m.get();
                    break;
                }
            }
            HttpHandler fallback = others;
            if (route == null && fallback != null) {
                fallback.handle(exchange);
                return;
            }
            if (route == null) {
                HttpApiResponse notFound = HttpApiResponse.notFound();
                send(exchange, notFound.statusCode(), notFound.body());
                return;
            }
            byte[] body = readLimited(exchange.getRequestBody());
            if (body == null) {
                send(exchange, 413, "{\"message\":\"Request Entity Too Large\"}");
                return;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, String.join(",", values)));
            String requestId = UUID.randomUUID().toString();
            // Json.write, not toString(): a tree's toString() goes through an ObjectMapper on every request.
            String json = Json.write(HttpApiEvents.json(exchange.getRequestMethod(), path, route.path(), params,
                    headers, body, requestId, clock.instant()));
            HttpApiResponse response = HttpApiEvents.invoke(route.handler(), json.getBytes(StandardCharsets.UTF_8),
                    new LocalContext(route.functionName(), requestId, 10_000));
            response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            send(exchange, response.statusCode(), response.body() == null ? "" : response.body());
        } catch (RuntimeException e) {
            // Lambda answers an unhandled error as 500 "Internal Server Error" without details; so do we.
            System.err.println("local invocation failed: " + e.getClass().getName());
            send(exchange, 500, "{\"message\":\"Internal Server Error\"}");
        }
    }

    private static byte[] readLimited(InputStream in) throws IOException {
        byte[] data = in.readNBytes(GATEWAY_PAYLOAD_LIMIT + 1);
        return data.length > GATEWAY_PAYLOAD_LIMIT ? null : data;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (!exchange.getResponseHeaders().containsKey("content-type")) {
            exchange.getResponseHeaders().add("content-type", "application/json");
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
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
        server.stop(0);
        executor.shutdownNow();
    }
}
