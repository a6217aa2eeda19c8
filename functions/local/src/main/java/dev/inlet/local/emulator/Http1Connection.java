package dev.inlet.local.emulator;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One client connection of {@code ./inlet local}'s server, read and written as HTTP/1.1 (RFC 9112):
 * requests one after another on a kept-alive connection, each body read whole (Content-Length or chunked)
 * within a limit, each response written in one piece. A request it cannot accept is a {@link Refusal}
 * carrying the status to answer with; after one, the connection is closed.
 */
public final class Http1Connection implements Closeable {
    /** Request line and header fields together; larger heads are refused (414 or 431). */
    static final int MAX_HEAD_BYTES = 64 * 1024;
    static final int MAX_HEADER_FIELDS = 200;
    private static final int MAX_CHUNK_LINE = 4 * 1024;
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    /** A request refused before it reached a handler: the status and a message safe to show the client. */
    static final class Refusal extends IOException {
        final int status;

        Refusal(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private record Stamp(long second, String text) {
    }

    private static volatile Stamp date = new Stamp(Long.MIN_VALUE, "");

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private byte[] line = new byte[256];
    private int headBytes;
    private boolean started;

    Http1Connection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.out = socket.getOutputStream();
    }

    Socket socket() {
        return socket;
    }

    /**
     * Reads the next request, body included.
     *
     * @return the request, or null when the client closed the connection (or let it idle past the socket's
     *     timeout) between requests
     * @throws Refusal when the request is malformed or over a limit: answer with its status and close
     * @throws IOException when the connection failed mid-request (nothing can be answered)
     */
    Http1Request read(int bodyLimit) throws IOException {
        headBytes = 0;
        started = false;
        try {
            return readRequest(bodyLimit);
        } catch (SocketTimeoutException e) {
            if (!started) {
                return null;
            }
            throw new Refusal(408, "Request Timeout");
        }
    }

    private Http1Request readRequest(int bodyLimit) throws IOException {
        String requestLine = readLine(MAX_HEAD_BYTES, 414, "URI Too Long");
        // RFC 9112 2.2: a server ought to ignore at least one empty line before the request line.
        for (int blank = 0; requestLine != null && requestLine.isEmpty() && blank < 4; blank++) {
            requestLine = readLine(MAX_HEAD_BYTES, 414, "URI Too Long");
        }
        if (requestLine == null) {
            return null;
        }
        int sp1 = requestLine.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : requestLine.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 < 0 || requestLine.indexOf(' ', sp2 + 1) >= 0) {
            throw new Refusal(400, "Malformed request line");
        }
        String method = requestLine.substring(0, sp1);
        String target = requestLine.substring(sp1 + 1, sp2);
        String version = requestLine.substring(sp2 + 1);
        if (!isToken(method)) {
            throw new Refusal(400, "Malformed request method");
        }
        boolean http11;
        if (version.equals("HTTP/1.1")) {
            http11 = true;
        } else if (version.equals("HTTP/1.0")) {
            http11 = false;
        } else if (version.matches("HTTP/[0-9]\\.[0-9]")) {
            throw new Refusal(505, "HTTP Version Not Supported");
        } else {
            throw new Refusal(400, "Malformed request line");
        }
        String originForm = originForm(method, target);
        int q = originForm.indexOf('?');
        String rawPath = q < 0 ? originForm : originForm.substring(0, q);
        String rawQuery = q < 0 ? null : originForm.substring(q + 1);

        List<Map.Entry<String, String>> headers = readFields(MAX_HEADER_FIELDS);
        String contentLength = null;
        String transferEncoding = null;
        int hosts = 0;
        for (Map.Entry<String, String> h : headers) {
            String name = h.getKey();
            if (name.equalsIgnoreCase("content-length")) {
                if (contentLength != null && !contentLength.equals(h.getValue())) {
                    throw new Refusal(400, "Conflicting Content-Length fields");
                }
                contentLength = h.getValue();
            } else if (name.equalsIgnoreCase("transfer-encoding")) {
                transferEncoding = transferEncoding == null ? h.getValue() : transferEncoding + "," + h.getValue();
            } else if (name.equalsIgnoreCase("host")) {
                hosts++;
            }
        }
        if (http11 && hosts != 1) {
            throw new Refusal(400, "An HTTP/1.1 request needs exactly one Host field");
        }
        if (contentLength != null && transferEncoding != null) {
            throw new Refusal(400, "Both Transfer-Encoding and Content-Length");
        }
        String expect = Http1Request.first(headers, "expect");
        if (expect != null && !expect.equalsIgnoreCase("100-continue")) {
            throw new Refusal(417, "Expectation Failed");
        }
        boolean sendContinue = expect != null && http11;

        byte[] body;
        if (transferEncoding != null) {
            if (!http11 || !transferEncoding.trim().equalsIgnoreCase("chunked")) {
                throw new Refusal(501, "Only the chunked Transfer-Encoding is supported");
            }
            continueIf(sendContinue);
            body = readChunked(bodyLimit);
        } else if (contentLength != null) {
            long length = contentLength(contentLength);
            if (length > bodyLimit) {
                throw new Refusal(413, "Request Entity Too Large");
            }
            continueIf(sendContinue && length > 0);
            body = in.readNBytes((int) length);
            if (body.length < length) {
                throw new EOFException("connection closed inside the body");
            }
        } else {
            body = new byte[0];
        }
        String connection = Http1Request.first(headers, "connection");
        boolean keepAlive = http11 ? !Http1Request.hasToken(connection, "close")
                : Http1Request.hasToken(connection, "keep-alive");
        return new Http1Request(method, rawPath, rawQuery, List.copyOf(headers), body, keepAlive);
    }

    /**
     * Writes a whole response in one write: status line, the given fields (framing fields are this
     * class's: Content-Length, Connection), a Date, and the body unless {@code headOnly}.
     *
     * @throws IllegalArgumentException before anything is written, when a field could split the response
     */
    void respond(int status, List<Map.Entry<String, String>> fields, byte[] body, boolean headOnly, boolean close,
                 Instant now) throws IOException {
        StringBuilder head = new StringBuilder(256);
        head.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        for (Map.Entry<String, String> f : fields) {
            String name = f.getKey();
            if (name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("transfer-encoding")
                    || name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("date")) {
                continue;
            }
            if (!isToken(name) || !isFieldValue(f.getValue())) {
                throw new IllegalArgumentException("response header field not valid in HTTP/1.1");
            }
            head.append(name).append(": ").append(f.getValue()).append("\r\n");
        }
        boolean bodyless = status < 200 || status == 204 || status == 304;
        if (!bodyless) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("Date: ").append(httpDate(now)).append("\r\n");
        if (close) {
            head.append("Connection: close\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        int bodyBytes = bodyless || headOnly ? 0 : body.length;
        byte[] all = Arrays.copyOf(headBytes, headBytes.length + bodyBytes);
        System.arraycopy(body, 0, all, headBytes.length, bodyBytes);
        out.write(all);
        out.flush();
    }

    /**
     * Closes after a refusal without losing the answer: the write side is shut first and what the client
     * is still sending is read and dropped (up to 1 MB, for up to a second), since closing a socket with
     * unread input resets the connection, and a reset can destroy the answer before the client reads it.
     */
    void closeAfterRefusal() {
        try {
            socket.shutdownOutput();
            socket.setSoTimeout(1_000);
            byte[] sink = new byte[8 * 1024];
            for (long dropped = 0; dropped < 1024 * 1024; ) {
                int n = in.read(sink);
                if (n < 0) {
                    break;
                }
                dropped += n;
            }
        } catch (IOException ignored) {
            // timed out or reset: close anyway
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket that failed: nothing left to do
        }
    }

    private void continueIf(boolean wanted) throws IOException {
        if (wanted) {
            out.write(CONTINUE);
            out.flush();
        }
    }

    private static String originForm(String method, String target) throws Refusal {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '#') {
                throw new Refusal(400, "Malformed request target");
            }
        }
        if (target.startsWith("/")) {
            return target;
        }
        if (target.equals("*") && method.equals("OPTIONS")) {
            return "*";
        }
        int scheme = target.indexOf("://");
        if (scheme > 0 && target.substring(0, scheme).matches("(?i)https?")) {
            int slash = target.indexOf('/', scheme + 3);
            int query = target.indexOf('?', scheme + 3);
            if (slash < 0 || (query >= 0 && query < slash)) {
                return query < 0 ? "/" : "/" + target.substring(query);
            }
            return target.substring(slash);
        }
        throw new Refusal(400, "Malformed request target");
    }

    private List<Map.Entry<String, String>> readFields(int maxFields) throws IOException {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        for (;;) {
            String field = readLine(MAX_HEAD_BYTES, 431, "Request Header Fields Too Large");
            if (field == null) {
                throw new EOFException("connection closed inside the request head");
            }
            if (field.isEmpty()) {
                return fields;
            }
            if (field.charAt(0) == ' ' || field.charAt(0) == '\t') {
                throw new Refusal(400, "Folded header fields are not accepted");
            }
            int colon = field.indexOf(':');
            String name = colon <= 0 ? "" : field.substring(0, colon);
            if (!isToken(name)) {
                throw new Refusal(400, "Malformed header field");
            }
            String value = field.substring(colon + 1).strip();
            if (!isFieldValue(value)) {
                throw new Refusal(400, "Malformed header field");
            }
            if (fields.size() == maxFields) {
                throw new Refusal(431, "Request Header Fields Too Large");
            }
            fields.add(Map.entry(name, value));
        }
    }

    private byte[] readChunked(int bodyLimit) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (;;) {
            String sizeLine = readLine(MAX_CHUNK_LINE, 400, "Malformed chunk");
            if (sizeLine == null) {
                throw new EOFException("connection closed inside the body");
            }
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip();
            if (hex.isEmpty() || hex.length() > 8 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new Refusal(400, "Malformed chunk size");
            }
            long size = Long.parseLong(hex, 16);
            if (size == 0) {
                break;
            }
            if (body.size() + size > bodyLimit) {
                throw new Refusal(413, "Request Entity Too Large");
            }
            byte[] chunk = in.readNBytes((int) size);
            if (chunk.length < size) {
                throw new EOFException("connection closed inside the body");
            }
            body.write(chunk);
            String end = readLine(MAX_CHUNK_LINE, 400, "Malformed chunk");
            if (end == null || !end.isEmpty()) {
                throw new Refusal(400, "Malformed chunk");
            }
        }
        readFields(MAX_HEADER_FIELDS);   // trailer fields: read and dropped, as API Gateway does
        return body.toByteArray();
    }

    /**
     * Reads one line ending in LF (an optional CR before it is dropped) as ISO-8859-1 text.
     *
     * @return the line, or null when the stream ended before its first byte
     */
    private String readLine(int limit, int overStatus, String overMessage) throws IOException {
        int n = 0;
        for (;;) {
            int b = in.read();
            if (b < 0) {
                if (n == 0) {
                    return null;
                }
                throw new EOFException("connection closed inside a line");
            }
            started = true;
            if (++headBytes > MAX_HEAD_BYTES || n >= limit) {
                throw new Refusal(overStatus, overMessage);
            }
            boolean afterCr = n > 0 && line[n - 1] == '\r';
            if (b == '\n') {
                return new String(line, 0, afterCr ? n - 1 : n, StandardCharsets.ISO_8859_1);
            }
            if (afterCr) {
                throw new Refusal(400, "Bare CR in the request head");
            }
            if (n == line.length) {
                line = Arrays.copyOf(line, n * 2);
            }
            line[n++] = (byte) b;
        }
    }

    private static long contentLength(String value) throws Refusal {
        if (value.isEmpty() || value.length() > 18) {
            throw new Refusal(400, "Malformed Content-Length");
        }
        long length = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new Refusal(400, "Malformed Content-Length");
            }
            length = length * 10 + (c - '0');
        }
        return length;
    }

    /** RFC 9110 token: the characters a method or a field name may hold. */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** RFC 9110 field value: visible characters, spaces and tabs; no CR, LF or other controls. */
    static boolean isFieldValue(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                return false;
            }
        }
        return true;
    }

    private static String httpDate(Instant now) {
        long second = now.getEpochSecond();
        Stamp s = date;
        if (s.second() != second) {
            s = new Stamp(second, HTTP_DATE.format(Instant.ofEpochSecond(second)));
            date = s;
        }
        return s.text();
    }

    static String reason(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 417 -> "Expectation Failed";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            default -> "";
        };
    }
}
