package dev.inlet.rechat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.core.config.ConfigException;
import dev.inlet.core.config.Env;
import dev.inlet.core.ingest.Envelope;
import dev.inlet.core.ingest.Headers;
import dev.inlet.core.ingest.RawRequest;
import dev.inlet.core.ingest.RejectionReason;
import dev.inlet.core.ingest.TimestampException;
import dev.inlet.core.ingest.Verification;
import dev.inlet.core.signature.Digests;
import dev.inlet.core.signature.HmacKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** PROVIDERS.md's Rechat vector (key hex-decoded to 32 bytes) and its twins. */
class RechatProviderTest {
    static final String KEY_HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    static final String BODY = "{\"topic\":\"Deals\",\"event\":\"Created\",\"timestamp\":1697788312345,"
            + "\"payload\":{\"deal\":{\"id\":\"3c5b2a1e-0000-4000-8000-000000000001\",\"type\":\"deal\"}}}";
    static final String SIGNATURE = "d8d00d9925c23d4d9d9fb129fda56f476d4c50d4a6a64fb16933a191f39b8c3f";

    private final RechatProvider rechat = RechatProvider.from(Env.of(Map.of("RECHAT_WEBHOOK_KEYS", KEY_HEX)));

    private static RawRequest request(String body, String signature) {
        Map<String, String> h = signature == null ? Map.of() : Map.of("X-RECHAT-SIGNATURE", signature);
        return new RawRequest(body.getBytes(StandardCharsets.UTF_8), Headers.of(h), Map.of(), "t");
    }

    private static RejectionReason reason(Verification v) {
        return ((Verification.Rejected) v).reason();
    }

    @Test
    void knownAnswerVector_verifies() {
        assertEquals(Verification.verified("key#1"), rechat.verify(request(BODY, SIGNATURE)));
        assertEquals(SIGNATURE, rechat.sign(0, BODY.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void keyUsedAsHexText_givesTheClassicWrongMac_whichIsRejected() {
        String wrongMac = HexFormat.of().formatHex(HmacKeys.hmacSha256(KEY_HEX.getBytes(StandardCharsets.UTF_8),
                BODY.getBytes(StandardCharsets.UTF_8)));

        assertTrue(wrongMac.startsWith("106209f1"));
        assertEquals(RejectionReason.BAD_SIGNATURE, reason(rechat.verify(request(BODY, wrongMac))));
    }

    @Test
    void tamperedByte_wrongKey_missingHeader_areRejectedWithTheirReasons() {
        RechatProvider other = RechatProvider.from(Env.of(Map.of("RECHAT_WEBHOOK_KEYS", "ff".repeat(32))));

        assertEquals(RejectionReason.BAD_SIGNATURE,
                reason(rechat.verify(request(BODY.replace("Created", "Deleted"), SIGNATURE))));
        assertEquals(RejectionReason.BAD_SIGNATURE, reason(other.verify(request(BODY, SIGNATURE))));
        assertEquals(RejectionReason.MISSING_SIGNATURE, reason(rechat.verify(request(BODY, null))));
        assertEquals(RejectionReason.MALFORMED_SIGNATURE, reason(rechat.verify(request(BODY, "sha256=" + SIGNATURE))));
    }

    @Test
    void secondKeyInTheList_isAccepted() {
        RechatProvider two = RechatProvider.from(Env.of(Map.of("RECHAT_WEBHOOK_KEYS", "ee".repeat(32) + "," + KEY_HEX)));

        assertEquals(Verification.verified("key#2"), two.verify(request(BODY, SIGNATURE)));
    }

    @Test
    void keyThatIsNot64HexChars_failsInitNamingTheSettingButNotTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> RechatProvider.from(Env.of(Map.of("RECHAT_WEBHOOK_KEYS", "test-not-hex-key"))));

        assertTrue(e.getMessage().startsWith("RECHAT_WEBHOOK_KEYS:"));
        assertFalse(e.getMessage().contains("test-not-hex-key"));
    }

    @Test
    void emptyKeyList_rejectsEverything() {
        RechatProvider none = RechatProvider.from(Env.of(Map.of()));

        assertEquals(RejectionReason.NO_SECRETS_CONFIGURED, reason(none.verify(request(BODY, SIGNATURE))));
    }

    @Test
    void envelope_dedupsOnTheBodyHash_withTopicDotEvent_andTheMillisecondTimestamp() throws Exception {
        Envelope e = rechat.read(request(BODY, SIGNATURE));

        assertEquals(new Envelope(Digests.sha256Hex(BODY.getBytes(StandardCharsets.UTF_8)), "Deals.Created",
                Optional.of(Instant.ofEpochMilli(1697788312345L))), e);
    }

    @Test
    void earlyDeliveriesWithoutTopicOrEvent_areTolerated() throws Exception {
        Envelope e = rechat.read(request("{\"timestamp\":1697788312345,\"payload\":{\"showing\":{\"id\":\"s1\"}}}",
                null));

        assertEquals("Showings.unknown", e.eventType());
    }

    @Test
    void timestampAsAStringOrNegative_isATypedRejection() {
        assertEquals(RejectionReason.TIMESTAMP_MALFORMED, assertThrows(TimestampException.class,
                () -> rechat.read(request(BODY.replace("1697788312345", "\"1697788312345\""), null))).reason());
        assertEquals(RejectionReason.TIMESTAMP_MALFORMED, assertThrows(TimestampException.class,
                () -> rechat.read(request(BODY.replace("1697788312345", "-5"), null))).reason());
    }
}
