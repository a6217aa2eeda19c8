package dev.inlet.core.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestsTest {
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void theDigestKeptPerThread_startsAfreshForEveryMessage_onAnyThread() throws Exception {
        Runnable check = () -> {
            for (int i = 0; i < 100; i++) {
                assertEquals(ABC, Digests.sha256Hex("abc".getBytes(StandardCharsets.UTF_8)));   // FIPS 180-2 vector
                assertEquals(EMPTY, Digests.sha256Hex(new byte[0]));
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
}
