package dev.inlet.core.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.core.json.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T12:00:00Z"), ZoneOffset.UTC);
    private final List<String> lines = new ArrayList<>();
    private final Log.Sink sink = (level, line) -> lines.add(line);

    @Test
    void detailed_publishesEveryCount() throws Exception {
        Metrics metrics = new Metrics(sink, CLOCK, true);

        metrics.countAll("rheo", "received", "enqueued");
        metrics.count("processed", "rheo");

        assertEquals(2, lines.size());
        assertEquals(1, Json.parse(lines.get(0)).path("received").asInt());
        assertEquals(1, Json.parse(lines.get(0)).path("enqueued").asInt());
    }

    @Test
    void withoutDetail_theRoutineCountsOfAHealthyWebhook_writeNoLine() {
        Metrics metrics = new Metrics(sink, CLOCK, false);

        metrics.countAll("rheo", "received", "enqueued");
        metrics.count("processed", "rheo");
        metrics.count("duplicate", "rheo");

        assertTrue(lines.isEmpty(), lines.toString());
    }

    @Test
    void withoutDetail_failuresAndAlarmedCounts_arePublished_andARoutineNameBesideOneIsDropped() throws Exception {
        Metrics metrics = new Metrics(sink, CLOCK, false);

        metrics.countAll("rheo", "received", "enqueue_failed");
        metrics.count("rejected", "rheo", "bad_signature");
        metrics.count("swept", "rheo");
        metrics.count("notable", "rheo", "listing_failed");

        assertEquals(4, lines.size());
        var first = Json.parse(lines.get(0));
        assertEquals(1, first.path("enqueue_failed").asInt());
        assertFalse(first.has("received"), "the routine count is not published: " + first);
        assertEquals("enqueue_failed", first.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics")
                .get(0).path("Name").asText());
        assertEquals(1, first.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics").size());
        assertEquals(1, Json.parse(lines.get(1)).path("rejected").asInt());
    }
}
