package dev.inlet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.core.outbox.ReplayService;
import dev.inlet.core.outbox.ReplayService.Result;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventQuery;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Replay is outbox-first (issue 14, item 2): the record goes back into the outbox with a lease, then the
 * send. Faults are injected between the two steps at the SDK boundary; no crash point strands a record.
 */
class ReplayOutboxTest {
    private final Pipeline p = new Pipeline();

    private void processedOnce(String eventId) throws Exception {
        p.deliver(Pipeline.body(eventId, p.clock.instant()));
        p.drain();
        assertEquals(1, p.record(eventId).processedCount());
    }

    @Test
    void replaySendFails_theRecordStaysInTheOutbox_andTheSweeperSendsItAfterTheLease() throws Exception {
        processedOnce("evt_rp1");
        p.sqsFaults.failNext("SendMessage", 1);

        ReplayService.Outcome outcome = p.replay.replay(new EventKey("rheo", "evt_rp1"));

        assertEquals(Result.DEFERRED, outcome.result(), outcome.why());
        assertEquals(EventStatus.QUEUED, p.record("evt_rp1").status());
        assertEquals(0, p.depth(p.queueUrl, true), "the send never happened");
        assertEquals(0, p.sweeper.sweep().sent(), "the replay's lease still holds");
        p.clock.advance(Pipeline.INTAKE_LEASE.plusSeconds(1));
        assertEquals(1, p.sweeper.sweep().sent());
        p.drain();
        assertEquals(EventStatus.PROCESSED, p.record("evt_rp1").status());
        assertEquals(2, p.record("evt_rp1").processedCount(), "once on arrival, once for the replay");
        assertEquals(2, p.runs("evt_rp1"));
    }

    @Test
    void replayWriteLandsButItsAnswerIsLost_isReportedFailed_andTheSweeperStillSendsIt() throws Exception {
        processedOnce("evt_rp2");
        p.dynamoFaults.failAlways("UpdateItem", FaultInjector.When.AFTER_RESPONSE);

        ReplayService.Outcome outcome = p.replay.replay(new EventKey("rheo", "evt_rp2"));

        p.dynamoFaults.heal();
        assertEquals(Result.FAILED, outcome.result());
        assertEquals(EventStatus.QUEUED, p.record("evt_rp2").status(), "the write went through unseen");
        p.clock.advance(Pipeline.INTAKE_LEASE.plusSeconds(1));
        assertEquals(1, p.sweeper.sweep().sent());
        p.drain();
        assertEquals(2, p.record("evt_rp2").processedCount());
    }

    @Test
    void rangeReplay_coversEveryMatchBeyondAThousand_andOneFailedSendDoesNotStopTheRest() throws Exception {
        Instant start = p.clock.instant();
        int events = 1_050;
        for (int i = 0; i < events; i++) {   // stored straight away: the range, not intake, is under test
            Instant at = p.clock.instant();
            p.cleanStore.create(EventRecord.received(new EventKey("rheo", String.format("evt_range_%04d", i)),
                    "item.sold", at, Optional.empty(), Pipeline.body("x", at), Map.of(), at,
                    at.plus(Duration.ofDays(30))), at);
            p.clock.advance(Duration.ofMillis(10));
        }
        EventQuery range = new EventQuery(Optional.of("rheo"), Optional.empty(), Optional.of(start),
                Optional.of(p.clock.instant()), 1000);

        ReplayService.Summary dry = p.replay.replay(range, true, o -> { });
        assertEquals(new ReplayService.Summary(events, 0, 0, 0, 0), dry);

        p.sqsFaults.failNext("SendMessage", 1);
        List<ReplayService.Outcome> seen = new ArrayList<>();
        ReplayService.Summary done = p.replay.replay(range, false, seen::add);

        assertEquals(new ReplayService.Summary(events, events - 1, 1, 0, 0), done);
        assertEquals(events, seen.stream().map(ReplayService.Outcome::key).distinct().count());
        assertEquals(events - 1, p.depth(p.queueUrl, true));
        assertTrue(p.records().stream().allMatch(r -> r.status() == EventStatus.QUEUED && r.replayCount() == 1));
        p.clock.advance(Pipeline.INTAKE_LEASE.plusSeconds(1));
        assertEquals(events, p.cleanStore.dueForSend(p.clock.instant(), events).size(),
                "every replayed record waits in the outbox until claimed");
    }
}
