package dev.inlet.local.emulator;

import dev.inlet.core.json.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error page, replaced by the answer API Gateway gives when it refuses a request itself: a JSON
 * {@code {"message": ...}} with the status's reason, and nothing from the request or the exception.
 */
final class GatewayErrors implements Request.Handler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body(response.getStatus())), callback);
        return true;
    }

    static byte[] body(int status) {
        return Json.write(Json.object().put("message", message(status))).getBytes(StandardCharsets.UTF_8);
    }

    static String message(int status) {
        return switch (status) {
            case 413 -> "Request Entity Too Large";   // API Gateway's wording (RFC 9110 now says "Content Too Large")
            case 500 -> "Internal Server Error";
            default -> {
                String reason = HttpStatus.getMessage(status);
                yield reason == null || reason.isBlank() ? "Error " + status : reason;
            }
        };
    }
}
