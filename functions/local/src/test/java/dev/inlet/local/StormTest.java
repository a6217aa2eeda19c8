package dev.inlet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.core.ingest.IntakeResult;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The storm: 2,000 events, a third of them delivered two to five times, in a shuffled order, while
 * DynamoDB and SQS calls fail at random (fixed seeds; half before the call reaches the backend, half
 * after it answered). Then the outage ends and the system settles by itself (sweeper, redeliveries;
 * a redrive of whatever reached the DLQ). At the end every unique event is PROCESSED, by exactly one
 * completed run: none lost, none double.
 */
class StormTest {
    private static final int EVENTS = 2_000;

    @Test
    void twoThousandEvents_withDuplicatesAndRandomFaults_areEachProcessedExactlyOnce() throws Exception {
        Pipeline p = new Pipeline();
        Random random = new Random(2026);
        List<byte[]> bodies = new ArrayList<>();
        Instant sent = p.clock.instant();
        for (int i = 0; i < EVENTS; i++) {
            bodies.add(Pipeline.body("evt_storm_" + i, sent));
        }
        List<byte[]> deliveries = new ArrayList<>(bodies);
        int duplicated = 0;
        for (int i = 0; i < EVENTS; i++) {
            if (i % 3 == 0) {
                duplicated++;
                for (int extra = 1 + random.nextInt(4); extra > 0; extra--) {
                    deliveries.add(bodies.get(i));
                }
            }
        }
        Collections.shuffle(deliveries, random);
        p.dynamoFaults.failRandomly(Set.of("PutItem", "GetItem", "UpdateItem", "Query"), 0.03, 42);
        p.sqsFaults.failRandomly(Set.of("SendMessage"), 0.05, 43);

        ConcurrentLinkedQueue<byte[]> pending = new ConcurrentLinkedQueue<>(deliveries);
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger unavailable = new AtomicInteger();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicBoolean delivering = new AtomicBoolean(true);
        long started = System.nanoTime();
        ExecutorService senders = Executors.newFixedThreadPool(8);
        for (int t = 0; t < 8; t++) {
            senders.submit(() -> {
                byte[] body;
                while ((body = pending.poll()) != null) {
                    attempts.incrementAndGet();
                    IntakeResult r = p.deliver(body);
                    if (r.status() == 503) {
                        unavailable.incrementAndGet();
                        pending.add(body);        // the provider retries later
                    } else if (r instanceof IntakeResult.Duplicate) {
                        duplicates.incrementAndGet();
                    }
                }
            });
        }
        ExecutorService pollers = Executors.newFixedThreadPool(2);
        List<java.util.concurrent.Future<?>> polling = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            // Faults are injected into the processor's DynamoDB calls only; the processor answers them as
            // batch item failures (held in flight until the outage ends). Anything thrown fails the test.
            polling.add(pollers.submit(() -> {
                while (delivering.get()) {
                    if (p.pollOnce(false) == 0) {
                        Thread.sleep(20);
                    }
                }
                return null;
            }));
        }
        senders.shutdown();
        assertTrue(senders.awaitTermination(Pipeline.HUNG.toMinutes(), TimeUnit.MINUTES), "hung");
        delivering.set(false);
        pollers.shutdown();
        assertTrue(pollers.awaitTermination(Pipeline.HUNG.toMinutes(), TimeUnit.MINUTES), "hung");
        for (var poller : polling) {
            poller.get();   // rethrows what a poller threw: a processor never throws out of a batch
        }
        int injected = p.dynamoFaults.injected() + p.sqsFaults.injected();

        // The outage ends. The system settles by itself; what reached the DLQ is redriven, as an operator would.
        p.dynamoFaults.heal();
        p.sqsFaults.heal();
        int swept = 0;
        int redriven = 0;
        for (int round = 0; round < 10 && !allProcessed(p); round++) {
            p.clock.advance(Pipeline.PROCESSING_LEASE.plusSeconds(1));
            swept += p.sweeper.sweep().sent();
            redriven += p.redrive.redrive(10_000);
            p.drain();
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        List<EventRecord> records = p.records();
        Map<String, Integer> completed = p.completedRuns();
        int handlerRuns = p.handlerRuns.values().stream().mapToInt(AtomicInteger::get).sum();
        System.out.printf("STORM events=%d duplicatedEvents=%d deliveries=%d attempts=%d answered503=%d "
                        + "duplicateAnswers=%d injectedFaults=%d swept=%d redrivenFromDlq=%d handlerRuns=%d "
                        + "completionsSeenByTheProcessor=%d seconds=%.1f%n", EVENTS, duplicated, deliveries.size(), attempts.get(),
                unavailable.get(), duplicates.get(), injected, swept, redriven, handlerRuns,
                completed.values().stream().mapToInt(Integer::intValue).sum(), seconds);

        assertEquals(EVENTS, records.size(), "one record per unique event, none invented");
        assertEquals(Map.of(EventStatus.PROCESSED, (long) EVENTS),
                records.stream().collect(Collectors.groupingBy(EventRecord::status, Collectors.counting())),
                "none lost");
        assertEquals(Map.of(1, (long) EVENTS),
                records.stream().collect(Collectors.groupingBy(EventRecord::processedCount, Collectors.counting())),
                "each record reached PROCESSED exactly once: none double");
        assertEquals(EVENTS, p.handlerRuns.size(), "every event's handler ran");
        assertTrue(injected > 100, "the storm really injected faults: " + injected);
    }

    private static boolean allProcessed(Pipeline p) {
        List<EventRecord> records = p.records();
        return records.size() == EVENTS && records.stream().allMatch(r -> r.status() == EventStatus.PROCESSED);
    }
}
