package dev.inlet.local.emulator;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.aws.lambda.HttpApiResponse;
import dev.inlet.core.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * API Gateway HTTP API (payload format 2.0) events, built as the JSON API Gateway sends to Lambda and
 * handed to a receiver as bytes, the way the Lambda runtime invokes a stream handler, so that what works
 * locally works in Lambda. Header names are lower-cased and repeated headers comma-joined, as API
 * Gateway does; so are repeated query parameters, whose names and values arrive decoded.
 */
public final class HttpApiEvents {
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private HttpApiEvents() {
    }

    /** The event as a tree, for tools that edit or print it (the events/ folder, benchmarks, tests). */
    public static ObjectNode json(String method, String rawPath, String routePath, Map<String, String> pathParameters,
                                  Map<String, String> headers, byte[] body, String requestId, Instant time) {
        List<Map.Entry<String, String>> fields = new ArrayList<>(headers.entrySet());
        try {
            return (ObjectNode) Json.parse(bytes(method, rawPath, null, routePath, pathParameters, fields, body,
                    requestId, time));
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // our own output is one JSON object
        }
    }

    /**
     * The event as the bytes Lambda's runtime hands a stream handler, written without a tree in between.
     *
     * @param rawQuery the query string without '?', or null when the request had none
     * @param headers  the header fields as they arrived (any case, repeats allowed)
     */
    public static byte[] bytes(String method, String rawPath, String rawQuery, String routePath,
                               Map<String, String> pathParameters, List<Map.Entry<String, String>> headers,
                               byte[] body, String requestId, Instant time) {
        Map<String, String> lowerCased = new TreeMap<>();
        headers.forEach(h -> lowerCased.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + "," + b));
        ByteArrayOutputStream out = new ByteArrayOutputStream(512 + body.length + body.length / 8);
        try (JsonGenerator g = Json.generator(out)) {
            g.writeStartObject();
            g.writeStringField("version", "2.0");
            g.writeStringField("routeKey", method + " " + routePath);
            g.writeStringField("rawPath", rawPath);
            g.writeStringField("rawQueryString", rawQuery == null ? "" : rawQuery);
            writeMap(g, "headers", lowerCased);
            if (rawQuery != null && !rawQuery.isEmpty()) {
                writeMap(g, "queryStringParameters", queryParameters(rawQuery));
            }
            g.writeObjectFieldStart("requestContext");
            g.writeStringField("accountId", "000000000000");
            g.writeStringField("apiId", "local");
            g.writeStringField("domainName", "127.0.0.1");
            g.writeStringField("domainPrefix", "local");
            g.writeObjectFieldStart("http");
            g.writeStringField("method", method);
            g.writeStringField("path", rawPath);
            g.writeStringField("protocol", "HTTP/1.1");
            g.writeStringField("sourceIp", "127.0.0.1");
            String userAgent = lowerCased.get("user-agent");
            g.writeStringField("userAgent", userAgent == null ? "" : userAgent);
            g.writeEndObject();
            g.writeStringField("requestId", requestId);
            g.writeStringField("routeKey", method + " " + routePath);
            g.writeStringField("stage", "$default");
            g.writeStringField("time", requestTime(time));
            g.writeNumberField("timeEpoch", time.toEpochMilli());
            g.writeEndObject();
            if (!pathParameters.isEmpty()) {
                writeMap(g, "pathParameters", new TreeMap<>(pathParameters));
            }
            String text = utf8OrNull(body);
            if (body.length == 0) {
                g.writeBooleanField("isBase64Encoded", false);
            } else if (text != null) {
                g.writeStringField("body", text);
                g.writeBooleanField("isBase64Encoded", false);
            } else {
                g.writeStringField("body", Base64.getEncoder().encodeToString(body));
                g.writeBooleanField("isBase64Encoded", true);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // a byte array does not fail
        }
        return out.toByteArray();
    }

    /** Invokes a receiver as the Lambda runtime does: the event's bytes in, the response JSON out. */
    public static HttpApiResponse invoke(RequestStreamHandler handler, byte[] event, Context context) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(event), out, context);
            return HttpApiResponse.read(new ByteArrayInputStream(out.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Stamp(long second, String text) {
    }

    private static volatile Stamp lastTime = new Stamp(Long.MIN_VALUE, "");

    /** The gateway's request time, formatted once per second rather than once per request. */
    private static String requestTime(Instant time) {
        Stamp s = lastTime;
        if (s.second() != time.getEpochSecond()) {
            s = new Stamp(time.getEpochSecond(), REQUEST_TIME.format(time));
            lastTime = s;
        }
        return s.text();
    }

    private static void writeMap(JsonGenerator g, String name, Map<String, String> values) throws IOException {
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, String> e : values.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    private static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> out = new TreeMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decoded(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decoded(pair.substring(eq + 1));
            out.merge(name, value, (a, b) -> a + "," + b);
        }
        return out;
    }

    private static String decoded(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;   // a malformed escape: passed on as it came
        }
    }

    /**
     * The bytes as text when they are well-formed UTF-8, else null. The JDK's decoding (fast for ASCII)
     * replaces malformed input with U+FFFD, so only a result holding U+FFFD needs the strict check.
     */
    public static String utf8OrNull(byte[] body) {
        String lenient = new String(body, StandardCharsets.UTF_8);
        if (lenient.indexOf('\uFFFD') < 0) {
            return lenient;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
