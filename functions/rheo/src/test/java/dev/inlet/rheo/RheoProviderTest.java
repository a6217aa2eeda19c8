package dev.inlet.rheo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.inlet.core.ingest.Envelope;
import dev.inlet.core.ingest.Headers;
import dev.inlet.core.ingest.RawRequest;
import dev.inlet.core.ingest.RejectionReason;
import dev.inlet.core.ingest.TimestampException;
import dev.inlet.core.ingest.UnreadableBodyException;
import dev.inlet.core.ingest.Verification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** PROVIDERS.md's Rheo test vector, and its negative twins. */
class RheoProviderTest {
    static final String SECRET = "whsec_testkey1234567890abcdefghijklmnop";
    static final String BODY = "{\"eventId\":\"evt_02\",\"timestamp\":\"2026-05-27T10:00:00Z\",\"eventType\":\"item.created\","
            + "\"data\":{\"externalId\":\"X\",\"rheoItemId\":\"3fa85f64-5717-4562-b3fc-2c963f66afa6\",\"platform\":\"rheo\","
            + "\"salePrice\":0,\"currency\":\"SEK\"}}";
    static final String SIGNATURE = "sha256=ed782803967c59648c42a1af5e1622cb7863a258f8e93db7dc2a875906247b5d";

    private final RheoProvider rheo = new RheoProvider(List.of(SECRET), Duration.ofMinutes(15));

    private static RawRequest request(String body, Map<String, String> headers) {
        return new RawRequest(body.getBytes(StandardCharsets.UTF_8), Headers.of(headers), Map.of(), "test");
    }

    private static RejectionReason reason(Verification v) {
        return ((Verification.Rejected) v).reason();
    }

    @Test
    void knownAnswerVector_verifies() {
        assertEquals(Verification.verified("secret#1"), rheo.verify(request(BODY, Map.of("X-Rheo-Signature", SIGNATURE))));
    }

    @Test
    void signing_reproducesTheVector() {
        assertEquals(SIGNATURE, rheo.sign(0, BODY.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void headerName_isCaseInsensitive() {
        assertEquals(Verification.verified("secret#1"), rheo.verify(request(BODY, Map.of("x-rheo-signature", SIGNATURE))));
    }

    @Test
    void tamperedByte_isABadSignature() {
        String tampered = BODY.replace("\"salePrice\":0", "\"salePrice\":1");

        assertEquals(RejectionReason.BAD_SIGNATURE, reason(rheo.verify(request(tampered, Map.of("X-Rheo-Signature", SIGNATURE)))));
    }

    @Test
    void wrongSecret_isABadSignature() {
        RheoProvider other = new RheoProvider(List.of("whsec_test_some_other_secret"), Duration.ofMinutes(15));

        assertEquals(RejectionReason.BAD_SIGNATURE, reason(other.verify(request(BODY, Map.of("X-Rheo-Signature", SIGNATURE)))));
    }

    @Test
    void keyWithoutItsWhsecPrefix_isABadSignature() {
        RheoProvider stripped = new RheoProvider(List.of(SECRET.substring("whsec_".length())), Duration.ofMinutes(15));

        assertEquals(RejectionReason.BAD_SIGNATURE, reason(stripped.verify(request(BODY, Map.of("X-Rheo-Signature", SIGNATURE)))));
    }

    @Test
    void secondSecretInTheList_isAccepted() {
        RheoProvider rotating = new RheoProvider(List.of("whsec_test_new_secret_0001", SECRET), Duration.ofMinutes(15));

        assertEquals(Verification.verified("secret#2"),
                rotating.verify(request(BODY, Map.of("X-Rheo-Signature", SIGNATURE))));
    }

    @Test
    void missingHeader_isMissingSignature() {
        assertEquals(RejectionReason.MISSING_SIGNATURE, reason(rheo.verify(request(BODY, Map.of()))));
        assertEquals(RejectionReason.MISSING_SIGNATURE, reason(rheo.verify(request(BODY, Map.of("X-Rheo-Signature", " ")))));
    }

    @Test
    void bareHexWithoutTheSha256Prefix_isMalformed() {
        String bare = SIGNATURE.substring("sha256=".length());

        assertEquals(RejectionReason.MALFORMED_SIGNATURE, reason(rheo.verify(request(BODY, Map.of("X-Rheo-Signature", bare)))));
    }

    @Test
    void nonHexOrTruncatedSignature_isMalformed() {
        assertEquals(RejectionReason.MALFORMED_SIGNATURE,
                reason(rheo.verify(request(BODY, Map.of("X-Rheo-Signature", "sha256=" + "zz".repeat(32))))));
        assertEquals(RejectionReason.MALFORMED_SIGNATURE,
                reason(rheo.verify(request(BODY, Map.of("X-Rheo-Signature", SIGNATURE.substring(0, 40))))));
    }

    @Test
    void emptySecretList_rejectsEverything() {
        RheoProvider none = new RheoProvider(List.of(), Duration.ofMinutes(15));

        assertEquals(RejectionReason.NO_SECRETS_CONFIGURED,
                reason(none.verify(request(BODY, Map.of("X-Rheo-Signature", SIGNATURE)))));
    }

    @Test
    void envelope_carriesEventIdTypeAndTime() throws Exception {
        Envelope e = rheo.read(request(BODY, Map.of()));

        assertEquals(new Envelope("evt_02", "item.created", Optional.of(Instant.parse("2026-05-27T10:00:00Z"))), e);
    }

    @Test
    void unknownEventTypes_areReadLikeAnyOther() throws Exception {
        Envelope e = rheo.read(request("{\"eventId\":\"evt_9\",\"eventType\":\"item.teleported\","
                + "\"timestamp\":\"2026-05-27T10:00:00Z\",\"data\":{}}", Map.of()));

        assertEquals("item.teleported", e.eventType());
    }

    @Test
    void malformedTimestamp_isATypedRejection() {
        TimestampException e = assertThrows(TimestampException.class, () -> rheo.read(request(
                "{\"eventId\":\"evt_9\",\"eventType\":\"x\",\"timestamp\":\"yesterday\"}", Map.of())));

        assertEquals(RejectionReason.TIMESTAMP_MALFORMED, e.reason());
    }

    @Test
    void numericTimestamp_isATypedRejection() {
        TimestampException e = assertThrows(TimestampException.class, () -> rheo.read(request(
                "{\"eventId\":\"evt_9\",\"eventType\":\"x\",\"timestamp\":1779876000}", Map.of())));

        assertEquals(RejectionReason.TIMESTAMP_MALFORMED, e.reason());
    }

    @Test
    void bodyWithoutEventId_isUnreadable() {
        assertThrows(UnreadableBodyException.class, () -> rheo.read(request(
                "{\"eventType\":\"x\",\"timestamp\":\"2026-05-27T10:00:00Z\"}", Map.of())));
    }

    @Test
    void duplicateEventIdKeys_areUnreadable_notReadOneWay() {
        assertThrows(UnreadableBodyException.class, () -> rheo.read(request(
                "{\"eventId\":\"evt_1\",\"eventId\":\"evt_2\",\"eventType\":\"x\",\"timestamp\":\"2026-05-27T10:00:00Z\"}",
                Map.of())));
    }
}
