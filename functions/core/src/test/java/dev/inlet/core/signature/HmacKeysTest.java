package dev.inlet.core.signature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
    void theMacsKeptPerThread_carryNothingFromOneMessageToTheNext_onAnyThread() throws Exception {
        HmacKeys keys = HmacKeys.of(List.of(utf8("old-test-key"), utf8("new-test-key")));
        Runnable check = () -> {
            for (int i = 0; i < 200; i++) {
                byte[] body = utf8("body-" + i);
                byte[] right = HmacKeys.hmacSha256(utf8(i % 2 == 0 ? "old-test-key" : "new-test-key"), body);
                byte[] wrong = HmacKeys.hmacSha256(utf8("someone-else"), body);
                assertEquals(OptionalInt.of(i % 2), keys.match(body, right));
                assertTrue(keys.match(body, wrong).isEmpty());
                assertArrayEquals(right, keys.sign(i % 2, body));
            }
        };
        Thread other = new Thread(check);
        Throwable[] failure = new Throwable[1];
        other.setUncaughtExceptionHandler((t, e) -> failure[0] = e);
        other.start();
        check.run();
        other.join();
        assertNull(failure[0], () -> "on the other thread: " + failure[0]);
    }

    @Test
    void tokens_matchOnlyTheWholeToken_atItsIndex_neverAPrefixEmptyOrMissingOne() {
        Tokens tokens = Tokens.of(List.of("first-test-token", "second-test-token"));

        assertEquals(OptionalInt.of(1), tokens.match("second-test-token"));
        assertTrue(tokens.match("second-test-toke").isEmpty());
        assertTrue(tokens.match("").isEmpty());
        assertTrue(tokens.match(null).isEmpty());
    }
}
