package dev.inlet.core.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class HmacKeysTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void match_findsTheKeyThatSigned_amongSeveral() {
        HmacKeys keys = HmacKeys.of(List.of(utf8("old-test-key"), utf8("new-test-key")));
        byte[] mac = HmacKeys.hmacSha256(utf8("new-test-key"), utf8("body"));

        assertEquals(OptionalInt.of(1), keys.match(utf8("body"), mac));
    }

    @Test
    void match_isEmptyForAnUnknownKeyOrAnEmptyList() {
        byte[] mac = HmacKeys.hmacSha256(utf8("someone-else"), utf8("body"));

        assertTrue(HmacKeys.of(List.of(utf8("old-test-key"))).match(utf8("body"), mac).isEmpty());
        assertTrue(HmacKeys.of(List.of()).match(utf8("body"), mac).isEmpty());
    }

    @Test
    void tokens_matchInConstantTimeWhateverTheLength() {
        Tokens tokens = Tokens.of(List.of("first-test-token", "second-test-token"));

        assertEquals(OptionalInt.of(1), tokens.match("second-test-token"));
        assertTrue(tokens.match("second-test-toke").isEmpty());
        assertTrue(tokens.match("").isEmpty());
        assertTrue(tokens.match(null).isEmpty());
    }
}
