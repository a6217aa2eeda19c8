package dev.inlet.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.core.observe.Log;
import dev.inlet.core.outbox.ReplayService;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventQuery;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStatus;
import dev.inlet.core.testing.CapturingSink;
import dev.inlet.core.testing.InMemoryEventQueue;
import dev.inlet.core.testing.InMemoryEventStore;
import dev.inlet.core.testing.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What {@code ./inlet events} and {@code ./inlet replay} print over a store. */
class EventCommandsTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private final InMemoryEventStore store = new InMemoryEventStore();
    private final InMemoryEventQueue queue = new InMemoryEventQueue();
    private final MutableClock clock = new MutableClock(T0);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private void stored(int n) {
        for (int i = 0; i < n; i++) {
            Instant at = T0.plusSeconds(i);
            store.create(EventRecord.received(new EventKey("rheo", String.format("e%04d", i)), "item.sold", at,
                    Optional.empty(), new byte[0], Map.of(), at.plusSeconds(30), at.plus(Duration.ofDays(30))), at);
        }
        clock.set(T0.plusSeconds(n));
    }

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void events_printsTheNewestLimitRecords_newestFirst() {
        stored(30);

        EventsCommand.print(store, new EventQuery(Optional.of("rheo"), Optional.empty(), Optional.empty(),
                Optional.empty(), 3), true, out, clock.instant());

        List<String> lines = lines();
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).contains("\"dedupKey\":\"e0029\""));
        assertTrue(lines.get(2).contains("\"dedupKey\":\"e0027\""));
    }

    @Test
    void eventsId_printsOneEventWithItsStoredHistoryInTimeOrder() {
        stored(1);
        EventKey key = new EventKey("rheo", "e0000");
        store.claim(key, "w1", T0.plusMillis(150), T0.plusSeconds(90));
        store.markProcessed(key, "w1", T0.plusMillis(190), "RheoItemHandler");

        int rc = EventsCommand.show(store, key, false, out, T0.plusSeconds(5));

        assertEquals(0, rc);
        assertEquals(List.of("rheo#e0000  item.sold  PROCESSED",
                "  history: received 2026-11-25T10:00:00Z -> processing 2026-11-25T10:00:00.150Z -> processed "
                        + "2026-11-25T10:00:00.190Z (attempts 1, resends 0, replays 0, processed 1)",
                "  handled by: RheoItemHandler"), lines());
    }

    @Test
    void events_withAType_listsOnlyThatType() {
        stored(5);
        store.create(EventRecord.received(new EventKey("rheo", "rare"), "listing.failed", T0, Optional.empty(),
                new byte[0], Map.of(), T0.plusSeconds(30), T0.plus(Duration.ofDays(30))), T0);

        EventsCommand.print(store, new EventQuery(Optional.empty(), Optional.empty(), Optional.of("listing.failed"),
                Optional.empty(), Optional.empty(), 3), true, out, clock.instant());

        assertEquals(1, lines().size(), lines().toString());
        assertTrue(lines().get(0).contains("\"dedupKey\":\"rare\""), lines().get(0));
    }

    @Test
    void replayDryRun_printsHowManyWouldBeReplayed_andSendsNothing() {
        stored(1_200);
        ReplayService replay = new ReplayService(store, queue, clock, new Log(new CapturingSink(), clock));

        ReplayCommand.range(replay, new EventQuery(Optional.of("rheo"), Optional.empty(), Optional.empty(),
                Optional.empty(), 1000), true, 0, out, "test");

        assertEquals(List.of("1200 event(s) would be replayed on test."), lines());
        assertTrue(queue.sent().isEmpty());
    }

    @Test
    void replayRange_coversEveryMatch_withProgressLines_atMostRateSendsPerSecond() {
        stored(1_000);
        ReplayService replay = new ReplayService(store, queue, clock, new Log(new CapturingSink(), clock));
        long started = System.nanoTime();

        int rc = ReplayCommand.range(replay, new EventQuery(Optional.of("rheo"), Optional.empty(), Optional.empty(),
                Optional.empty(), 1000), false, 2_000, out, "test");

        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(0, rc);
        assertEquals(1_000, queue.sent().size());
        assertTrue(seconds >= 0.45, "1,000 sends at 2,000/s take half a second, took " + seconds);
        List<String> lines = lines();
        assertEquals(2, lines.stream().filter(l -> l.startsWith("... ")).count(), "a progress line per 500");
        assertEquals(ReplayCommand.SHOWN_ONE_BY_ONE, lines.stream().filter(l -> l.startsWith("replayed ")).count());
        assertTrue(lines.get(lines.size() - 1).startsWith("1000 of 1000 event(s) queued"));
        assertTrue(store.list(EventQuery.all(), clock.instant()).stream()
                .allMatch(r -> r.status() == EventStatus.QUEUED && r.replayCount() == 1));
    }
}
