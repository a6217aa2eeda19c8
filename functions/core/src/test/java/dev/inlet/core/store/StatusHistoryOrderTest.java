package dev.inlet.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.inlet.core.store.StatusHistory.Step;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a stored history reads back: arrival first, then each status by time, the lifecycle breaking ties. */
class StatusHistoryOrderTest {
    private static final Instant T = Instant.parse("2026-11-25T12:00:01.123Z");

    @Test
    void stepsAtTheSameMillisecond_keepTheLifecycleOrder() {
        StatusHistory h = StatusHistory.NONE.entering(EventStatus.PROCESSED, T).entering(EventStatus.PROCESSING, T)
                .entering(EventStatus.QUEUED, T);

        assertEquals(List.of(new Step("received", T), new Step("queued", T), new Step("processing", T),
                new Step("processed", T)), h.inOrder(T, EventStatus.PROCESSED));
    }

    @Test
    void aFailedAttemptInTheMillisecondOfItsClaim_showsTheRetryAfterTheClaim() {
        StatusHistory h = StatusHistory.NONE.entering(EventStatus.PROCESSING, T).entering(EventStatus.QUEUED, T);

        assertEquals(List.of(new Step("received", T), new Step("processing", T), new Step("queued", T)),
                h.inOrder(T, EventStatus.QUEUED));
    }

    @Test
    void aStatusEnteredAgain_appearsOnceAtItsLatestTime_afterTheStepsBeforeIt() {
        StatusHistory h = StatusHistory.NONE.entering(EventStatus.PROCESSING, T.plusMillis(27))
                .entering(EventStatus.PROCESSED, T.plusMillis(67))
                .entering(EventStatus.QUEUED, T.plusSeconds(300))
                .entering(EventStatus.PROCESSING, T.plusSeconds(301))
                .entering(EventStatus.PROCESSED, T.plusSeconds(302));

        assertEquals(List.of("received", "queued", "processing", "processed"),
                h.inOrder(T, EventStatus.PROCESSED).stream().map(Step::what).toList());
        assertEquals(T.plusSeconds(302), h.inOrder(T, EventStatus.PROCESSED).get(3).at());
    }

    @Test
    void quarantinedRecord_startsWithQuarantined() {
        assertEquals(List.of(new Step("quarantined", T)), StatusHistory.NONE.inOrder(T, EventStatus.QUARANTINED));
    }
}
