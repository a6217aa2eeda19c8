package dev.inlet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.core.json.Json;
import dev.inlet.core.outbox.OutboxSweeper;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The sweeper cannot multiply a backlog (DESIGN.md invariant 2), against DynamoDB Local and ElasticMQ:
 * a large stranded outbox drains in bounded runs, oldest first; a long processor outage costs each
 * waiting event a bounded number of resends, and each still runs once.
 */
class SweeperBacklogTest {
    private final Pipeline p = new Pipeline();

    /** The event ids the sweeper sent since log line {@code from}. */
    private Set<String> sweptSince(int from) throws Exception {
        Set<String> out = new TreeSet<>();
        List<String> lines = p.sink.lines();
        for (String line : lines.subList(from, lines.size())) {
            if (line.contains("\"event\":\"swept\"")) {
                out.add(Json.mapper().readTree(line).path("eventKey").asText());
            }
        }
        return out;
    }

    @Test
    void fiveThousandStrandedRecords_drainInTenRuns_oldestFirstAcrossShards_andAreEachProcessedOnce()
            throws Exception {
        int stranded = 5_000;
        Instant t0 = p.clock.instant();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Callable<Object>> puts = new ArrayList<>();
        for (int i = 0; i < stranded; i++) {
            Instant at = t0.plusMillis(100L * i);
            String id = String.format("evt_s%05d", i);
            puts.add(() -> p.cleanStore.create(EventRecord.received(new EventKey("rheo", id), "item.sold", at,
                    Optional.empty(), Pipeline.body(id, at), Map.of(), at.plus(Pipeline.INTAKE_LEASE),
                    at.plus(Duration.ofDays(30))), at));
        }
        for (var f : pool.invokeAll(puts)) {
            f.get();
        }
        pool.shutdown();
        p.clock.set(t0.plusMillis(100L * stranded).plus(Duration.ofMinutes(1)));   // every lease has expired

        int runs = 0;
        int next = 0;   // the oldest record not sent yet
        while (next < stranded) {
            int mark = p.sink.lines().size();
            OutboxSweeper.Sweep run = p.sweeper.sweep();
            runs++;
            Set<String> expected = IntStream.range(next, Math.min(next + 500, stranded))
                    .mapToObj(i -> String.format("evt_s%05d", i)).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(expected, sweptSince(mark), "run " + runs + " sends the 500 oldest still waiting");
            assertEquals(500, run.sent());
            next += run.sent();
            assertTrue(runs <= 10, "the documented bound: ceil(5000 / SWEEP_BATCH_LIMIT 500) = 10 runs");
        }
        assertEquals(0, p.sweeper.sweep().due(), "nothing left due");
        assertEquals(stranded, p.depth(p.queueUrl, true), "each sent once");

        p.drainConcurrently(4, Pipeline.HUNG);
        p.clock.advance(Duration.ofHours(2));
        assertEquals(0, p.cleanStore.dueForSend(p.clock.instant(), stranded).size(), "the claims emptied the outbox");
        List<EventRecord> records = p.records();
        assertEquals(stranded, records.size());
        assertTrue(records.stream().allMatch(r -> r.status() == EventStatus.PROCESSED && r.processedCount() == 1));
    }

    @Test
    void processorDownForTwoHours_withAThousandEventsWaiting_costsAtMostSevenResendsEach_andEachRunsOnce()
            throws Exception {
        int events = 1_000;
        for (int i = 0; i < events; i++) {
            assertEquals(200, p.deliver(Pipeline.body(String.format("evt_o%04d", i), p.clock.instant())).status());
        }
        Instant outageStart = p.clock.instant();

        int resends = 0;
        for (int minute = 1; minute <= 120; minute++) {   // the sweeper's schedule; nobody reads the queue
            p.clock.set(outageStart.plus(Duration.ofMinutes(minute)));
            resends += p.sweeper.sweep().sent();
        }

        List<EventRecord> waiting = p.records();
        assertEquals(events, waiting.size());
        int most = waiting.stream().mapToInt(EventRecord::resends).max().orElseThrow();
        assertTrue(most <= 7, "at most 7 resends per event in 2 hours, saw " + most);
        assertEquals(resends, waiting.stream().mapToInt(EventRecord::resends).sum(), "each resend counted on its record");
        assertEquals(events + resends, p.depth(p.queueUrl, true));

        p.drainConcurrently(4, Pipeline.HUNG);   // the processor is back

        List<EventRecord> done = p.records();
        assertTrue(done.stream().allMatch(r -> r.status() == EventStatus.PROCESSED && r.processedCount() == 1));
        assertTrue(p.handlerRuns.values().stream().allMatch(n -> n.get() == 1));
        assertEquals(events, p.handlerRuns.size());
    }
}
