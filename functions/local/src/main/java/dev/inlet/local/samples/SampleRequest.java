package dev.inlet.local.samples;

import java.util.Map;

/**
 * A ready-to-send webhook: the concrete path, the route template it matches (with its path parameters),
 * headers and body bytes.
 */
public record SampleRequest(String path, String route, Map<String, String> pathParameters,
                            Map<String, String> headers, byte[] body) {
    public static SampleRequest at(String path, Map<String, String> headers, byte[] body) {
        return new SampleRequest(path, path, Map.of(), headers, body);
    }
}
