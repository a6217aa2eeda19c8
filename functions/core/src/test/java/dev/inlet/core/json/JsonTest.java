package dev.inlet.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void duplicateKeys_areRejected_soAnAuthenticBodyCannotBeReadTwoWays() {
        assertThrows(IOException.class, () -> Json.parse(utf8("{\"eventId\":\"a\",\"eventId\":\"b\"}")));
    }

    @Test
    void trailingContentAndEmptyBodies_areRejected() {
        assertThrows(IOException.class, () -> Json.parse(utf8("{\"a\":1} {\"b\":2}")));
        assertThrows(IOException.class, () -> Json.parse(new byte[0]));
    }

    @Test
    void deepNesting_isRejected() {
        String deep = "[".repeat(100) + "]".repeat(100);

        assertThrows(IOException.class, () -> Json.parse(utf8(deep)));
    }

    @Test
    void ordinaryBodies_parse() throws IOException {
        assertEquals("x", Json.parse(utf8("{\"a\":\"x\"}")).get("a").asText());
    }

    @Test
    void treesReadWithoutAnObjectMapper_matchWhatAnObjectMapperReads() throws IOException {
        String body = "{\"s\":\"caf\u00e9 \\\"q\\\" \\u0001\",\"i\":42,\"l\":9007199254740993,"
                + "\"big\":123456789012345678901234567890,\"d\":-1.5e3,\"t\":true,\"f\":false,\"n\":null,"
                + "\"a\":[1,[2,{}],\"x\"],\"o\":{\"nested\":{\"deeper\":[]}}}";

        var ours = Json.parse(utf8(body));
        var theirs = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);

        assertEquals(theirs, ours);
        assertEquals(theirs.toString(), Json.write(ours));
        assertEquals(ours, Json.parse(Json.write(ours)));
    }

    @Test
    void scalarsAtTheRoot_parse_andTheTextOverloadHasTheSameRules() throws IOException {
        assertEquals(7, Json.parse(utf8("7")).intValue());
        assertThrows(IOException.class, () -> Json.parse("{\"a\":1,\"a\":2}"));
        assertThrows(IOException.class, () -> Json.parse("[1] 2"));
        assertThrows(IOException.class, () -> Json.parse("   "));
    }
}
