package dev.inlet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStatus;
import dev.inlet.core.store.StatusHistory.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The record keeps its own status history: when it last entered each status, written by the updates
 * that change the status anyway (claim, complete, failure, replay, sweeper resend), so a record read
 * long after the fact still tells its story. Against DynamoDB Local and ElasticMQ, on one clock.
 */
class StatusHistoryTest {
    /** How long the handler takes: the clock moves while it runs. */
    private static final Duration HANDLER_RUN = Duration.ofMillis(40);

    private final Pipeline p = new Pipeline();

    StatusHistoryTest() {
        p.handler = event -> p.clock.advance(HANDLER_RUN);
    }

    @Test
    void processedEvent_historyHoldsReceivedProcessingAndProcessedTimes_inOrder() {
        Instant received = p.clock.instant();
        p.deliver(Pipeline.body("evt_h1", received));
        p.clock.advance(Duration.ofMillis(27));
        Instant claimed = p.clock.instant();

        p.pollOnce(false);

        EventRecord r = p.record("evt_h1");
        assertEquals(EventStatus.PROCESSED, r.status());
        assertEquals(List.of(new Step("received", received), new Step("processing", claimed),
                new Step("processed", claimed.plus(HANDLER_RUN))), r.timeline());
        assertEquals(Optional.of(claimed), r.history().at(EventStatus.PROCESSING));
        assertEquals(1, r.attempts());
    }

    @Test
    void replay_addsQueuedThenProcessingAndProcessedAgain_atLaterTimes() {
        Instant received = p.clock.instant();
        p.deliver(Pipeline.body("evt_h2", received));
        p.pollOnce(false);
        p.clock.advance(Duration.ofMinutes(5));
        Instant replayed = p.clock.instant();

        p.replay.replay(new EventKey("rheo", "evt_h2"));
        p.clock.advance(Duration.ofMillis(15));
        Instant reclaimed = p.clock.instant();
        p.pollOnce(false);

        EventRecord r = p.record("evt_h2");
        assertEquals(List.of(new Step("received", received), new Step("queued", replayed),
                new Step("processing", reclaimed), new Step("processed", reclaimed.plus(HANDLER_RUN))), r.timeline());
        assertEquals(1, r.replayCount());
        assertEquals(2, r.processedCount());
    }

    @Test
    void failedAttempts_recordQueuedForTheRetry_andFailedWhenProcessingGivesUp() {
        p.handler = event -> {
            p.clock.advance(HANDLER_RUN);
            throw new IllegalStateException("price feed unavailable");
        };
        Instant received = p.clock.instant();
        p.deliver(Pipeline.body("evt_h3", received));

        for (int receive = 1; receive <= 5; receive++) {
            p.pollOnce(true);
        }

        EventRecord r = p.record("evt_h3");
        assertEquals(EventStatus.FAILED, r.status());
        Instant failedAt = r.history().at(EventStatus.FAILED).orElseThrow(() -> new AssertionError("no FAILED time"));
        assertEquals(p.clock.instant(), failedAt, "the give-up is the last thing that happened");
        Instant retryAt = r.history().at(EventStatus.QUEUED).orElseThrow(() -> new AssertionError("no retry time"));
        Instant lastClaim = r.history().at(EventStatus.PROCESSING).orElseThrow();
        assertTrue(retryAt.isBefore(lastClaim) && lastClaim.isBefore(failedAt), r.timeline().toString());
        assertEquals(List.of("received", "queued", "processing", "failed"),
                r.timeline().stream().map(Step::what).toList());
        assertEquals(5, r.attempts());
    }

    @Test
    void sweeperResend_recordsWhenTheRecordWasResent() {
        p.sqsFaults.failNext("SendMessage", 1);
        Instant received = p.clock.instant();
        p.deliver(Pipeline.body("evt_h4", received));
        p.clock.advance(Pipeline.INTAKE_LEASE.plusSeconds(1));
        Instant resent = p.clock.instant();

        assertEquals(1, p.sweeper.sweep().sent());

        EventRecord r = p.record("evt_h4");
        assertEquals(Optional.of(resent), r.history().lastResendAt());
        assertEquals(List.of(new Step("received", received), new Step("resent", resent)), r.timeline());
        assertEquals(1, r.resends());
    }
}
