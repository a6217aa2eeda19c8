package dev.inlet.rheo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.inlet.core.config.IntakeSettings;
import dev.inlet.core.ingest.Headers;
import dev.inlet.core.ingest.IntakeResult;
import dev.inlet.core.ingest.IntakeService;
import dev.inlet.core.ingest.RawRequest;
import dev.inlet.core.ingest.RejectionReason;
import dev.inlet.core.observe.Log;
import dev.inlet.core.observe.Metrics;
import dev.inlet.core.testing.CapturingSink;
import dev.inlet.core.testing.InMemoryEventQueue;
import dev.inlet.core.testing.InMemoryEventStore;
import dev.inlet.core.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The vector's timestamp (2026-05-27T10:00:00Z) against a 15-minute window. */
class RheoIntakeWindowTest {
    private final InMemoryEventStore store = new InMemoryEventStore();

    private IntakeResult receiveAt(Instant now) {
        MutableClock clock = new MutableClock(now);
        CapturingSink sink = new CapturingSink();
        IntakeService intake = new IntakeService(
                new RheoProvider(List.of(RheoProviderTest.SECRET), Duration.ofMinutes(15)), store,
                new InMemoryEventQueue(), IntakeSettings.from(dev.inlet.core.config.Env.of(Map.of())), clock,
                new Log(sink, clock), new Metrics(sink, clock));
        return intake.receive(new RawRequest(RheoProviderTest.BODY.getBytes(StandardCharsets.UTF_8),
                Headers.of(Map.of("X-Rheo-Signature", RheoProviderTest.SIGNATURE)), Map.of(), "t"));
    }

    @Test
    void withinFifteenMinutes_isAccepted() {
        assertEquals(200, receiveAt(Instant.parse("2026-05-27T10:14:59Z")).status());
    }

    @Test
    void staleTimestamp_is401() {
        assertEquals(new IntakeResult.Rejected(RejectionReason.TIMESTAMP_TOO_OLD, 401),
                receiveAt(Instant.parse("2026-05-27T10:15:01Z")));
        assertEquals(0, store.size());
    }

    @Test
    void futureTimestamp_is401() {
        assertEquals(new IntakeResult.Rejected(RejectionReason.TIMESTAMP_IN_FUTURE, 401),
                receiveAt(Instant.parse("2026-05-27T09:44:59Z")));
        assertEquals(0, store.size());
    }
}
