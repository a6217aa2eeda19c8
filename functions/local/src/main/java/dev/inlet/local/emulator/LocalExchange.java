package dev.inlet.local.emulator;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import dev.inlet.core.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A request of {@link LocalHttpServer}, body already read, seen through the JDK's {@link HttpExchange}, so
 * that handlers written against that small interface (the console) need no web framework. The response is
 * collected and handed to the server in one piece when the exchange closes or the handler returns,
 * whichever comes first.
 */
public final class LocalExchange extends HttpExchange {
    /** Writes one response on the request's connection. */
    interface Responder {
        List<Map.Entry<String, String>> JSON = List.of(Map.entry("Content-Type", "application/json"));

        void respond(int status, List<Map.Entry<String, String>> fields, byte[] body) throws IOException;

        /** A JSON body. */
        default void json(int status, String body) throws IOException {
            respond(status, JSON, body.getBytes(StandardCharsets.UTF_8));
        }

        /** {@code {"message": text}}, as API Gateway words its own answers. */
        default void message(int status, String text) throws IOException {
            json(status, Json.write(Json.object().put("message", text)));
        }
    }

    private final String method;
    private final URI uri;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final Responder responder;
    private final Headers requestHeaders = new Headers();
    private final Headers responseHeaders = new Headers();
    private final Map<String, Object> attributes = new HashMap<>();
    private final ByteArrayOutputStream responseBody = new ByteArrayOutputStream();
    private final InputStream requestBody;
    private int status = -1;
    private long declaredLength;
    private boolean finished;

    /** @param target the request target as it came: raw path and, when there was one, '?' and the raw query */
    LocalExchange(String method, String target, List<Map.Entry<String, String>> headers, byte[] body,
                  InetSocketAddress local, InetSocketAddress remote, Responder responder) throws URISyntaxException {
        this.method = method;
        this.uri = new URI(target);
        this.local = local;
        this.remote = remote;
        this.responder = responder;
        this.requestBody = new ByteArrayInputStream(body);
        headers.forEach(h -> requestHeaders.add(h.getKey(), h.getValue()));
    }

    @Override
    public Headers getRequestHeaders() {
        return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return uri;
    }

    @Override
    public String getRequestMethod() {
        return method;
    }

    /** There are no contexts: every request that no webhook route matches comes to the one handler. */
    @Override
    public HttpContext getHttpContext() {
        return null;
    }

    @Override
    public InputStream getRequestBody() {
        return requestBody;
    }

    @Override
    public OutputStream getResponseBody() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (status < 0) {
                    throw new IOException("response headers not sent yet");
                }
                if (declaredLength < 0 || (declaredLength > 0 && responseBody.size() + len > declaredLength)) {
                    throw new IOException("response body longer than declared");
                }
                responseBody.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                finish();
            }
        };
    }

    /** As the JDK's: a length above 0 is exact, 0 means "any length", -1 means no body. */
    @Override
    public void sendResponseHeaders(int code, long length) throws IOException {
        if (status >= 0) {
            throw new IOException("response headers already sent");
        }
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("status " + code);
        }
        status = code;
        declaredLength = length;
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return remote;
    }

    @Override
    public int getResponseCode() {
        return status;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return local;
    }

    @Override
    public String getProtocol() {
        return "HTTP/1.1";
    }

    @Override
    public Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        attributes.put(name, value);
    }

    @Override
    public void setStreams(InputStream in, OutputStream out) {
        throw new UnsupportedOperationException("stream filters are not supported by the local server");
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return null;
    }

    @Override
    public void close() {
        try {
            finish();
        } catch (IOException e) {
            // the client went away; the server closes the connection
        }
    }

    /**
     * Writes the response if that has not happened yet. A handler that sent no headers gets a 500; one
     * that wrote fewer bytes than it declared has broken its response, which also goes out as a 500.
     */
    void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        if (status < 0 || (declaredLength > 0 && responseBody.size() != declaredLength)) {
            responder.message(500, "Internal Server Error");
            return;
        }
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        responseHeaders.forEach((name, values) -> values.forEach(v -> fields.add(Map.entry(name, v))));
        responder.respond(status, fields, responseBody.toByteArray());
    }
}
