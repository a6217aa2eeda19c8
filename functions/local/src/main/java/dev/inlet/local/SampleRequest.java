package dev.inlet.local;

import java.util.Map;

/** A ready-to-send webhook: path (with any path parameters filled in), headers and body bytes. */
public record SampleRequest(String path, Map<String, String> headers, byte[] body) {
}
