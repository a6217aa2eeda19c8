package dev.inlet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.core.ingest.IntakeResult;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md's invariants 1, 2, 3, 5 and 6 under failure: each fault is injected at the AWS SDK
 * boundary, the real code runs against DynamoDB Local and ElasticMQ, and time moves by the clock.
 */
class ReliabilityTest {
    private final Pipeline p = new Pipeline();

    @Test
    void sqsSendFailsAfterThePut_isStill200_andTheSweeperDeliversIt_processedOnce() throws Exception {
        p.sqsFaults.failNext("SendMessage", 1);

        IntakeResult result = p.deliver(Pipeline.body("evt_f1", p.clock.instant()));

        assertEquals(new IntakeResult.Accepted(new EventKey("rheo", "evt_f1"), false), result);
        assertEquals(EventStatus.RECEIVED, p.record("evt_f1").status());
        assertEquals(0, p.sweeper.sweep().sent(), "nothing is due while the intake lease lives");
        p.clock.advance(Pipeline.INTAKE_LEASE.plusSeconds(1));
        assertEquals(1, p.sweeper.sweep().sent());
        p.drain();
        assertEquals(EventStatus.PROCESSED, p.record("evt_f1").status());
        assertEquals(1, p.runs("evt_f1"));
        assertTrue(p.sink.all().contains("\"Name\":\"swept\""), "sweeper resends are counted");
    }

    @Test
    void dynamoDbPutDown_is503AndStoresNothing_andTheProvidersRetryLaterSucceeds() throws Exception {
        p.dynamoFaults.failAlways("PutItem", FaultInjector.When.BEFORE_SEND);
        byte[] body = Pipeline.body("evt_f2", p.clock.instant());

        IntakeResult down = p.deliver(body);

        assertEquals(503, down.status());
        assertTrue(p.records().isEmpty(), "nothing stored");
        assertEquals(0, p.depth(p.queueUrl, true), "nothing queued");
        p.dynamoFaults.heal();
        assertEquals(200, p.deliver(body).status());
        p.drain();
        assertEquals(EventStatus.PROCESSED, p.record("evt_f2").status());
        assertEquals(1, p.runs("evt_f2"));
    }

    @Test
    void receiverDiesBetweenPutAndSend_retryDuringTheLeaseIsADuplicate_andTheSweeperDelivers() throws Exception {
        byte[] body = Pipeline.body("evt_f3a", p.clock.instant());
        p.sqsFaults.failNext("SendMessage", 1);
        p.deliver(body);                                   // stored; the send never happened
        p.clock.advance(Duration.ofSeconds(8));

        IntakeResult retry = p.deliver(body);              // Rheo's retry, inside the lease

        assertEquals(new IntakeResult.Duplicate(new EventKey("rheo", "evt_f3a"), false), retry);
        assertEquals(0, p.depth(p.queueUrl, true));
        p.clock.advance(Pipeline.INTAKE_LEASE);
        assertEquals(1, p.sweeper.sweep().sent());
        p.drain();
        assertEquals(1, p.runs("evt_f3a"));
        assertEquals(EventStatus.PROCESSED, p.record("evt_f3a").status());
    }

    @Test
    void receiverDiesBetweenPutAndSend_retryAfterTheLeaseResendsIt_andTheSweeperFindsNothingLeft() throws Exception {
        byte[] body = Pipeline.body("evt_f3b", p.clock.instant());
        p.sqsFaults.failNext("SendMessage", 1);
        p.deliver(body);
        p.clock.advance(Pipeline.INTAKE_LEASE.plusSeconds(1));

        IntakeResult retry = p.deliver(body);

        assertEquals(new IntakeResult.Duplicate(new EventKey("rheo", "evt_f3b"), true), retry);
        assertEquals(0, p.sweeper.sweep().due(), "the retry already sent it");
        p.drain();
        assertEquals(1, p.runs("evt_f3b"));
        assertEquals(EventStatus.PROCESSED, p.record("evt_f3b").status());
    }

    @Test
    void processorDiesAfterClaiming_theClaimExpires_andRedeliveryProcessesItOnce() throws Exception {
        p.deliver(Pipeline.body("evt_f4", p.clock.instant()));
        EventKey key = new EventKey("rheo", "evt_f4");
        var message = p.cleanSqs.receiveMessage(r -> r.queueUrl(p.queueUrl).waitTimeSeconds(1)).messages().get(0);
        // The dying processor's claim: then nothing, no PROCESSED, no delete.
        p.store.claim(key, "worker-that-dies", p.clock.instant(), p.clock.instant().plus(Pipeline.PROCESSING_LEASE));
        assertEquals(EventStatus.PROCESSING, p.record("evt_f4").status());
        p.expire(message);   // its visibility timeout passes, and with it the dead claim's lease

        p.drain();   // the redelivery comes after the visibility timeout, past the lease

        assertEquals(EventStatus.PROCESSED, p.record("evt_f4").status());
        assertEquals(1, p.runs("evt_f4"));
        assertEquals(2, p.record("evt_f4").attempts(), "the dead claim, then the one that completed");
    }

    @Test
    void handlerThatAlwaysThrows_endsInTheDlqAsFailedWithTheReason_andRedriveAfterTheFixProcessesIt()
            throws Exception {
        AtomicBoolean fixed = new AtomicBoolean();
        var counting = p.handler;
        p.handler = event -> {
            if (!fixed.get()) {
                throw new IllegalStateException("price feed unavailable");
            }
            counting.handle(event);
        };
        p.deliver(Pipeline.body("evt_f5", p.clock.instant()));

        for (int receive = 1; receive <= 5; receive++) {
            assertEquals(1, p.pollOnce(true), "receive " + receive);
        }
        assertEquals(0, p.pollOnce(true), "after 5 receives SQS moves it to the DLQ");

        var failed = p.record("evt_f5");
        assertEquals(EventStatus.FAILED, failed.status());
        assertEquals("IllegalStateException: price feed unavailable", failed.lastError().orElseThrow());
        assertEquals(1, p.depth(p.deadLetterUrl, false), "DLQ depth is what the alarm watches");
        assertTrue(p.sink.all().contains("\"Name\":\"processing_failed_final\""));

        fixed.set(true);
        assertEquals(1, p.redrive.redrive(100));
        p.drain();
        assertEquals(EventStatus.PROCESSED, p.record("evt_f5").status());
        assertEquals(1, p.runs("evt_f5"));
    }

    @Test
    void fiftyConcurrentDeliveriesOfOneEvent_leaveOneRecordAndOneProcessing() throws Exception {
        byte[] body = Pipeline.body("evt_f6", p.clock.instant());
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Callable<Integer>> deliveries = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            deliveries.add(() -> p.deliver(body).status());
        }
        for (Future<Integer> f : pool.invokeAll(deliveries)) {
            assertEquals(200, f.get());
        }
        pool.shutdown();

        p.drain();

        assertEquals(1, p.records().size());
        assertEquals(1, p.runs("evt_f6"));
        assertEquals(Map.of("evt_f6", 1), p.completedRuns());
    }

    @Test
    void replay_reRunsAProcessedEventOnPurpose_andRecordsIt() throws Exception {
        p.deliver(Pipeline.body("evt_r1", p.clock.instant()));
        p.drain();
        var replay = new dev.inlet.core.outbox.ReplayService(p.cleanStore,
                new dev.inlet.aws.sqs.SqsEventQueue(p.cleanSqs, p.queueUrl), p.clock,
                new dev.inlet.core.observe.Log(p.sink, p.clock));

        p.clock.advance(Duration.ofMinutes(7));
        Instant replayedAt = p.clock.instant();
        assertTrue(replay.replay(new EventKey("rheo", "evt_r1")).replayed());
        p.clock.advance(Duration.ofSeconds(3));
        p.drain();

        var r = p.record("evt_r1");
        assertEquals(EventStatus.PROCESSED, r.status());
        assertEquals(1, r.replayCount());
        assertEquals(Optional.of(replayedAt), r.lastReplayAt(), "the replay's own time, not the arrival's "
                + "or the reprocessing's");
        assertEquals(2, p.runs("evt_r1"), "once on arrival, once on purpose");
        assertInstanceOf(dev.inlet.core.outbox.ReplayService.Outcome.class,
                replay.replay(new EventKey("rheo", "evt_nothing")));
        assertTrue(!replay.replay(new EventKey("rheo", "evt_nothing")).replayed());
    }
}
