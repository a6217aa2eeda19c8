package dev.inlet.local.parity;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The Lambda Runtime API (2018-06-01) as a function's runtime sees it: {@code invocation/next} hands
 * out one queued event at a time with Lambda's headers, {@code invocation/{id}/response} and
 * {@code /error} complete it, {@code init/error} reports a failed init, {@code restore/next} answers a
 * SnapStart-style start. One server per execution environment. Public for the warm-work benchmark
 * (benchmarks/, through this module's test-jar), which reads each answer's handler time.
 */
public final class RuntimeApiServer implements AutoCloseable {
    private static final String BASE = "/2018-06-01/runtime/";

    /**
     * What the runtime posted for an invocation: its response or its error (with the error type), and the
     * handler's time as the Runtime API sees it: from handing the event out on {@code invocation/next} to
     * receiving the response or error.
     */
    public record Answer(String requestId, boolean error, String errorType, String body, long handlerNanos) {}

    private record Invocation(String requestId, byte[] event, CompletableFuture<Answer> answer, long[] dispatchedAt) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "runtime-api");
        t.setDaemon(true);
        return t;
    });
    private final BlockingQueue<Invocation> pending = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
    private final CompletableFuture<String> initError = new CompletableFuture<>();
    private final String functionArn;
    private final Duration timeout;
    private volatile boolean closed;
    private volatile long firstDispatchMicros = Long.MAX_VALUE;

    RuntimeApiServer(String functionArn, Duration timeout) throws IOException {
        this.functionArn = functionArn;
        this.timeout = timeout;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(executor);
        server.createContext(BASE, this::handle);
        server.start();
    }

    /** The value of {@code AWS_LAMBDA_RUNTIME_API}. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** When the first invocation was handed to the runtime (epoch microseconds): the end of its init phase. */
    long firstDispatchMicros() {
        return firstDispatchMicros;
    }

    /** Queues one event and waits for the runtime's answer; fails on an init error or a dead runtime. */
    Answer invoke(byte[] event, Process runtime) throws Exception {
        Invocation invocation = new Invocation(UUID.randomUUID().toString(), event, new CompletableFuture<>(), new long[1]);
        pending.add(invocation);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (initError.isDone()) {
                throw new AssertionError("init error: " + initError.get());
            }
            try {
                return invocation.answer().get(100, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                if (!runtime.isAlive()) {
                    throw new AssertionError("the runtime exited (" + runtime.exitValue() + ") during "
                            + invocation.requestId());
                }
            }
        }
        throw new AssertionError("no answer for " + invocation.requestId() + " within 60 s");
    }

    private void handle(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(BASE.length());
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (path.equals("invocation/next")) {
                next(exchange);
            } else if (path.equals("init/error")) {
                initError.complete(exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type")
                        + " " + new String(body, StandardCharsets.UTF_8));
                send(exchange, 202, "{}");
            } else if (path.equals("restore/next")) {
                send(exchange, 200, "");
            } else if (path.startsWith("invocation/") && (path.endsWith("/response") || path.endsWith("/error"))) {
                String id = path.substring("invocation/".length(), path.lastIndexOf('/'));
                Invocation invocation = inFlight.remove(id);
                if (invocation == null) {
                    send(exchange, 400, "{\"errorType\":\"InvalidRequestID\"}");
                    return;
                }
                boolean error = path.endsWith("/error");
                invocation.answer().complete(new Answer(id, error,
                        error ? exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type") : null,
                        new String(body, StandardCharsets.UTF_8), arrived - invocation.dispatchedAt()[0]));
                send(exchange, 202, "{\"status\":\"OK\"}");
            } else {
                send(exchange, 404, "{\"errorType\":\"NotFound\"}");
            }
        }
    }

    /** Long poll, as Lambda does: the runtime waits here between invocations. */
    private void next(HttpExchange exchange) throws IOException {
        Invocation invocation = null;
        try {
            while (invocation == null && !closed) {
                invocation = pending.poll(200, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (invocation == null) {
            return;                                  // closing: the runtime is being stopped anyway
        }
        inFlight.put(invocation.requestId(), invocation);
        if (firstDispatchMicros == Long.MAX_VALUE) {
            java.time.Instant now = java.time.Instant.now();
            firstDispatchMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        }
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + timeout.toMillis()));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", functionArn);
        headers.set("Lambda-Runtime-Trace-Id",
                "Root=1-00000000-" + invocation.requestId().replace("-", "").substring(0, 24) + ";Sampled=0");
        invocation.dispatchedAt()[0] = System.nanoTime();
        exchange.sendResponseHeaders(200, invocation.event().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(invocation.event());
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        executor.shutdownNow();
    }
}
