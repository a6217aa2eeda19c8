package dev.inlet.reverb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.core.config.IntakeSettings;
import dev.inlet.core.config.Env;
import dev.inlet.core.ingest.Envelope;
import dev.inlet.core.ingest.Headers;
import dev.inlet.core.ingest.IntakeResult;
import dev.inlet.core.ingest.IntakeService;
import dev.inlet.core.ingest.RawRequest;
import dev.inlet.core.ingest.RejectionReason;
import dev.inlet.core.ingest.Verification;
import dev.inlet.core.observe.Log;
import dev.inlet.core.observe.Metrics;
import dev.inlet.core.signature.Digests;
import dev.inlet.core.testing.CapturingSink;
import dev.inlet.core.testing.InMemoryEventQueue;
import dev.inlet.core.testing.InMemoryEventStore;
import dev.inlet.core.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReverbProviderTest {
    static final String TOKEN = "test-reverb-token-0001-not-secret";
    static final String ORDER = "{\"order_number\":\"1234567\",\"status\":\"paid\",\"total\":{\"amount\":\"95.00\","
            + "\"amount_cents\":9500,\"currency\":\"USD\"},\"created_at\":\"2026-11-20T10:00:00-06:00\"}";

    private final ReverbProvider reverb = new ReverbProvider(List.of("test-old-token-0000", TOKEN));

    private static RawRequest request(String slug, String token, String body, Map<String, String> headers) {
        return new RawRequest(body.getBytes(StandardCharsets.UTF_8), Headers.of(headers),
                token == null ? Map.of("topic", slug) : Map.of("topic", slug, "token", token), "t");
    }

    private static RejectionReason reason(Verification v) {
        return ((Verification.Rejected) v).reason();
    }

    @Test
    void rightTokenOnAKnownTopic_verifies_namingWhichTokenMatched() {
        assertEquals(Verification.verified("token#2"), reverb.verify(request("orders-create", TOKEN, ORDER, Map.of())));
    }

    @Test
    void wrongOrMissingToken_andUnknownTopic_areRejectedWithTheirReasons() {
        assertEquals(RejectionReason.BAD_TOKEN, reason(reverb.verify(request("orders-create", "guess", ORDER, Map.of()))));
        assertEquals(RejectionReason.BAD_TOKEN, reason(reverb.verify(request("orders-create", null, ORDER, Map.of()))));
        assertEquals(RejectionReason.UNKNOWN_ROUTE, reason(reverb.verify(request("orders-explode", TOKEN, ORDER, Map.of()))));
    }

    @Test
    void noTokensConfigured_rejectsEverything() {
        assertEquals(RejectionReason.NO_SECRETS_CONFIGURED,
                reason(new ReverbProvider(List.of()).verify(request("orders-create", TOKEN, ORDER, Map.of()))));
    }

    @Test
    void everyTopic_hasASlugThatMapsBack() {
        for (String topic : ReverbTopics.ALL) {
            assertEquals(topic, ReverbTopics.fromSlug(ReverbTopics.slug(topic)).orElseThrow());
        }
        assertEquals(8, ReverbTopics.ALL.size());
    }

    @Test
    void orderEnvelope_dedupsOnTopicOrderNumberAndBodyHash() throws Exception {
        Envelope e = reverb.read(request("orders-create", TOKEN, ORDER, Map.of()));

        assertEquals("orders/create|1234567|" + Digests.sha256Hex(ORDER.getBytes(StandardCharsets.UTF_8)), e.dedupKey());
        assertEquals("orders/create", e.eventType());
    }

    @Test
    void listingEnvelope_usesTheListingId_andItsUpdatedAt() throws Exception {
        String listing = "{\"id\":987654,\"title\":\"Fender Stratocaster\",\"updated_at\":\"2026-11-20T10:00:00-06:00\"}";

        Envelope e = reverb.read(request("listings-update", TOKEN, listing, Map.of()));

        assertTrue(e.dedupKey().startsWith("listings/update|987654|"));
        assertEquals(Instant.parse("2026-11-20T16:00:00Z"), e.providerTime().orElseThrow());
    }

    @Test
    void throughIntake_everyAuthenticityFailureIs404NotFound_whateverTheReason() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
        CapturingSink sink = new CapturingSink();
        IntakeService intake = new IntakeService(reverb, new InMemoryEventStore(), new InMemoryEventQueue(),
                IntakeSettings.from(Env.of(Map.of())), clock, new Log(sink, clock), new Metrics(sink, clock));

        IntakeResult wrongToken = intake.receive(request("orders-create", "guess-" + TOKEN, ORDER, Map.of()));
        IntakeResult unknownTopic = intake.receive(request("orders-explode", TOKEN, ORDER, Map.of()));

        assertEquals(new IntakeResult.Rejected(RejectionReason.BAD_TOKEN, 404, "not_found"), wrongToken);
        assertEquals(new IntakeResult.Rejected(RejectionReason.UNKNOWN_ROUTE, 404, "not_found"), unknownTopic);
        assertTrue(sink.all().contains("\"reason\":\"bad_token\""), "the log keeps the real reason");
        assertTrue(!sink.all().contains(TOKEN), "the token never reaches a log line");
    }

    @Test
    void unknownXHeaders_areLoggedByNameOnly() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
        CapturingSink sink = new CapturingSink();
        IntakeService intake = new IntakeService(reverb, new InMemoryEventStore(), new InMemoryEventQueue(),
                IntakeSettings.from(Env.of(Map.of())), clock, new Log(sink, clock), new Metrics(sink, clock));

        intake.receive(request("orders-create", TOKEN, ORDER, Map.of("X-Reverb-Signature", "test-sig-value-123")));

        assertTrue(sink.all().contains("\"header\":\"x-reverb-signature\""));
        assertTrue(!sink.all().contains("test-sig-value-123"));
    }
}
