package dev.inlet.local.emulator;

import java.time.Duration;

/**
 * What the local HTTP server accepts, each enforced by a Jetty setting or one small check
 * ({@link LocalHttpServer} says which). A request over a limit is refused before any handler runs.
 *
 * @param maxHeadBytes    request line and header fields together (Jetty: request header size); over it,
 *                        414 while the request line is read, else 431
 * @param maxHeaderFields header fields per request (our check); over it, 431
 * @param maxBodyBytes    body bytes, declared or chunked (Jetty's {@code SizeLimitHandler}); over it, 413
 * @param maxConnections  open connections (Jetty's {@code NetworkConnectionLimit}); beyond it the server
 *                        stops accepting and new connections wait in the kernel's backlog
 * @param maxThreads      the server's threads, selector and acceptor included (Jetty's {@code QueuedThreadPool});
 *                        a connection holds one only while its complete request is being handled
 * @param requestDeadline from the end of a request's head to its whole body having arrived (our check);
 *                        past it, 408 and the connection closes
 * @param idleTimeout     a connection with no byte in either direction for this long is closed (Jetty)
 */
public record HttpLimits(int maxHeadBytes, int maxHeaderFields, long maxBodyBytes, int maxConnections,
                         int maxThreads, Duration requestDeadline, Duration idleTimeout) {
    /** API Gateway HTTP APIs refuse payloads over 10 MB before any Lambda runs. */
    public static final long GATEWAY_PAYLOAD_LIMIT = 10L * 1024 * 1024;

    /** For {@code ./inlet local} and {@code ./inlet console}: generous for a developer, bounded against a runaway client. */
    public static final HttpLimits DEFAULTS = new HttpLimits(64 * 1024, 200, GATEWAY_PAYLOAD_LIMIT, 1_024, 32,
            Duration.ofSeconds(30), Duration.ofSeconds(30));

    public HttpLimits {
        if (maxHeadBytes < 1024 || maxHeaderFields < 1 || maxBodyBytes < 0 || maxConnections < 1
                || maxThreads < 8 || requestDeadline.isNegative() || requestDeadline.isZero()
                || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("HTTP limits out of range: " + this);
        }
    }

    public HttpLimits withMaxConnections(int connections) {
        return new HttpLimits(maxHeadBytes, maxHeaderFields, maxBodyBytes, connections, maxThreads, requestDeadline,
                idleTimeout);
    }

    public HttpLimits withRequestDeadline(Duration deadline) {
        return new HttpLimits(maxHeadBytes, maxHeaderFields, maxBodyBytes, maxConnections, maxThreads, deadline,
                idleTimeout);
    }
}
