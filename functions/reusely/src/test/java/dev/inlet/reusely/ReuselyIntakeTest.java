package dev.inlet.reusely;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.inlet.aws.dynamodb.DynamoDbEventStore;
import dev.inlet.core.config.IntakeSettings;
import dev.inlet.core.ingest.Headers;
import dev.inlet.core.ingest.IntakeResult;
import dev.inlet.core.ingest.IntakeService;
import dev.inlet.core.ingest.RawRequest;
import dev.inlet.core.ingest.RejectionReason;
import dev.inlet.core.observe.Log;
import dev.inlet.core.observe.Metrics;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventQuery;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStatus;
import dev.inlet.core.testing.CapturingSink;
import dev.inlet.core.testing.InMemoryEventQueue;
import dev.inlet.core.testing.MutableClock;
import dev.inlet.embedded.Backends;
import dev.inlet.embedded.LocalResources;
import dev.inlet.embedded.SamTemplate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What one captured Reusely signature can do, through intake and the real events table (DynamoDB
 * Local): the signature covers only {@code object_id} + {@code timestamp}, so everything else in the
 * body is the sender's choice.
 */
class ReuselyIntakeTest {
    private static final Instant SENT = Instant.ofEpochSecond(1749441740);
    private static DynamoDbEventStore store;

    private final ReuselyProvider reusely = new ReuselyProvider(List.of("test_secret"),
            SignatureScheme.HMAC_SHA256_HEX, Duration.ofHours(2));
    private final MutableClock clock = new MutableClock(SENT.plusSeconds(60));
    private final CapturingSink sink = new CapturingSink();
    private IntakeService intake;

    @BeforeAll
    static void tables() {
        LocalResources r = LocalResources.create(SamTemplate.load(SamTemplate.locate()), Backends.shared(),
                "t" + Long.toHexString(System.nanoTime()) + "-", Optional.of(2));
        store = new DynamoDbEventStore(Backends.shared().dynamo(), r.ref("EventsTable").orElseThrow());
    }

    private IntakeResult deliver(String body, String authorization) {
        if (intake == null) {
            intake = new IntakeService(reusely, store, new InMemoryEventQueue(),
                    new IntakeSettings(262_144, Duration.ofSeconds(30), Duration.ofDays(30)), clock,
                    new Log(sink, clock), new Metrics(sink, clock));
        }
        return intake.receive(new RawRequest(body.getBytes(StandardCharsets.UTF_8),
                Headers.of(Map.of("authorization", authorization)), Map.of(), "t"));
    }

    private String sign(String body) {
        return reusely.sign(0, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String offer(long objectId, String type, String data) {
        return "{\"object\":\"offer\",\"object_id\":" + objectId + ",\"timestamp\":\"" + SENT.getEpochSecond()
                + "\",\"type\":" + type + ",\"data\":" + data + "}";
    }

    private static List<EventRecord> stored(long objectId) {
        return store.list(new EventQuery(Optional.of("reusely"), Optional.empty(), Optional.empty(),
                Optional.empty(), 1000), SENT.plusSeconds(60)).stream()
                .filter(r -> r.key().dedupKey().startsWith(objectId + "|")
                        || r.key().dedupKey().startsWith("sha256:")).toList();
    }

    @Test
    void capturedSignature_resentWithAnotherTypeAndData_isADuplicateConflict_notANewEvent() {
        String real = offer(71001, "\"offer.created\"", "{\"status\":\"Created\",\"payout_amount\":\"10.00\"}");
        String forged = offer(71001, "\"offer.status.updated\"", "{\"status\":\"Paid\",\"payout_amount\":\"999.00\"}");
        String captured = sign(real);

        IntakeResult first = deliver(real, captured);
        IntakeResult second = deliver(forged, captured);

        assertInstanceOf(IntakeResult.Accepted.class, first);
        assertEquals(new EventKey("reusely", "71001|1749441740"), ((IntakeResult.Accepted) first).key());
        assertInstanceOf(IntakeResult.Duplicate.class, second, "the dedup key holds only the signed fields");
        assertEquals(200, second.status());
        EventRecord kept = store.find(new EventKey("reusely", "71001|1749441740"), clock.instant()).orElseThrow();
        assertEquals("offer.created", kept.eventType(), "the first body wins");
        assertEquals(real, new String(kept.body(), StandardCharsets.UTF_8));
        assertEquals(1, sink.count("\"event\":\"duplicate_conflict\""), "logged");
        assertEquals(1, sink.count("\"Name\":\"duplicate_conflict\""), "and counted as a metric");
    }

    @Test
    void sameDeliveryTwice_isAPlainDuplicate_withoutConflict() {
        String real = offer(71002, "\"offer.created\"", "{\"status\":\"Created\"}");

        deliver(real, sign(real));
        IntakeResult again = deliver(real, sign(real));

        assertInstanceOf(IntakeResult.Duplicate.class, again);
        assertEquals(0, sink.count("duplicate_conflict"));
    }

    @Test
    void capturedSignature_withUnreadableBodies_storesAtMostOneRecord() {
        String unreadable = offer(71003, "1", "{}");
        String another = offer(71003, "2", "{\"padding\":\"" + "x".repeat(4000) + "\"}");
        String captured = sign(unreadable);

        IntakeResult first = deliver(unreadable, captured);
        IntakeResult second = deliver(another, captured);

        assertInstanceOf(IntakeResult.Quarantined.class, first);
        assertEquals(new EventKey("reusely", "71003|1749441740"), ((IntakeResult.Quarantined) first).key(),
                "a quarantine is keyed by the signed fields, not by the body's hash");
        assertInstanceOf(IntakeResult.Duplicate.class, second);
        assertEquals(1, stored(71003).size(), "one signature, one record");
        assertEquals(EventStatus.QUARANTINED, stored(71003).get(0).status());
        assertEquals(1, sink.count("\"event\":\"duplicate_conflict\""));
    }

    @Test
    void staleSignature_withAnUnreadableBody_isRejectedBeforeAnyQuarantine() {
        String unreadable = offer(71004, "1", "{}");
        clock.advance(Duration.ofHours(3));

        IntakeResult result = deliver(unreadable, sign(unreadable));

        assertEquals(new IntakeResult.Rejected(RejectionReason.TIMESTAMP_TOO_OLD, 401), result);
        assertEquals(0, stored(71004).size(), "nothing stored outside the signed window");
    }

    @Test
    void leadingZeroTimestamp_signingTheSameBytesAsAnotherPair_isRejected_andStoresNothing() {
        // 9309 + "01749441740" and 93090 + "1749441740" are the same signed bytes.
        String canonical = "{\"object_id\":93090,\"timestamp\":\"1749441740\",\"type\":\"offer.created\",\"data\":{}}";
        String shifted = "{\"object_id\":9309,\"timestamp\":\"01749441740\",\"type\":\"offer.created\",\"data\":{}}";

        IntakeResult result = deliver(shifted, sign(canonical));

        assertEquals(new IntakeResult.Rejected(RejectionReason.TIMESTAMP_MALFORMED, 401), result);
        assertEquals(0, stored(9309).size());
    }
}
