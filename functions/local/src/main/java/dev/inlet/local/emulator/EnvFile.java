package dev.inlet.local.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code sam local invoke --env-vars} file ({@code events/env.json}): {@code Parameters} apply to
 * every function, a section named by a function's logical id applies to that function only. It holds
 * obviously fake test secrets; the local stack uses them unless the real environment sets the variable.
 */
public final class EnvFile {
    private final JsonNode root;

    private EnvFile(JsonNode root) {
        this.root = root;
    }

    public static EnvFile load(Path file) {
        try {
            return new EnvFile(Json.mapper().readTree(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public static EnvFile empty() {
        return new EnvFile(Json.mapper().createObjectNode());
    }

    /** The variables for one function: Parameters overlaid by the function's own section. */
    public Map<String, String> forFunction(String logicalId) {
        Map<String, String> out = new LinkedHashMap<>();
        root.path("Parameters").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        root.path(logicalId).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
