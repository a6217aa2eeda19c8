package dev.inlet.local.emulator;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.sun.net.httpserver.HttpHandler;
import dev.inlet.aws.lambda.HttpApiResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Routes like the HTTP API: each request matching a template route becomes the API Gateway event that
 * Lambda would get ({@link HttpApiEvents}), handed to the same handler class; the handler's response goes
 * back as HTTP. What no route matches goes to one other handler (the console) as a JDK
 * {@link com.sun.net.httpserver.HttpExchange}.
 *
 * <p>The HTTP is Jetty 12's (core, no servlets; already on the tools' classpath as DynamoDB Local's own
 * server). Its parser is non-blocking: a request occupies a thread only once its head and its whole body
 * have arrived, so slow clients cost connections, never threads. Each of {@link HttpLimits} is a Jetty
 * setting or one check here: head size ({@code requestHeaderSize}), body size ({@link SizeLimitHandler}),
 * connections ({@link NetworkConnectionLimit}), threads ({@link QueuedThreadPool}), idle time (the
 * connector's), header count and the body's deadline (this class).
 */
public final class LocalHttpServer implements AutoCloseable {
    /** API Gateway HTTP APIs refuse payloads over 10 MB before any Lambda runs. */
    static final long GATEWAY_PAYLOAD_LIMIT = HttpLimits.GATEWAY_PAYLOAD_LIMIT;
    /** A receiver's timeout, as the template gives it (its Lambda context counts down from it). */
    private static final int FUNCTION_TIMEOUT_MILLIS = 10_000;

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

    private final Server server;
    private final ServerConnector connector;
    private final NetworkConnectionLimit connections;
    private final QueuedThreadPool threads;
    private final HttpLimits limits;
    private final List<Route> routes;
    private final Clock clock;
    /** Serves what no webhook route matches (the console), or null: then such requests get 404. */
    private volatile HttpHandler others;

    public LocalHttpServer(int port, List<Route> routes, Clock clock) throws IOException {
        this(port, routes, clock, HttpLimits.DEFAULTS);
    }

    public LocalHttpServer(int port, List<Route> routes, Clock clock, HttpLimits limits) throws IOException {
        this.limits = limits;
        this.routes = List.copyOf(routes);
        this.clock = clock;
        threads = new QueuedThreadPool(limits.maxThreads(), 2);
        threads.setName("inlet-http");
        threads.setDaemon(true);
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(limits.maxHeadBytes());
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        connector.setAcceptedTcpNoDelay(true);   // Jetty's default, stated: no answer waits for a delayed ACK
        server.addConnector(connector);
        connections = new NetworkConnectionLimit(limits.maxConnections(), server);
        server.addBean(connections);
        server.setErrorHandler(new GatewayErrors());
        server.setHandler(new SizeLimitHandler(limits.maxBodyBytes(), -1) {
            {
                setHandler(new Adapter());
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            close();
            throw e;
        } catch (Exception e) {
            close();
            throw new IOException("the HTTP server did not start: " + e.getMessage(), e);
        }
    }

    public int port() {
        return connector.getLocalPort();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(connector.getHost(), port());
    }

    List<Route> routes() {
        return routes;
    }

    /** Connections open now (slow ones included); for tests and diagnostics. */
    int openConnections() {
        return connections.getNetworkConnectionCount();
    }

    /** Hands every request that matches no webhook route to {@code handler} (which answers 404 itself). */
    public void serveOthers(HttpHandler handler) {
        this.others = handler;
    }

    /** Reads the whole body without holding a thread, then serves the request on one of the server's threads. */
    private final class Adapter extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            if (request.getHeaders().size() > limits.maxHeaderFields()) {
                refuse(response, callback, 431);
                return true;
            }
            String coding = request.getHeaders().get(HttpHeader.TRANSFER_ENCODING);
            if (coding != null && !coding.trim().equalsIgnoreCase("chunked")) {
                // Jetty removes the chunking and would hand on what is left (gzip...) as if it were the body
                refuse(response, callback, 501);
                return true;
            }
            Content.Source.asByteArrayAsync(request, -1)
                    .orTimeout(limits.requestDeadline().toMillis(), TimeUnit.MILLISECONDS)
                    .whenCompleteAsync((body, failure) -> {
                        if (failure == null) {
                            serve(request, response, callback, body);
                        } else if (unwrap(failure) instanceof TimeoutException) {
                            refuse(response, callback, 408);
                        } else {
                            callback.failed(unwrap(failure));   // over the size limit (413), or the client left
                        }
                    }, threads);
            return true;
        }
    }

    /** Our own refusals, worded as Jetty's are ({@link GatewayErrors}); the connection closes after them. */
    private static void refuse(Response response, Callback callback, int status) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(GatewayErrors.body(status)), callback);
    }

    private void serve(Request request, Response response, Callback callback, byte[] body) {
        LocalExchange.Responder responder = (status, fields, bytes) -> respond(response, callback, status, fields, bytes);
        try {
            serve(request, body, responder);
        } catch (IOException | RuntimeException e) {
            callback.failed(e);
        }
    }

    private void serve(Request request, byte[] body, LocalExchange.Responder responder) throws IOException {
        String method = request.getMethod();
        HttpURI uri = request.getHttpURI();
        String path = uri.getPath();
        List<Map.Entry<String, String>> headers = new ArrayList<>(request.getHeaders().size());
        for (HttpField f : request.getHeaders()) {
            headers.add(Map.entry(f.getName(), f.getValue()));
        }
        Route route = null;
        Map<String, String> params = Map.of();
        for (Route r : routes) {
            Optional<Map<String, String>> m = r.match(method, path);
            if (m.isPresent()) {
                route = r;
                params = m.get();
                break;
            }
        }
        HttpHandler fallback = others;
        if (route == null && fallback != null) {
            others(fallback, request, headers, body, responder);
        } else if (route == null) {
            HttpApiResponse notFound = HttpApiResponse.notFound();
            responder.json(notFound.statusCode(), notFound.body());
        } else {
            invoke(route, params, method, uri, headers, body, responder);
        }
    }

    private void others(HttpHandler fallback, Request request, List<Map.Entry<String, String>> headers, byte[] body,
                        LocalExchange.Responder responder) throws IOException {
        LocalExchange exchange;
        try {
            exchange = new LocalExchange(request.getMethod(), request.getHttpURI().getPathQuery(), headers, body,
                    (InetSocketAddress) request.getConnectionMetaData().getLocalSocketAddress(),
                    (InetSocketAddress) request.getConnectionMetaData().getRemoteSocketAddress(), responder);
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
    }

    private void invoke(Route route, Map<String, String> params, String method, HttpURI uri,
                        List<Map.Entry<String, String>> headers, byte[] body, LocalExchange.Responder responder)
            throws IOException {
        String requestId = UUID.randomUUID().toString();
        HttpApiResponse response;
        try {
            byte[] event = HttpApiEvents.bytes(method, uri.getPath(), uri.getQuery(), route.path(), params, headers,
                    body, requestId, clock.instant());
            response = HttpApiEvents.invoke(route.handler(), event,
                    new LocalContext(route.functionName(), requestId, FUNCTION_TIMEOUT_MILLIS));
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
        byte[] bytes = response.body() == null ? new byte[0] : response.body().getBytes(StandardCharsets.UTF_8);
        try {
            responder.respond(response.statusCode(), fields, bytes);
        } catch (IllegalArgumentException e) {
            // API Gateway answers a Lambda response it cannot send as 500; so do we.
            System.err.println("local invocation returned a header HTTP cannot carry");
            responder.message(500, "Internal Server Error");
        }
    }

    /**
     * Writes one whole response; Jetty adds the framing (Content-Length, Connection, Date) and leaves the
     * body out for HEAD.
     *
     * @throws IllegalArgumentException before anything is written, when a field could split the response
     */
    private static void respond(Response response, Callback callback, int status, List<Map.Entry<String, String>> fields,
                                byte[] body) {
        HttpFields.Mutable headers = response.getHeaders();
        for (Map.Entry<String, String> f : fields) {
            if (!HeaderText.isToken(f.getKey()) || !HeaderText.isFieldValue(f.getValue())) {
                throw new IllegalArgumentException("response header field not valid in HTTP/1.1");
            }
        }
        for (Map.Entry<String, String> f : fields) {
            String name = f.getKey();
            if (!name.equalsIgnoreCase("content-length") && !name.equalsIgnoreCase("transfer-encoding")
                    && !name.equalsIgnoreCase("connection") && !name.equalsIgnoreCase("date")) {
                headers.add(name, f.getValue());
            }
        }
        response.setStatus(status);
        headers.put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
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
        try {
            server.stop();
        } catch (Exception e) {
            // stopping a server that failed to start: nothing left to release
        }
    }
}
