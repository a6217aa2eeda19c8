package dev.inlet.local.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.core.publish.BusUnavailableException;
import dev.inlet.core.publish.DomainEvent;
import dev.inlet.core.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-process bus of {@code ./inlet local} and what another process reads of it. */
class LocalBusTest {
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
    private final MutableClock clock = new MutableClock(T0);
    @TempDir
    Path dir;

    static DomainEvent event(String provider, String key) {
        return new DomainEvent("inlet." + provider, "Rheo Item Changed",
                "{\"eventKey\":\"" + key + "\",\"entity\":{\"type\":\"item\",\"id\":\"SKU-" + key + "\"},\"state\":\"sold\"}",
                key, T0.minusSeconds(5), Optional.of("Root=1-67890abc-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1"));
    }

    @Test
    void published_isReadBackInOrder_withSeqFromOne_andTheClocksPublishTime() {
        try (LocalBus bus = LocalBus.open(dir, "inlet-local", clock, 100)) {
            bus.publish(List.of(event("rheo", "a"), event("rheo", "b")));
            clock.advance(Duration.ofSeconds(3));
            bus.publish(List.of(event("reverb", "c")));

            try (LocalBus other = LocalBus.open(dir, "other", clock, 1)) {
                assertEquals(List.of(), other.log().all(), "another bus's files are its own");
            }
            List<PublishedEvent> all = PublishedLog.of(dir, "inlet-local").all();

            assertEquals(List.of(1L, 2L, 3L), all.stream().map(PublishedEvent::seq).toList());
            assertEquals(List.of(T0, T0, T0.plusSeconds(3)), all.stream().map(PublishedEvent::publishedAt).toList());
            assertEquals(event("reverb", "c"), all.get(2).event(), "the event exactly as published");
            assertEquals("item SKU-c", all.get(2).entity());
            assertEquals("reverb#c", all.get(2).eventId());
        }
    }

    @Test
    void aFollowerAskingAfterTheLastSeqItSaw_getsOnlyTheNewEvents() {
        try (LocalBus bus = LocalBus.open(dir, "inlet-local", clock, 100)) {
            PublishedLog log = bus.log();
            bus.publish(List.of(event("rheo", "a"), event("rheo", "b")));
            long last = log.all().get(1).seq();

            assertEquals(List.of(), log.after(last));
            bus.publish(List.of(event("rheo", "c")));

            List<PublishedEvent> next = log.after(last);
            assertEquals(1, next.size());
            assertEquals("c", next.get(0).event().eventKey());
        }
    }

    @Test
    void pastKeepEvents_theFileRotates_andAtMostTwiceKeepAreKept_whileSeqGoesOn() throws Exception {
        try (LocalBus bus = LocalBus.open(dir, "inlet-local", clock, 10)) {
            for (int i = 0; i < 35; i++) {
                bus.publish(List.of(event("rheo", "e" + i)));
            }

            List<PublishedEvent> kept = bus.log().all();
            assertTrue(kept.size() <= 20 && kept.size() >= 10, "kept " + kept.size());
            assertEquals(35L, kept.get(kept.size() - 1).seq());
            assertEquals(LongRange.of(kept.get(0).seq(), 35), kept.stream().map(PublishedEvent::seq).toList(),
                    "no gap in what is kept");
            try (var files = Files.list(dir)) {
                assertEquals(3, files.count(), "the current file, one rotated file and the pid file");
            }
        }
    }

    @Test
    void newest_readsTheNewestFirst_acrossTheRotatedFile() {
        try (LocalBus bus = LocalBus.open(dir, "inlet-local", clock, 10)) {
            for (int i = 0; i < 15; i++) {
                bus.publish(List.of(event("rheo", "e" + i)));
            }

            assertEquals(List.of(15L, 14L, 13L, 12L, 11L, 10L, 9L),
                    bus.log().newest(7).stream().map(PublishedEvent::seq).toList());
            assertEquals(15, bus.log().size());
        }
    }

    @Test
    void madeBy_findsTheEventsOfOneInletEvent_byItsKeyOrId_andNoOtherWhoseKeyContainsIt() {
        try (LocalBus bus = LocalBus.open(dir, "inlet-local", clock, 100)) {
            bus.publish(List.of(event("rheo", "a"), event("rheo", "ab"), event("reverb", "a"), event("rheo", "a")));

            List<PublishedEvent> byId = bus.log().madeBy("rheo#a");
            assertEquals(List.of(1L, 4L), byId.stream().map(PublishedEvent::seq).toList());
            assertEquals(List.of(3L), bus.log().madeBy("reverb#a").stream().map(PublishedEvent::seq).toList());
            assertEquals(List.of(4L), bus.log().after(1, Optional.of("rheo#a")).stream().map(PublishedEvent::seq).toList());
        }
    }

    @Test
    void aRefusingBus_throwsBusUnavailable_takesNothing_andTakesTheRetry() {
        try (LocalBus bus = LocalBus.open(dir, "inlet-local", clock, 100)) {
            bus.refuseNext(1);

            assertThrows(BusUnavailableException.class, () -> bus.publish(List.of(event("rheo", "a"))));
            assertEquals(List.of(), bus.log().all());

            bus.publish(List.of(event("rheo", "a")));
            assertEquals(1, bus.log().all().size());
        }
    }

    @Test
    void moreThanTheBatchLimitInOneCall_isRefusedAsEventBridgeRefusesIt() {
        try (LocalBus bus = LocalBus.open(dir, "inlet-local", clock, 100)) {
            List<DomainEvent> eleven = IntStream.range(0, 11).mapToObj(i -> event("rheo", "e" + i)).toList();

            assertThrows(IllegalArgumentException.class, () -> bus.publish(eleven));
            assertEquals(List.of(), bus.log().all());
        }
    }

    @Test
    void aLineStillBeingWritten_isReadNextTime_notAsAnError() throws Exception {
        try (LocalBus bus = LocalBus.open(dir, "inlet-local", clock, 100)) {
            bus.publish(List.of(event("rheo", "a")));
            Files.writeString(LocalBus.current(dir, "inlet-local"), "{\"seq\":2,\"publishedAt\":\"20",
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);

            assertEquals(1, bus.log().all().size());
        }
    }

    @Test
    void whileOpen_theBusIsLive_andAfterCloseItIsNot_andItsFilesAreGone() throws Exception {
        LocalBus bus = LocalBus.open(dir, "inlet-local", clock, 100);
        PublishedLog log = PublishedLog.of(dir, "inlet-local");
        assertTrue(log.live());
        assertThrows(IllegalStateException.class, () -> LocalBus.open(dir, "inlet-local", clock, 100),
                "one stack per bus name");

        bus.close();

        assertFalse(log.live());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void aStackThatDiedWithoutClosing_isNotLive() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(LocalBus.pidFile(dir, "inlet-local"), Long.toString(gone.pid()));

        assertFalse(PublishedLog.of(dir, "inlet-local").live());
        LocalBus.open(dir, "inlet-local", clock, 100).close(); // and a new stack takes the name over
    }

    @Test
    void aNameThatIsNoBusName_isRefused_beforeAnyFileIsNamedAfterIt() {
        for (String name : List.of("", "../x", "a/b", ".hidden", "x".repeat(257))) {
            assertThrows(IllegalArgumentException.class, () -> PublishedLog.of(dir, name), name);
        }
    }

    /** Consecutive longs, for "no gap" assertions. */
    private static final class LongRange {
        static List<Long> of(long from, long toInclusive) {
            return java.util.stream.LongStream.rangeClosed(from, toInclusive).boxed().toList();
        }
    }
}
