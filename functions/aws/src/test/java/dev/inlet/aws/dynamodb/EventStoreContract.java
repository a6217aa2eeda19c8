package dev.inlet.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.core.publish.DomainEvent;
import dev.inlet.core.publish.PendingPublish;
import dev.inlet.core.signature.Digests;
import dev.inlet.core.store.ClaimOutcome;
import dev.inlet.core.store.CreateOutcome;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventQuery;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStatus;
import dev.inlet.core.store.EventStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link EventStore} contract, as scenarios every implementation must pass: the in-memory store that
 * core tests, the outbox sweeper's tests and the fuzz target run on, and the DynamoDB adapter (against
 * DynamoDB Local) that Lambda runs on. A behaviour the fake has and DynamoDB lacks (or the reverse) fails
 * here in one of the two subclasses.
 */
abstract class EventStoreContract {
    static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    static final Duration INTAKE_LEASE = Duration.ofSeconds(30);
    static final Duration PROCESSING_LEASE = Duration.ofSeconds(90);

    private EventStore store;
    /** Distinct keys per test, for stores shared by the tests of a class. */
    private final String run = Long.toHexString(System.nanoTime());

    /** A store to run one scenario on (it may hold other scenarios' records). */
    abstract EventStore newStore();

    @BeforeEach
    void open() {
        store = newStore();
    }

    private EventKey key(String id) {
        return new EventKey("contract", id + "-" + run);
    }

    private static byte[] body(String text) {
        return ("{\"text\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private EventRecord received(String id, Instant at, String text) {
        return EventRecord.received(key(id), "thing.done", at, Optional.of(at), body(text), Map.of("user-agent", "t"),
                at.plus(INTAKE_LEASE), at.plus(Duration.ofDays(30)));
    }

    private EventRecord find(String id, Instant now) {
        return store.find(key(id), now).orElseThrow(() -> new AssertionError("no record " + id));
    }

    private List<EventKey> due(Instant now) {
        return store.dueForSend(now, 1000).stream().map(EventRecord::key).filter(k -> k.dedupKey().endsWith(run))
                .toList();
    }

    @Test
    void create_storesOnce_andASecondCreateReturnsTheFirstWithoutBodyButWithItsHash() {
        assertInstanceOf(CreateOutcome.Created.class, store.create(received("c1", NOW, "first"), NOW));

        CreateOutcome again = store.create(received("c1", NOW.plusSeconds(1), "second"), NOW.plusSeconds(1));

        CreateOutcome.Existing existing = assertInstanceOf(CreateOutcome.Existing.class, again);
        assertEquals(NOW, existing.existing().receivedAt(), "the first record stays");
        assertEquals(0, existing.existing().body().length, "returned without its body");
        assertEquals(Optional.of(Digests.sha256Hex(body("first"))), existing.bodySha256());
        assertArrayEquals(body("first"), find("c1", NOW).body(), "find returns the body");
        assertEquals(EventStatus.RECEIVED, find("c1", NOW).status());
    }

    @Test
    void expiredRecord_countsAsAbsent_andItsKeyCanBeStoredAgain() {
        EventRecord shortLived = EventRecord.received(key("c2"), "thing.done", NOW, Optional.empty(), body("old"),
                Map.of(), NOW.plus(INTAKE_LEASE), NOW.plus(Duration.ofHours(1)));
        store.create(shortLived, NOW);
        Instant later = NOW.plus(Duration.ofHours(2));

        assertTrue(store.find(key("c2"), later).isEmpty(), "expired: absent whatever TTL has deleted");
        assertInstanceOf(ClaimOutcome.Missing.class, store.claim(key("c2"), "w", later, later.plus(PROCESSING_LEASE)));
        assertInstanceOf(CreateOutcome.Created.class, store.create(received("c2", later, "new"), later));
        assertArrayEquals(body("new"), find("c2", later).body());
    }

    @Test
    void claim_isExclusiveWhileTheLeaseLives_andALostLeaseCannotMarkProcessed() {
        store.create(received("c3", NOW, "x"), NOW);

        var first = assertInstanceOf(ClaimOutcome.Claimed.class, store.claim(key("c3"), "w1", NOW,
                NOW.plus(PROCESSING_LEASE)));
        assertArrayEquals(body("x"), first.record().body(), "the claimed record carries its body");
        var busy = assertInstanceOf(ClaimOutcome.Busy.class, store.claim(key("c3"), "w2", NOW.plusSeconds(10),
                NOW.plusSeconds(10).plus(PROCESSING_LEASE)));
        assertEquals(NOW.plus(PROCESSING_LEASE), busy.leaseUntil());

        Instant expired = NOW.plus(PROCESSING_LEASE).plusSeconds(1);
        assertInstanceOf(ClaimOutcome.Claimed.class, store.claim(key("c3"), "w2", expired,
                expired.plus(PROCESSING_LEASE)));
        assertFalse(store.markProcessed(key("c3"), "w1", expired, "h"), "w1 lost its lease");
        assertTrue(store.markProcessed(key("c3"), "w2", expired.plusSeconds(1), "h"));

        EventRecord done = find("c3", expired.plusSeconds(2));
        assertEquals(EventStatus.PROCESSED, done.status());
        assertEquals(2, done.attempts(), "both claims counted");
        assertEquals(1, done.processedCount());
        assertEquals(Optional.of("h"), done.handledBy());
        assertInstanceOf(ClaimOutcome.AlreadyProcessed.class, store.claim(key("c3"), "w3", expired.plusSeconds(3),
                expired.plusSeconds(3).plus(PROCESSING_LEASE)));
    }

    @Test
    void unknownKey_isMissing_andQuarantined_isNeverProcessedNorReplayed() {
        assertInstanceOf(ClaimOutcome.Missing.class, store.claim(key("none"), "w", NOW, NOW.plus(PROCESSING_LEASE)));
        assertTrue(store.find(key("none"), NOW).isEmpty());
        store.create(EventRecord.quarantined(key("q"), NOW, body("?"), Map.of(), "not_json",
                NOW.plus(Duration.ofDays(30))), NOW);

        var refused = assertInstanceOf(ClaimOutcome.NotProcessable.class, store.claim(key("q"), "w", NOW,
                NOW.plus(PROCESSING_LEASE)));
        assertEquals(EventStatus.QUARANTINED, refused.status());
        assertFalse(store.markForReplay(key("q"), NOW, NOW.plus(INTAKE_LEASE)));
        assertTrue(due(NOW.plus(Duration.ofHours(1))).isEmpty(), "a quarantined record is not in the outbox");
    }

    @Test
    void outbox_holdsAReceivedRecordAfterItsLease_oneTakeOverPerLease_untilTheClaimTakesItOut() {
        store.create(received("c5", NOW, "x"), NOW);

        assertTrue(due(NOW.plusSeconds(10)).isEmpty(), "nothing is due while the intake lease lives");
        Instant after = NOW.plus(INTAKE_LEASE).plusSeconds(1);
        assertEquals(List.of(key("c5")), due(after));
        assertTrue(store.takeOverIntakeLease(key("c5"), after, after.plus(INTAKE_LEASE)));
        assertFalse(store.takeOverIntakeLease(key("c5"), after, after.plus(INTAKE_LEASE)), "one sender per lease");
        assertEquals(1, find("c5", after).resends());

        store.claim(key("c5"), "w", after, after.plus(PROCESSING_LEASE));
        assertTrue(due(after.plus(Duration.ofHours(1))).isEmpty(), "the claim took it out of the outbox");
        assertFalse(store.takeOverIntakeLease(key("c5"), after.plus(Duration.ofHours(1)),
                after.plus(Duration.ofHours(2))));
    }

    @Test
    void failures_releaseTheLease_queuedForARetry_thenFailedWhenGivingUp() {
        store.create(received("c6", NOW, "x"), NOW);
        store.claim(key("c6"), "w1", NOW, NOW.plus(PROCESSING_LEASE));

        store.recordFailure(key("c6"), "w1", "IllegalStateException: down", false, NOW.plusSeconds(1));

        EventRecord retry = find("c6", NOW.plusSeconds(1));
        assertEquals(EventStatus.QUEUED, retry.status());
        assertEquals(Optional.of("IllegalStateException: down"), retry.lastError());
        assertInstanceOf(ClaimOutcome.Claimed.class, store.claim(key("c6"), "w2", NOW.plusSeconds(2),
                NOW.plusSeconds(2).plus(PROCESSING_LEASE)), "the lease was released: no wait for its expiry");
        store.recordFailure(key("c6"), "w2", "IllegalStateException: still down", true, NOW.plusSeconds(3));

        EventRecord failed = find("c6", NOW.plusSeconds(3));
        assertEquals(EventStatus.FAILED, failed.status());
        assertEquals(2, failed.attempts());
        assertEquals(Optional.of(NOW.plusSeconds(3)), failed.history().at(EventStatus.FAILED));
    }

    @Test
    void replay_putsAProcessedRecordBackInTheOutbox_butNotWhileALiveLeaseHoldsIt() {
        store.create(received("c7", NOW, "x"), NOW);
        store.claim(key("c7"), "w", NOW, NOW.plus(PROCESSING_LEASE));
        assertFalse(store.markForReplay(key("c7"), NOW.plusSeconds(1), NOW.plusSeconds(1).plus(INTAKE_LEASE)),
                "refused while the processing lease lives");
        store.markProcessed(key("c7"), "w", NOW.plusSeconds(2), "h");
        Instant replayAt = NOW.plus(Duration.ofMinutes(5));

        assertTrue(store.markForReplay(key("c7"), replayAt, replayAt.plus(INTAKE_LEASE)));

        EventRecord queued = find("c7", replayAt);
        assertEquals(EventStatus.QUEUED, queued.status());
        assertEquals(1, queued.replayCount());
        assertEquals(Optional.of(replayAt), queued.lastReplayAt());
        assertTrue(due(replayAt.plusSeconds(1)).isEmpty(), "its outbox lease lives");
        assertEquals(List.of(key("c7")), due(replayAt.plus(INTAKE_LEASE).plusSeconds(1)), "back in the outbox");
        assertInstanceOf(ClaimOutcome.Claimed.class, store.claim(key("c7"), "w2", replayAt.plusSeconds(1),
                replayAt.plusSeconds(1).plus(PROCESSING_LEASE)));
    }

    @Test
    void list_isNewestFirst_filteredByProviderStatusAndTime_withoutBodies() {
        for (int i = 0; i < 5; i++) {
            store.create(received("l" + i, NOW.plusSeconds(i), "x" + i), NOW.plusSeconds(i));
        }
        store.claim(key("l1"), "w", NOW.plusSeconds(10), NOW.plusSeconds(10).plus(PROCESSING_LEASE));
        Instant now = NOW.plusSeconds(20);

        List<EventRecord> all = store.list(new EventQuery(Optional.of("contract"), Optional.empty(),
                Optional.of(NOW), Optional.of(NOW.plusSeconds(5)), 100), now).stream()
                .filter(r -> r.key().dedupKey().endsWith(run)).toList();
        List<EventRecord> processing = store.list(new EventQuery(Optional.of("contract"),
                Optional.of(EventStatus.PROCESSING), Optional.of(NOW), Optional.of(NOW.plusSeconds(5)), 100), now)
                .stream().filter(r -> r.key().dedupKey().endsWith(run)).toList();

        assertEquals(List.of(key("l4"), key("l3"), key("l2"), key("l1"), key("l0")),
                all.stream().map(EventRecord::key).toList());
        assertTrue(all.stream().allMatch(r -> r.body().length == 0), "listed without bodies");
        assertEquals(List.of(key("l1")), processing.stream().map(EventRecord::key).toList());
    }

    private DomainEvent change(String id, int n) {
        return new DomainEvent("inlet.contract", "Contract Thing Changed", "{\"n\":" + n + "}", key(id).id(),
                NOW.plusSeconds(n), n % 2 == 0 ? Optional.of("Root=1-00000000-" + n + ";Sampled=1") : Optional.empty());
    }

    @Test
    void traceHeader_isStoredAtCreate_andReadBack() {
        store.create(received("t1", NOW, "x").withTraceHeader(Optional.of("Root=1-5759e988-bd862e3fe1be46a994272793")),
                NOW);

        assertEquals(Optional.of("Root=1-5759e988-bd862e3fe1be46a994272793"), find("t1", NOW).traceHeader());
        assertEquals(Optional.empty(), store.find(key("none"), NOW).flatMap(EventRecord::traceHeader));
    }

    @Test
    void pendingEvents_areKeptByTheProcessedWrite_offeredToALaterClaim_andDroppedOnlyByTheirOwnRunsMark() {
        store.create(received("p1", NOW, "x"), NOW);
        store.claim(key("p1"), "w1", NOW, NOW.plus(PROCESSING_LEASE));
        PendingPublish pending = new PendingPublish("w1", List.of(change("p1", 1), change("p1", 2)));

        assertTrue(store.markProcessed(key("p1"), "w1", NOW.plusSeconds(1), "h", Optional.of(pending)));

        assertEquals(Optional.of(pending), find("p1", NOW.plusSeconds(2)).pending(), "kept with its trace headers");
        var again = assertInstanceOf(ClaimOutcome.AlreadyProcessed.class, store.claim(key("p1"), "w2",
                NOW.plusSeconds(2), NOW.plusSeconds(2).plus(PROCESSING_LEASE)));
        assertEquals(Optional.of(pending), again.unpublished(), "a redelivery finds what is left to publish");
        assertFalse(store.markPublished(key("p1"), "w-other", 2, NOW.plusSeconds(3)), "another run's set is not ours");
        assertTrue(store.markPublished(key("p1"), "w1", 2, NOW.plusSeconds(3)));
        assertFalse(store.markPublished(key("p1"), "w1", 2, NOW.plusSeconds(4)), "marked once");

        EventRecord published = find("p1", NOW.plusSeconds(5));
        assertTrue(published.pending().isEmpty());
        assertEquals(2, published.publishedCount());
        assertEquals(Optional.of(NOW.plusSeconds(3)), published.history().lastPublishedAt());
        assertEquals(EventStatus.PROCESSED, published.status());
        assertEquals(Optional.empty(), assertInstanceOf(ClaimOutcome.AlreadyProcessed.class, store.claim(key("p1"),
                "w3", NOW.plusSeconds(5), NOW.plusSeconds(5).plus(PROCESSING_LEASE))).unpublished());
        assertEquals("published", published.timeline().get(published.timeline().size() - 1).what());
    }

    @Test
    void replay_keepsUnpublishedEventsForTheNextRun_whoseProcessedWriteReplacesOrDropsThem() {
        store.create(received("p2", NOW, "x"), NOW);
        store.claim(key("p2"), "w1", NOW, NOW.plus(PROCESSING_LEASE));
        store.markProcessed(key("p2"), "w1", NOW.plusSeconds(1), "h",
                Optional.of(new PendingPublish("w1", List.of(change("p2", 1)))));
        Instant replayAt = NOW.plusSeconds(60);

        assertTrue(store.markForReplay(key("p2"), replayAt, replayAt.plus(INTAKE_LEASE)));
        var claimed = assertInstanceOf(ClaimOutcome.Claimed.class, store.claim(key("p2"), "w2", replayAt,
                replayAt.plus(PROCESSING_LEASE)));
        assertEquals(List.of(change("p2", 1)), claimed.record().pending().orElseThrow().events(),
                "the claimed record carries what the earlier run left unpublished");

        assertTrue(store.markProcessed(key("p2"), "w2", replayAt.plusSeconds(1), "h"));
        assertTrue(find("p2", replayAt.plusSeconds(2)).pending().isEmpty(), "a run with nothing to publish drops it");
        assertNotEquals(0, find("p2", replayAt.plusSeconds(2)).processedCount());
    }

    @Test
    void manyPendingEvents_roundTripExactly() {
        store.create(received("p3", NOW, "x"), NOW);
        store.claim(key("p3"), "w1", NOW, NOW.plus(PROCESSING_LEASE));
        List<DomainEvent> fifty = java.util.stream.IntStream.range(0, 50).mapToObj(i -> change("p3", i)).toList();

        store.markProcessed(key("p3"), "w1", NOW.plusSeconds(1), "h", Optional.of(new PendingPublish("w1", fifty)));

        assertEquals(fifty, find("p3", NOW.plusSeconds(2)).pending().orElseThrow().events());
    }
}
