package dev.inlet.aws.slf4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.core.json.Json;
import dev.inlet.core.observe.Log;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LibraryLoggerTest {
    private final List<String> lines = new ArrayList<>();
    private final LibraryLogger logger = new LibraryLogger("software.amazon.awssdk.core.Example",
            new Log((level, line) -> lines.add(level + " " + line),
                    Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC)));

    @Test
    void aLibraryWarning_becomesOneOfOurJsonLinesAtWarn() throws Exception {
        logger.warn("Retrying {} after {} ms", "PutItem", 120, new IllegalStateException("boom"));

        assertEquals(1, lines.size());
        assertTrue(lines.get(0).startsWith("WARN {"));
        JsonNode line = Json.parse(lines.get(0).substring("WARN ".length()));
        assertEquals("library_warning", line.path("event").asText());
        assertEquals("WARN", line.path("level").asText());
        assertEquals("software.amazon.awssdk.core.Example", line.path("logger").asText());
        assertEquals("Retrying PutItem after 120 ms", line.path("message").asText());
        assertEquals("java.lang.IllegalStateException", line.path("exception").asText());
    }

    @Test
    void aLibraryError_becomesALineAtError() throws Exception {
        logger.error("Unable to load {}", "profile");

        JsonNode line = Json.parse(lines.get(0).substring("ERROR ".length()));
        assertEquals("library_error", line.path("event").asText());
        assertFalse(line.has("exception"));
    }

    @Test
    void debugAndInfoChatter_isDroppedOnPurpose() {
        logger.info("Creating an interceptor chain {}", "x");
        logger.debug("Sending request {}", "y");
        logger.trace("Headers {}", "z");

        assertTrue(lines.isEmpty(), lines.toString());
        assertFalse(logger.isInfoEnabled() || logger.isDebugEnabled() || logger.isTraceEnabled());
        assertTrue(logger.isWarnEnabled() && logger.isErrorEnabled());
    }
}
