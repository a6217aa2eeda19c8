package dev.inlet.local.emulator;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request as read off a connection: the request line, the header fields in the order and
 * spelling they arrived, and the whole body (de-chunked).
 *
 * @param rawQuery the query string without its '?', or null when the target had none
 */
public record Http1Request(String method, String rawPath, String rawQuery, List<Map.Entry<String, String>> headers,
                    byte[] body, boolean keepAlive) {

    /** The first value of a header field, matched case-insensitively, or null. */
    static String first(List<Map.Entry<String, String>> headers, String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    /** The target as it came: path and, when there was one, '?' and the query. */
    String target() {
        return rawQuery == null ? rawPath : rawPath + "?" + rawQuery;
    }

    static boolean hasToken(String fieldValue, String token) {
        if (fieldValue == null) {
            return false;
        }
        for (String part : fieldValue.split(",")) {
            if (part.trim().toLowerCase(Locale.ROOT).equals(token)) {
                return true;
            }
        }
        return false;
    }
}
