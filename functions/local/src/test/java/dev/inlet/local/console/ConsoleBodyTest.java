package dev.inlet.local.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleBodyTest {
    @Test
    void jsonBody_isPrettyPrinted() {
        ObjectNode d = ConsoleBody.describe("{\"a\":{\"b\":1}}".getBytes(StandardCharsets.UTF_8), 1024);

        assertEquals("json", d.path("format").asText());
        assertEquals("{\n  \"a\" : {\n    \"b\" : 1\n  }\n}", d.path("text").asText());
    }

    @Test
    void bytesThatAreNotUtf8_areShownOnlyAsHex() {
        ObjectNode d = ConsoleBody.describe(new byte[] {'<', 'b', '>', (byte) 0xff, 0x00}, 1024);

        assertEquals("binary", d.path("format").asText());
        assertFalse(d.has("text"));
        assertEquals("00000000  3c 62 3e ff 00" + " ".repeat(11 * 3 + 2) + "<b>..\n", d.path("hex").asText());
    }

    @Test
    void controlCharactersInText_areEscaped() {
        ObjectNode d = ConsoleBody.describe("a\u0007b\u001b[31m\nc".getBytes(StandardCharsets.UTF_8), 1024);

        assertEquals("text", d.path("format").asText());
        assertEquals("a\\u0007b\\u001b[31m\nc", d.path("text").asText());
    }

    @Test
    void aBodyOverTheLimit_isCutAndSaysSo() {
        ObjectNode d = ConsoleBody.describe("x".repeat(100).getBytes(StandardCharsets.UTF_8), 10);

        assertEquals(100, d.path("bytes").asInt());
        assertTrue(d.path("truncated").asBoolean());
        assertEquals("xxxxxxxxxx", d.path("text").asText());
    }
}
