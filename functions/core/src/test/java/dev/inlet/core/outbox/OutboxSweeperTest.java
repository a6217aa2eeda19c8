package dev.inlet.core.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.core.observe.Log;
import dev.inlet.core.observe.Metrics;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.OutboxShard;
import dev.inlet.core.testing.CapturingSink;
import dev.inlet.core.testing.InMemoryEventQueue;
import dev.inlet.core.testing.InMemoryEventStore;
import dev.inlet.core.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The sweeper's bounds, on the in-memory store: lease growth, per-shard quota, time budget. */
class OutboxSweeperTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private final InMemoryEventStore store = new InMemoryEventStore();
    private final InMemoryEventQueue queue = new InMemoryEventQueue();
    private final MutableClock clock = new MutableClock(T0);
    private final CapturingSink sink = new CapturingSink();

    private OutboxSweeper sweeper(int batchLimit, Duration budget, Clock c) {
        return new OutboxSweeper(store, queue, ResendBackoff.startingAt(Duration.ofSeconds(30)), batchLimit, budget,
                c, new Log(sink, c), new Metrics(sink, c));
    }

    private void stranded(String id, Instant at) {
        store.create(EventRecord.received(new EventKey("test", id), "t", at, Optional.empty(), new byte[0], Map.of(),
                at.plusSeconds(30), at.plus(Duration.ofDays(30))), at);
    }

    @Test
    void backoff_doublesFromTheIntakeLease_andStopsAtOneHour() {
        ResendBackoff b = ResendBackoff.startingAt(Duration.ofSeconds(30));

        assertEquals(Duration.ofSeconds(30), b.leaseAfter(0));
        assertEquals(Duration.ofMinutes(1), b.leaseAfter(1));
        assertEquals(Duration.ofMinutes(2), b.leaseAfter(2));
        assertEquals(Duration.ofMinutes(32), b.leaseAfter(6));
        assertEquals(Duration.ofHours(1), b.leaseAfter(7));
        assertEquals(Duration.ofHours(1), b.leaseAfter(40));
    }

    @Test
    void eachResend_doublesThatRecordsLease_andIsCountedOnIt() {
        stranded("e1", T0);
        OutboxSweeper s = sweeper(500, Duration.ofSeconds(40), clock);
        int[] resendAt = new int[8];
        int sends = 0;
        for (int minute = 1; minute <= 120; minute++) {
            clock.set(T0.plus(Duration.ofMinutes(minute)));
            if (s.sweep().sent() == 1) {
                resendAt[sends++] = minute;
            }
        }

        assertEquals(7, sends, "2 hours of backlog: at most 7 resends");
        assertEquals(java.util.List.of(1, 2, 4, 8, 16, 32, 64),
                java.util.Arrays.stream(resendAt, 0, sends).boxed().toList());
        assertEquals(7, store.find(new EventKey("test", "e1"), clock.instant()).orElseThrow().resends());
    }

    @Test
    void oneCrowdedShard_takesAtMostItsQuotaOfARun() {
        int inShardZero = 0;
        for (int i = 0; inShardZero < 200; i++) {
            EventKey key = new EventKey("test", "k" + i);
            if (OutboxShard.of(key).equals("00")) {
                stranded(key.dedupKey(), T0);
                inShardZero++;
            }
        }
        clock.advance(Duration.ofMinutes(1));

        OutboxSweeper.Sweep run = sweeper(500, Duration.ofSeconds(40), clock).sweep();

        assertEquals(OutboxSweeper.perShardQuota(500), run.sent());
        assertTrue(run.sent() < 200);
    }

    @Test
    void run_stopsWhenItsTimeBudgetIsSpent_judgingEachRecordWithAFreshNow() {
        for (int i = 0; i < 50; i++) {
            stranded("b" + i, T0);
        }
        clock.advance(Duration.ofMinutes(1));
        Clock ticking = clock.tickingEachReading(Duration.ofSeconds(1));

        OutboxSweeper.Sweep run = sweeper(500, Duration.ofSeconds(10), ticking).sweep();

        assertTrue(run.stoppedEarly());
        assertTrue(run.sent() < 50 && run.sent() >= 5, "sent " + run.sent());
        assertEquals(run.sent(), queue.sent().size());
    }

    @Test
    void resend_carriesTheTraceHeaderTheRecordWasStoredWith() {
        String trace = "Root=1-67891233-abcdef012345678912345678;Sampled=1";
        store.create(EventRecord.received(new EventKey("test", "traced"), "t", T0, Optional.empty(), new byte[0],
                Map.of(), T0.plusSeconds(30), T0.plus(Duration.ofDays(30))).withTraceHeader(Optional.of(trace)), T0);
        stranded("untraced", T0);
        clock.advance(Duration.ofMinutes(1));

        assertEquals(2, sweeper(500, Duration.ofSeconds(40), clock).sweep().sent());

        assertEquals(Map.of("traced", Optional.of(trace), "untraced", Optional.empty()), queue.sent().stream()
                .collect(java.util.stream.Collectors.toMap(m -> m.key().dedupKey(), m -> m.traceHeader())));
    }
}
