package dev.inlet.core.ingest;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Request headers with case-insensitive names. API Gateway (HTTP API, payload 2.0) lower-cases names
 * and joins repeated headers with commas; this type keeps the value exactly as received.
 */
public final class Headers {
    private final Map<String, String> byLowerName;

    private Headers(Map<String, String> byLowerName) {
        this.byLowerName = byLowerName;
    }

    public static Headers of(Map<String, String> raw) {
        Map<String, String> copy = new TreeMap<>();
        if (raw != null) {
            // A loop rather than forEach/merge lambdas: this runs on a receiver's first request.
            for (Map.Entry<String, String> e : raw.entrySet()) {
                if (e.getKey() != null && e.getValue() != null) {
                    String lower = e.getKey().toLowerCase(Locale.ROOT);
                    String before = copy.get(lower);
                    copy.put(lower, before == null ? e.getValue() : before + "," + e.getValue());
                }
            }
        }
        return new Headers(Collections.unmodifiableMap(copy));
    }

    public static Headers empty() {
        return new Headers(Map.of());
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(byLowerName.get(name.toLowerCase(Locale.ROOT)));
    }

    /** Header names, lower-cased. Values are deliberately not exposed in bulk: they may carry secrets. */
    public Set<String> names() {
        return byLowerName.keySet();
    }

    public int size() {
        return byLowerName.size();
    }

    /** Names and values together, in UTF-8 bytes (what the header limit counts). */
    public int totalBytes() {
        int total = 0;
        for (Map.Entry<String, String> e : byLowerName.entrySet()) {
            total += e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                    + e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        return total;
    }

    /** Only the named headers, for audit. Callers pass names that never carry secrets. */
    public Map<String, String> select(List<String> names) {
        Map<String, String> out = new TreeMap<>();
        for (String name : names) {
            String lower = name.toLowerCase(Locale.ROOT);
            String value = byLowerName.get(lower);
            if (value != null) {
                out.put(lower, value);
            }
        }
        return out;
    }
}
