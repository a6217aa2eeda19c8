package dev.inlet.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The one JSON configuration for webhook bodies: duplicate keys are an error (an authentic body must
 * not be read two ways), and nesting, string and number sizes are bounded. ObjectMapper is thread-safe
 * and costly to build, so there is exactly one.
 */
public final class Json {
    private static final ObjectMapper MAPPER = build();

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Parses a body into a tree. @throws IOException on anything that is not one well-formed JSON value. */
    public static JsonNode parse(byte[] body) throws IOException {
        JsonNode node = MAPPER.readTree(body);
        if (node == null || node.isMissingNode()) {
            throw new IOException("empty body");
        }
        return node;
    }

    private static ObjectMapper build() {
        JsonFactory factory = JsonFactory.builder()
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(64)
                        .maxStringLength(1_000_000)
                        .maxNumberLength(64)
                        .maxNameLength(1_000)
                        .build())
                .build();
        ObjectMapper mapper = new ObjectMapper(factory);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.configure(JsonParser.Feature.INCLUDE_SOURCE_IN_LOCATION, false);
        return mapper;
    }
}
