package dev.inlet.core.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.core.observe.Log;
import dev.inlet.core.observe.Metrics;
import dev.inlet.core.store.AuditIndex;
import dev.inlet.core.store.ClaimOutcome;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStatus;
import dev.inlet.core.testing.CapturingSink;
import dev.inlet.core.testing.InMemoryEventQueue;
import dev.inlet.core.testing.InMemoryEventStore;
import dev.inlet.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The stranded-record audit on the in-memory store (same conditions as the DynamoDB adapter): what counts
 * as ownerless, what it does with it, and its bounds.
 */
class StrandedAuditTest {
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(90);
    private static final Duration WINDOW = Duration.ofSeconds(181);
    private final InMemoryEventStore store = new InMemoryEventStore();
    private final InMemoryEventQueue queue = new InMemoryEventQueue();
    private final MutableClock clock = new MutableClock(T0);
    private final CapturingSink sink = new CapturingSink();

    private StrandedAudit audit(AuditIndex index, int readLimit) {
        return new StrandedAudit(index, WINDOW, readLimit, clock, new Log(sink, clock), new Metrics(sink, clock));
    }

    private StrandedAudit audit() {
        return audit(store, 100);
    }

    private static EventKey key(String id) {
        return new EventKey("rheo", id);
    }

    private void received(String id) {
        store.create(EventRecord.received(key(id), "item.sold", T0, Optional.empty(), new byte[0], Map.of(),
                T0.plusSeconds(30), T0.plus(Duration.ofDays(30))), T0);
    }

    /** Claimed at T0 + 1 s, the attempt failed: QUEUED, out of the outbox, waiting for its message to come back. */
    private void failedOnce(String id) {
        received(id);
        Instant claimedAt = T0.plusSeconds(1);
        assertTrue(store.claim(key(id), "w1", claimedAt, claimedAt.plus(LEASE)) instanceof ClaimOutcome.Claimed);
        store.recordFailure(key(id), "w1", "boom", false, claimedAt.plusSeconds(2));
    }

    /** When the last claim's lease (T0 + 91 s) plus the visibility window has passed. */
    private static Instant ownerlessAfter() {
        return T0.plusSeconds(1).plus(LEASE).plus(WINDOW);
    }

    private EventRecord record(String id) {
        return store.find(key(id), clock.instant()).orElseThrow();
    }

    @Test
    void queuedRecordOutOfTheOutbox_whoseMessageNeverCameBack_isReturnedToTheOutboxAndCounted() {
        // given a failed attempt whose message never came back (parked in the DLQ by receive counts, say)
        failedOnce("e1");
        clock.set(ownerlessAfter().plusSeconds(1));

        // when
        StrandedAudit.Report report = audit().run(clock.instant().plusSeconds(10), false);

        // then it is found, with the reason, and put back in the outbox, due at once
        assertEquals(1, report.stranded().size());
        StrandedAudit.Finding f = report.stranded().get(0);
        assertEquals(key("e1"), f.key());
        assertEquals(EventStatus.QUEUED, f.status());
        assertEquals(StrandedAudit.Action.RETURNED, f.action());
        assertTrue(f.why().contains("not in the outbox") && f.why().contains("visibility window (181 s)"), f.why());
        assertEquals(T0.plusSeconds(1).plus(LEASE), f.ownerlessSince(), "since its last lease ended");
        assertEquals(List.of(key("e1")), store.dueForSend(clock.instant(), 10).stream().map(EventRecord::key).toList());
        assertFalse(store.inAuditIndex(key("e1")), "out of the audit index until the next claim");
        assertEquals(1, sink.count("\"StrandedRecovered\":1"), sink.all());
        assertTrue(sink.all().contains("\"Dimensions\":[[\"provider\"],[]]"), "per provider and in total");
        assertEquals(1, sink.count("\"event\":\"stranded_recovered\""));
    }

    @Test
    void returnedRecord_isSentByTheSameSweeperRun_andEndsProcessedOnItsNextClaim() {
        failedOnce("e1");
        clock.set(ownerlessAfter().plusSeconds(1));
        OutboxSweeper sweeper = new OutboxSweeper(store, queue, Duration.ofSeconds(30), 500, clock,
                new Log(sink, clock), new Metrics(sink, clock));
        SweeperRun run = new SweeperRun(audit(), sweeper, Duration.ofSeconds(10), Duration.ofSeconds(45), clock,
                new Log(sink, clock));

        SweeperRun.Result result = run.run(clock.instant().plusSeconds(60));

        assertEquals(1, result.audit().returned());
        assertEquals(1, result.sweep().sent(), "the audit runs first, so this run sends it");
        assertEquals(List.of(key("e1")), queue.sent().stream().map(m -> m.key()).toList());
        Instant now = clock.instant();
        assertTrue(store.claim(key("e1"), "w2", now, now.plus(LEASE)) instanceof ClaimOutcome.Claimed);
        assertTrue(store.markProcessed(key("e1"), "w2", now, "h"));
        assertEquals(EventStatus.PROCESSED, record("e1").status());
        assertFalse(store.inAuditIndex(key("e1")), "a finished record leaves the index");
    }

    @Test
    void anAuditThatBreaks_isLogged_andTheSweepStillRuns() {
        store.create(EventRecord.received(key("unsent"), "item.sold", T0, Optional.empty(), new byte[0], Map.of(),
                T0.plusSeconds(30), T0.plus(Duration.ofDays(30))), T0);
        clock.set(T0.plusSeconds(31));
        AuditIndex broken = new Forwarding(store) {
            @Override
            public List<AuditIndex.Due> dueForAudit(Instant notAfter, int perShard) {
                throw new IllegalStateException("a bug nobody imagined");
            }
        };
        OutboxSweeper sweeper = new OutboxSweeper(store, queue, Duration.ofSeconds(30), 500, clock,
                new Log(sink, clock), new Metrics(sink, clock));

        SweeperRun.Result result = new SweeperRun(audit(broken, 100), sweeper, Duration.ofSeconds(10),
                Duration.ofSeconds(45), clock, new Log(sink, clock)).run(clock.instant().plusSeconds(60));

        assertEquals(1, result.sweep().sent());
        assertEquals(1, sink.count("\"event\":\"audit_failed\""), sink.all());
    }

    @Test
    void anAuditWithNoTimeLeft_isSkipped_andTheSweepKeepsItsBudget() {
        failedOnce("e1");
        clock.set(ownerlessAfter().plusSeconds(1));
        OutboxSweeper sweeper = new OutboxSweeper(store, queue, Duration.ofSeconds(30), 500, clock,
                new Log(sink, clock), new Metrics(sink, clock));

        SweeperRun.Result result = new SweeperRun(audit(), sweeper, Duration.ofSeconds(10), Duration.ofSeconds(45),
                clock, new Log(sink, clock)).run(clock.instant().plusSeconds(40));

        assertEquals(0, result.audit().examined());
        assertTrue(store.inAuditIndex(key("e1")), "left for a run with time to spare");
    }

    @Test
    void processingRecordWhoseLeaseEnded_andWasNeverClaimedAgain_isReturned() {
        // given a processor that died mid-event and a message that then went to the DLQ
        received("e1");
        store.claim(key("e1"), "w1", T0.plusSeconds(1), T0.plusSeconds(1).plus(LEASE));
        clock.set(ownerlessAfter().plusSeconds(1));

        StrandedAudit.Report report = audit().run(clock.instant().plusSeconds(10), false);

        assertEquals(1, report.returned());
        assertEquals(EventStatus.PROCESSING, report.stranded().get(0).status());
        assertTrue(report.stranded().get(0).why().startsWith("PROCESSING, but its lease ended"));
        assertEquals(EventStatus.QUEUED, record("e1").status());
        assertTrue(record("e1").leaseOwner().isEmpty());
    }

    @Test
    void recordWithinTheVisibilityWindow_isLeftAlone_itsMessageMayStillComeBack() {
        failedOnce("e1");
        clock.set(ownerlessAfter().minusSeconds(1));

        StrandedAudit.Report report = audit().run(clock.instant().plusSeconds(10), false);

        assertTrue(report.stranded().isEmpty());
        assertEquals(0, report.examined(), "not even read: its entry is not due yet");
        assertEquals(EventStatus.QUEUED, record("e1").status());
        assertTrue(store.dueForSend(clock.instant(), 10).isEmpty());
        assertEquals(1, sink.count("\"StrandedRecovered\":0"), "a run that found nothing still gives the alarm a 0");
        assertTrue(sink.all().contains("\"Dimensions\":[[]]"), "the 0 is in total only: " + sink.all());
    }

    @Test
    void processingRecordWithALiveLease_isOwned_andItsEntryMovesToTheLeasesEnd() {
        // given a claim with a long lease (a slow handler whose owner extended it, say)
        received("e1");
        Instant longLease = ownerlessAfter().plus(Duration.ofMinutes(10));
        store.claim(key("e1"), "w1", T0.plusSeconds(1), T0.plusSeconds(1).plus(LEASE));
        clock.set(ownerlessAfter().plusSeconds(1));
        AuditIndex extended = new Forwarding(store) {
            @Override
            public Optional<AuditIndex.Entry> inspect(EventKey key) {
                return super.inspect(key).map(e -> new AuditIndex.Entry(lease(e.record(), longLease), false,
                        e.auditAt()));
            }
        };

        StrandedAudit.Report report = audit(extended, 100).run(clock.instant().plusSeconds(10), false);

        assertTrue(report.stranded().isEmpty());
        assertEquals(1, report.tidied());
        assertEquals(List.of(new AuditIndex.Due(key("e1"), longLease)), store.dueForAudit(longLease, 10),
                "read again when that lease ends, not on every run");
        assertEquals(EventStatus.PROCESSING, record("e1").status());
    }

    @Test
    void processedAndFailedRecords_areNotInTheIndex_soTheAuditNeverReadsThem() {
        received("ok");
        store.claim(key("ok"), "w1", T0, T0.plus(LEASE));
        store.markProcessed(key("ok"), "w1", T0.plusSeconds(1), "h");
        received("gave-up");
        store.claim(key("gave-up"), "w1", T0, T0.plus(LEASE));
        store.recordFailure(key("gave-up"), "w1", "boom", true, T0.plusSeconds(1));
        clock.set(T0.plus(Duration.ofDays(1)));

        StrandedAudit.Report report = audit().run(clock.instant().plusSeconds(10), false);

        assertEquals(0, report.examined());
        assertTrue(report.stranded().isEmpty());
    }

    @Test
    void recordBackInTheOutbox_isOwnedByIt_andItsEntryIsDropped() {
        failedOnce("e1");
        store.markForReplay(key("e1"), T0.plusSeconds(5), T0.plusSeconds(35));
        clock.set(ownerlessAfter().plusSeconds(1));

        StrandedAudit.Report report = audit().run(clock.instant().plusSeconds(10), false);

        assertEquals(1, report.examined());
        assertTrue(report.stranded().isEmpty(), "the outbox owns it");
        assertEquals(1, report.tidied());
        assertFalse(store.inAuditIndex(key("e1")));
    }

    @Test
    void dryRun_reportsTheOwnerlessRecord_butWritesAndCountsNothing() {
        failedOnce("e1");
        clock.set(ownerlessAfter().plusSeconds(1));

        StrandedAudit.Report report = audit().run(clock.instant().plusSeconds(10), true);

        assertEquals(StrandedAudit.Action.REPORTED, report.stranded().get(0).action());
        assertEquals(0, report.returned());
        assertEquals(EventStatus.QUEUED, record("e1").status());
        assertTrue(store.dueForSend(clock.instant(), 10).isEmpty(), "still out of the outbox");
        assertTrue(store.inAuditIndex(key("e1")));
        assertEquals(0, sink.count("StrandedRecovered"), sink.all());
    }

    @Test
    void anOwnerThatComesBackBetweenTheReadAndTheWrite_wins() {
        failedOnce("e1");
        clock.set(ownerlessAfter().plusSeconds(1));
        // the message does come back: a claim lands right after the audit's read
        AuditIndex racing = new Forwarding(store) {
            @Override
            public Optional<AuditIndex.Entry> inspect(EventKey key) {
                Optional<AuditIndex.Entry> seen = super.inspect(key);
                Instant now = clock.instant();
                store.claim(key, "w2", now, now.plus(LEASE));
                return seen;
            }
        };

        StrandedAudit.Report report = audit(racing, 100).run(clock.instant().plusSeconds(10), false);

        assertEquals(StrandedAudit.Action.OWNER_CAME_BACK, report.stranded().get(0).action());
        assertEquals(0, report.returned());
        assertEquals(EventStatus.PROCESSING, record("e1").status());
        assertEquals(Optional.of("w2"), record("e1").leaseOwner(), "the claim keeps its lease");
        assertTrue(store.dueForSend(clock.instant().plus(Duration.ofHours(1)), 10).isEmpty());
        assertEquals(0, sink.count("\"StrandedRecovered\":1"));
    }

    @Test
    void oneRun_readsAtMostItsLimit_andTheNextRunsTakeTheRest() {
        for (int i = 0; i < 250; i++) {
            failedOnce(String.format("e%03d", i));
        }
        clock.set(ownerlessAfter().plusSeconds(1));

        StrandedAudit.Report first = audit(store, 100).run(clock.instant().plusSeconds(10), false);
        long returned = first.returned();
        int runs = 1;
        while (returned < 250 && runs < 10) {
            StrandedAudit.Report next = audit(store, 100).run(clock.instant().plusSeconds(10), false);
            assertTrue(next.examined() <= 100, "examined " + next.examined());
            returned += next.returned();
            runs++;
        }

        assertEquals(100, first.examined());
        assertTrue(first.stoppedEarly());
        assertEquals(100, first.returned(), "the oldest 100 first");
        assertEquals(250, returned);
        assertTrue(runs <= 4, "drained in " + runs + " runs (per-shard quotas may leave a run short)");
        assertEquals(250, store.dueForSend(clock.instant(), 250).size());
    }

    @Test
    void aRunStopsAtItsDeadline_leavingTheRestForTheNextRun() {
        for (int i = 0; i < 5; i++) {
            failedOnce("e" + i);
        }
        clock.set(ownerlessAfter().plusSeconds(1));
        MutableClock ticking = clock.tickingEachReading(Duration.ofSeconds(1));
        StrandedAudit audit = new StrandedAudit(store, WINDOW, 100, ticking, new Log(sink, ticking),
                new Metrics(sink, ticking));

        StrandedAudit.Report report = audit.run(clock.instant().plusSeconds(3), false);

        assertTrue(report.stoppedEarly());
        assertTrue(report.returned() < 5, "returned " + report.returned());
        assertEquals(0, sink.count("\"StrandedRecovered\":0"), "no all-clear from an unfinished run");
    }

    @Test
    void storeDown_stopsTheRunQuietly_nothingIsLost() {
        failedOnce("e1");
        clock.set(ownerlessAfter().plusSeconds(1));
        store.setDown(true);

        StrandedAudit.Report report = audit().run(clock.instant().plusSeconds(10), false);

        store.setDown(false);
        assertTrue(report.stoppedEarly());
        assertTrue(store.inAuditIndex(key("e1")), "found by a later run");
        assertEquals(1, sink.count("audit_interrupted"));
    }

    private static EventRecord lease(EventRecord r, Instant until) {
        return new EventRecord(r.key(), r.eventType(), r.receivedAt(), r.providerTime(), r.body(), r.auditHeaders(),
                r.status(), r.attempts(), r.lastError(), until, r.leaseOwner(), r.expiresAt(), r.replayCount(),
                r.handledBy(), r.lastReplayAt(), r.processedCount(), r.resends(), r.history());
    }

    /** An {@link AuditIndex} that forwards to another: tests override one call to stage a race. */
    private static class Forwarding implements AuditIndex {
        private final AuditIndex to;

        Forwarding(AuditIndex to) {
            this.to = to;
        }

        @Override
        public List<Due> dueForAudit(Instant notAfter, int perShard) {
            return to.dueForAudit(notAfter, perShard);
        }

        @Override
        public Optional<Entry> inspect(EventKey key) {
            return to.inspect(key);
        }

        @Override
        public boolean returnToOutbox(Entry seen, Instant now) {
            return to.returnToOutbox(seen, now);
        }

        @Override
        public boolean drop(Entry seen) {
            return to.drop(seen);
        }

        @Override
        public boolean defer(Entry seen, Instant notBefore) {
            return to.defer(seen, notBefore);
        }
    }
}
