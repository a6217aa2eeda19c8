package dev.inlet.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.aws.lambda.HttpApiResponse;
import dev.inlet.core.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * API Gateway HTTP API (payload format 2.0) events, built as the JSON API Gateway sends to Lambda and
 * handed to a receiver as bytes, the way the Lambda runtime invokes a stream handler, so that what works
 * locally works in Lambda. Header names are lower-cased and repeated headers comma-joined, as API
 * Gateway does.
 */
public final class HttpApiEvents {
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private HttpApiEvents() {
    }

    public static ObjectNode json(String method, String rawPath, String routePath, Map<String, String> pathParameters,
                                  Map<String, String> headers, byte[] body, String requestId, Instant time) {
        ObjectNode event = Json.object();
        event.put("version", "2.0");
        event.put("routeKey", method + " " + routePath);
        event.put("rawPath", rawPath);
        event.put("rawQueryString", "");
        ObjectNode h = event.putObject("headers");
        new TreeMap<>(lowerCased(headers)).forEach(h::put);
        ObjectNode ctx = event.putObject("requestContext");
        ctx.put("accountId", "000000000000");
        ctx.put("apiId", "local");
        ctx.put("domainName", "127.0.0.1");
        ctx.put("domainPrefix", "local");
        ObjectNode http = ctx.putObject("http");
        http.put("method", method);
        http.put("path", rawPath);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "127.0.0.1");
        http.put("userAgent", headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("user-agent"))
                .map(Map.Entry::getValue).findFirst().orElse(""));
        ctx.put("requestId", requestId);
        ctx.put("routeKey", method + " " + routePath);
        ctx.put("stage", "$default");
        ctx.put("time", REQUEST_TIME.format(time));
        ctx.put("timeEpoch", time.toEpochMilli());
        if (!pathParameters.isEmpty()) {
            ObjectNode p = event.putObject("pathParameters");
            new TreeMap<>(pathParameters).forEach(p::put);
        }
        String text = utf8OrNull(body);
        if (body.length == 0) {
            event.put("isBase64Encoded", false);
        } else if (text != null) {
            event.put("body", text);
            event.put("isBase64Encoded", false);
        } else {
            event.put("body", Base64.getEncoder().encodeToString(body));
            event.put("isBase64Encoded", true);
        }
        return event;
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

    private static Map<String, String> lowerCased(Map<String, String> headers) {
        Map<String, String> out = new TreeMap<>();
        headers.forEach((k, v) -> out.merge(k.toLowerCase(Locale.ROOT), v, (a, b) -> a + "," + b));
        return out;
    }

    private static String utf8OrNull(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
