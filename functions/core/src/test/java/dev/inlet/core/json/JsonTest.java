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
}
