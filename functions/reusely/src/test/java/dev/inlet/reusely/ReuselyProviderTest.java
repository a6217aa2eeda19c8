package dev.inlet.reusely;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.core.config.ConfigException;
import dev.inlet.core.config.Env;
import dev.inlet.core.ingest.Envelope;
import dev.inlet.core.ingest.Headers;
import dev.inlet.core.ingest.RawRequest;
import dev.inlet.core.ingest.RejectionReason;
import dev.inlet.core.ingest.Verification;
import dev.inlet.core.signature.HmacKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** PROVIDERS.md's Reusely vector (secret test_secret, message 93092 + 1749441740) and its twins. */
class ReuselyProviderTest {
    static final String VECTOR = "c8c252be4bb637c3887cf97090b2c73ad54c7923ee292264082c084e7d6c0d07";
    static final String BODY = "{\"object\":\"offer\",\"object_id\":93092,\"timestamp\":\"1749441740\","
            + "\"type\":\"offer.status.updated\",\"data\":{\"box_id\":\"BX-1\",\"status\":\"Paid\"}}";

    private final ReuselyProvider hex = new ReuselyProvider(List.of("test_secret"), SignatureScheme.HMAC_SHA256_HEX,
            Duration.ofHours(2));

    private static RawRequest request(String body, String authorization) {
        Map<String, String> headers = authorization == null ? Map.of() : Map.of("Authorization", authorization);
        return new RawRequest(body.getBytes(StandardCharsets.UTF_8), Headers.of(headers), Map.of(), "t");
    }

    private static RejectionReason reason(Verification v) {
        return ((Verification.Rejected) v).reason();
    }

    @Test
    void knownAnswerVector_isTheHmacOfObjectIdAndTimestamp() {
        byte[] mac = HmacKeys.hmacSha256("test_secret".getBytes(StandardCharsets.UTF_8),
                "930921749441740".getBytes(StandardCharsets.UTF_8));

        assertEquals(VECTOR, HexFormat.of().formatHex(mac));
        assertEquals(VECTOR, hex.sign(0, BODY.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void vector_verifies_andNamesTheVariantThatMatched() {
        assertEquals(Verification.verified("hmac-sha256-hex,secret#1"), hex.verify(request(BODY, VECTOR)));
    }

    @Test
    void upperCaseHexAndPrefixes_areAccepted() {
        assertTrue(hex.verify(request(BODY, VECTOR.toUpperCase())) instanceof Verification.Verified);
        assertEquals(Verification.verified("hmac-sha256-hex,prefix=sha256=,secret#1"),
                hex.verify(request(BODY, "sha256=" + VECTOR)));
        assertEquals(Verification.verified("hmac-sha256-hex,prefix=bearer,secret#1"),
                hex.verify(request(BODY, "Bearer " + VECTOR)));
    }

    @Test
    void keyOrderInTheBody_doesNotMatter() {
        String reordered = "{\"type\":\"offer.status.updated\",\"timestamp\":\"1749441740\",\"data\":{},"
                + "\"object_id\":93092,\"object\":\"offer\"}";

        assertTrue(hex.verify(request(reordered, VECTOR)) instanceof Verification.Verified);
    }

    @Test
    void base64Scheme_verifiesTheSameMacInBase64_andRejectsHex() {
        ReuselyProvider b64 = new ReuselyProvider(List.of("test_secret"), SignatureScheme.HMAC_SHA256_BASE64,
                Duration.ofHours(2));
        String encoded = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(VECTOR));

        assertEquals(Verification.verified("hmac-sha256-base64,secret#1"), b64.verify(request(BODY, encoded)));
        assertEquals(RejectionReason.MALFORMED_SIGNATURE, reason(b64.verify(request(BODY, VECTOR))));
    }

    @Test
    void changedObjectIdOrTimestamp_isABadSignature() {
        assertEquals(RejectionReason.BAD_SIGNATURE,
                reason(hex.verify(request(BODY.replace("93092", "93093"), VECTOR))));
        assertEquals(RejectionReason.BAD_SIGNATURE,
                reason(hex.verify(request(BODY.replace("1749441740", "1749441741"), VECTOR))));
    }

    @Test
    void changedData_stillVerifies_becauseReuselyDoesNotSignTheBody() {
        String otherData = BODY.replace("\"status\":\"Paid\"", "\"status\":\"Refunded\"");

        assertTrue(hex.verify(request(otherData, VECTOR)) instanceof Verification.Verified,
                "documented limitation: docs/providers.md says to re-read the offer before acting on it");
    }

    @Test
    void wrongSecret_missingHeader_andGarbage_areRejectedWithTheirReasons() {
        ReuselyProvider other = new ReuselyProvider(List.of("test_other_secret"), SignatureScheme.HMAC_SHA256_HEX,
                Duration.ofHours(2));

        assertEquals(RejectionReason.BAD_SIGNATURE, reason(other.verify(request(BODY, VECTOR))));
        assertEquals(RejectionReason.MISSING_SIGNATURE, reason(hex.verify(request(BODY, null))));
        assertEquals(RejectionReason.MALFORMED_SIGNATURE, reason(hex.verify(request(BODY, "not-hex"))));
        assertEquals(RejectionReason.MALFORMED_SIGNATURE, reason(hex.verify(request(BODY, VECTOR.substring(2)))));
    }

    @Test
    void bodyWithoutTheSignedFields_isUnverifiable() {
        assertEquals(RejectionReason.UNVERIFIABLE_BODY,
                reason(hex.verify(request("{\"type\":\"offer.created\"}", VECTOR))));
        assertEquals(RejectionReason.UNVERIFIABLE_BODY, reason(hex.verify(request("not json", VECTOR))));
        assertEquals(RejectionReason.UNVERIFIABLE_BODY, reason(hex.verify(request(
                "{\"object_id\":1,\"object_id\":93092,\"timestamp\":\"1749441740\"}", VECTOR))),
                "duplicate keys must not let one body be read two ways");
    }

    @Test
    void objectIdAsAString_isSignedAsItsText() {
        String stringId = BODY.replace("\"object_id\":93092", "\"object_id\":\"93092\"");

        assertTrue(hex.verify(request(stringId, VECTOR)) instanceof Verification.Verified);
    }

    @Test
    void emptySecretList_rejectsEverything() {
        ReuselyProvider none = new ReuselyProvider(List.of(), SignatureScheme.HMAC_SHA256_HEX, Duration.ofHours(2));

        assertEquals(RejectionReason.NO_SECRETS_CONFIGURED, reason(none.verify(request(BODY, VECTOR))));
    }

    @Test
    void envelope_dedupsOnTheSignedFieldsOnly_notOnTheUnsignedType() throws Exception {
        Envelope e = hex.read(request(BODY, VECTOR));
        Envelope otherType = hex.read(request(BODY.replace("offer.status.updated", "offer.created"), VECTOR));

        assertEquals(new Envelope("93092|1749441740", "offer.status.updated",
                Optional.of(Instant.ofEpochSecond(1749441740))), e);
        assertEquals(e.dedupKey(), otherType.dedupKey());
    }

    @Test
    void signedTime_isReadFromTheSignedFieldsAlone_evenWhenTheRestIsUnreadable() throws Exception {
        String unreadable = "{\"object_id\":93092,\"timestamp\":\"1749441740\",\"type\":1}";

        assertEquals(Optional.of(Instant.ofEpochSecond(1749441740)), hex.signedTime(request(unreadable, VECTOR)));
        assertEquals("93092|1749441740", hex.quarantineKey(request(unreadable, VECTOR)));
    }

    @Test
    void nonCanonicalTimestamp_isATypedRejection_evenWithAMatchingMac() {
        // 9309 + "01749441740" are the bytes of the vector's 93090 + "1749441740" under another split.
        String canonical = "{\"object_id\":93090,\"timestamp\":\"1749441740\"}";
        String mac = hex.sign(0, canonical.getBytes(StandardCharsets.UTF_8));

        assertTrue(hex.verify(request(canonical, mac)) instanceof Verification.Verified);
        for (String ts : List.of("01749441740", "+1749441740", "-1749441740", "1749441740.0", "1.74944174e9",
                " 1749441740", "1749441740 ", "soon")) {
            String body = "{\"object_id\":9309,\"timestamp\":\"" + ts + "\"}";
            assertEquals(RejectionReason.TIMESTAMP_MALFORMED, reason(hex.verify(request(body, mac))), ts);
        }
    }

    @Test
    void nonCanonicalObjectId_isATypedRejection() {
        for (String id : List.of("\"093092\"", "\"+93092\"", "-93092", "\"-93092\"", "\"9.3092e4\"",
                "\"93092 \"", "0", "\"\u0039\u0033\u0030\u0039\u0032x\"")) {
            String body = "{\"object_id\":" + id + ",\"timestamp\":\"1749441740\"}";
            assertEquals(RejectionReason.OBJECT_ID_MALFORMED, reason(hex.verify(request(body, VECTOR))), id);
        }
    }

    @Test
    void unknownScheme_failsInitNamingTheSetting() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ReuselyProvider.from(Env.of(Map.of("REUSELY_SIGNATURE_SCHEME", "md5"))));

        assertTrue(e.getMessage().startsWith("REUSELY_SIGNATURE_SCHEME:"));
    }
}
