package dev.inlet.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.inlet.aws.dynamodb.DynamoDbEventStore;
import dev.inlet.aws.sqs.SqsDeadLetterQueue;
import dev.inlet.core.config.Env;
import dev.inlet.core.config.ProcessingSettings;
import dev.inlet.core.observe.Log;
import dev.inlet.core.observe.Metrics;
import dev.inlet.core.processing.HandlerRegistry;
import dev.inlet.core.processing.ProcessingService;
import dev.inlet.core.queue.QueueMessage;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStatus;
import dev.inlet.core.testing.CapturingSink;
import dev.inlet.embedded.Backends;
import dev.inlet.embedded.LocalResources;
import dev.inlet.embedded.SamTemplate;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The processor's time and a record's fate: a batch stops taking messages before the invocation runs
 * out, one hung handler cannot use up the batch, a hung handler keeps its claim so that no second run
 * starts while it may still act, and only the record's own attempts (never SQS's receive count) make it
 * FAILED, with its message parked in the dead-letter queue by the processor. Against the real events
 * table (DynamoDB Local) and dead-letter queue (ElasticMQ), through the Lambda handler with a context
 * whose remaining time the test controls.
 */
class ProcessorDeadlineTest {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static DynamoDbEventStore store;
    private static String deadLetterUrl;
    private final CapturingSink sink = new CapturingSink();
    private final Set<String> ran = ConcurrentHashMap.newKeySet();
    private final AtomicInteger starts = new AtomicInteger();
    private final AtomicInteger payouts = new AtomicInteger();
    private final CountDownLatch never = new CountDownLatch(1);
    private final String run = Long.toHexString(System.nanoTime());

    @BeforeAll
    static void resources() {
        LocalResources r = LocalResources.create(SamTemplate.load(SamTemplate.locate()), Backends.shared(),
                "t" + Long.toHexString(System.nanoTime()) + "-", Optional.of(2));
        store = new DynamoDbEventStore(Backends.shared().dynamo(), r.ref("EventsTable").orElseThrow());
        deadLetterUrl = r.ref("EventsDeadLetterQueue").orElseThrow();
    }

    @AfterEach
    void releaseHungHandlers() {
        never.countDown();
    }

    private ProcessorFunction processor(Map<String, String> settings) {
        Clock clock = Clock.systemUTC();
        HandlerRegistry handlers = HandlerRegistry.builder().fallback(event -> {
            starts.incrementAndGet();
            switch (event.eventType()) {
                case "hangs" -> blockedIgnoringInterrupts(never, Duration.ofMinutes(1));
                case "fails" -> throw new IllegalStateException("price feed unavailable");
                case "payout" -> {
                    // A payout POST, keyed by the event key, that overruns: it checks the fence first.
                    blockedIgnoringInterrupts(new CountDownLatch(1), event.claim().remaining().plusMillis(200));
                    event.claim().check();
                    payouts.incrementAndGet();
                }
                default -> { }
            }
            ran.add(event.key().dedupKey());
        }).build();
        ProcessingService processing = new ProcessingService(store, handlers,
                ProcessingSettings.from(Env.of(settings), CALL_TIMEOUT), clock, new Log(sink, clock),
                new Metrics(sink, clock));
        return new ProcessorFunction(new SqsBatchProcessor(processing,
                new SqsDeadLetterQueue(Backends.shared().sqs(), deadLetterUrl), new Log(sink, clock)),
                new EnvironmentRecycler(Optional.empty(), new Log(sink, clock), () -> { }));
    }

    /** As a blocking socket read: an interrupt does not end it (the flag stays set). */
    private static void blockedIgnoringInterrupts(CountDownLatch latch, Duration atMost) {
        long end = System.nanoTime() + atMost.toNanos();
        boolean interrupted = false;
        while (latch.getCount() > 0 && System.nanoTime() < end) {
            try {
                latch.await(Math.max(1, end - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private SQSEvent batch(List<String> types, int receiveCount) {
        Instant now = Instant.now();
        for (int i = 0; i < types.size(); i++) {
            store.create(EventRecord.received(key(i), types.get(i), now, Optional.empty(),
                    "{}".getBytes(StandardCharsets.UTF_8), Map.of(), now.plusSeconds(30), now.plus(Duration.ofDays(1))),
                    now);
        }
        return redelivery(types, receiveCount);
    }

    /** The same messages again (a duplicate, or SQS's next receive), with no new records. */
    private SQSEvent redelivery(List<String> types, int receiveCount) {
        List<SQSEvent.SQSMessage> messages = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
            m.setMessageId("m" + i);
            m.setBody(new QueueMessage(key(i), types.get(i)).toJson());
            m.setAttributes(new HashMap<>(Map.of("ApproximateReceiveCount", Integer.toString(receiveCount))));
            messages.add(m);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(messages);
        return event;
    }

    private EventKey key(int i) {
        return new EventKey("test", run + "-" + i);
    }

    private EventRecord record(int i) {
        return store.find(key(i), Instant.now()).orElseThrow();
    }

    private List<String> deadLettered() {
        List<String> bodies = new ArrayList<>();
        List<Message> got;
        do {
            got = Backends.shared().sqs().receiveMessage(r -> r.queueUrl(deadLetterUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(0)).messages();
            got.forEach(m -> bodies.add(m.body()));
        } while (!got.isEmpty());
        return bodies.stream().filter(b -> b.contains(run)).toList();
    }

    private static Set<String> failed(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .collect(Collectors.toSet());
    }

    private static FixedContext plenty() {
        return new FixedContext(() -> 60_000);
    }

    @Test
    void remainingTimeBelowTheMargin_stopsTakingMessages_andReportsTheRestUnattempted() {
        // The default margin: a 10 s handler bound plus 5 backend calls of at most 5 s (35 s).
        AtomicInteger asked = new AtomicInteger();
        Context context = new FixedContext(() -> asked.incrementAndGet() <= 2 ? 39_000 : 29_000);

        SQSBatchResponse response = processor(Map.of()).handleRequest(
                batch(List.of("a", "a", "a", "a", "a"), 1), context);

        assertEquals(Set.of("m2", "m3", "m4"), failed(response));
        assertEquals(Set.of(run + "-0", run + "-1"), ran);
        for (int i = 2; i < 5; i++) {
            // SQS charges these a receive all the same; that decides nothing, as no attempt was used.
            assertEquals(EventStatus.RECEIVED, record(i).status(), "never claimed");
            assertEquals(0, record(i).attempts(), "no attempt used");
        }
        assertEquals(1, sink.count("\"event\":\"batch_stopped_early\""));
    }

    @Test
    void aHungHandler_isCutOffAtItsBound_andTheRestOfTheBatchRuns_whileItKeepsItsClaim() {
        SQSEvent event = batch(List.of("a", "hangs", "a"), 1);

        SQSBatchResponse response = assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                processor(Map.of("HANDLER_TIMEOUT_SECONDS", "1")).handleRequest(event, plenty()));

        assertEquals(Set.of("m1"), failed(response));
        assertEquals(Set.of(run + "-0", run + "-2"), ran);
        EventRecord hung = record(1);
        assertEquals(EventStatus.PROCESSING, hung.status(), "still claimed: its thread still runs");
        assertTrue(hung.leaseUntil().isAfter(Instant.now().plusSeconds(60)), "with its lease running");
        assertEquals(1, sink.count("\"Name\":\"handler_timeout\""));
    }

    @Test
    void aHungHandler_whileADuplicateMessageArrives_runsOnce_andIsMarkedProcessedWhenItEnds() throws Exception {
        // Failed before the fix: the timeout set the record QUEUED with lease 0, and the duplicate ran the
        // handler a second time while the first run was still alive.
        ProcessorFunction processor = processor(Map.of("HANDLER_TIMEOUT_SECONDS", "1"));
        SQSEvent first = batch(List.of("hangs"), 1);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> processor.handleRequest(first, plenty()));

        SQSBatchResponse duplicate = assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                processor.handleRequest(redelivery(List.of("hangs"), 1), plenty()));

        assertEquals(Set.of("m0"), failed(duplicate), "the duplicate waits: another run holds the claim");
        assertEquals(1, starts.get(), "the handler started once");
        never.countDown();                       // the first run's blocking call returns at last
        for (int i = 0; i < 100 && record(0).status() != EventStatus.PROCESSED; i++) {
            Thread.sleep(50);
        }
        assertEquals(EventStatus.PROCESSED, record(0).status(), "its owner recorded the late completion");
        assertEquals(0, processor.handleRequest(redelivery(List.of("hangs"), 2), plenty()).getBatchItemFailures()
                .size(), "a later duplicate finds it done");
        assertEquals(1, starts.get());
    }

    @Test
    void aHandlerPastItsDeadline_seesTheFenceFail_beforeItsSideEffect_andTheFailureIsRecordedWhenItEnds()
            throws Exception {
        ProcessorFunction processor = processor(Map.of("HANDLER_TIMEOUT_SECONDS", "1"));
        SQSEvent event = batch(List.of("payout"), 1);

        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> processor.handleRequest(event, plenty()));
        for (int i = 0; i < 100 && record(0).status() == EventStatus.PROCESSING; i++) {
            Thread.sleep(50);
        }

        assertEquals(0, payouts.get(), "no payout after the deadline");
        assertEquals(EventStatus.QUEUED, record(0).status(), "a normal failure, recorded by the owner");
        assertTrue(record(0).lastError().orElseThrow().startsWith("ClaimLostException"), record(0).lastError()
                .toString());
    }

    @Test
    void receiveCountAtTheOldLimit_doesNotFailARecordWithAttemptsLeft() {
        // Failed before the fix: the 5th receive (MAX_RECEIVES) marked the record FAILED after one attempt.
        SQSEvent event = batch(List.of("fails"), 5);

        SQSBatchResponse response = processor(Map.of("MAX_ATTEMPTS", "5")).handleRequest(event, plenty());

        assertEquals(Set.of("m0"), failed(response), "retried later");
        assertEquals(EventStatus.QUEUED, record(0).status());
        assertEquals(1, record(0).attempts());
        assertEquals(List.of(), deadLettered());
    }

    @Test
    void aHandlerFailingOnItsLastAttempt_leavesTheRecordFailedWithTheReason_andParksTheMessageItself() {
        ProcessorFunction processor = processor(Map.of("MAX_ATTEMPTS", "2"));
        SQSEvent event = batch(List.of("fails"), 1);
        assertEquals(Set.of("m0"), failed(processor.handleRequest(event, plenty())));
        assertEquals(EventStatus.QUEUED, record(0).status());

        SQSBatchResponse last = processor.handleRequest(redelivery(List.of("fails"), 2), plenty());

        assertEquals(Set.of(), failed(last), "done: SQS deletes it from the events queue");
        assertEquals(EventStatus.FAILED, record(0).status());
        assertEquals("IllegalStateException: price feed unavailable", record(0).lastError().orElseThrow());
        assertEquals(List.of(new QueueMessage(key(0), "fails").toJson()), deadLettered(), "in the DLQ, unchanged");
        assertEquals(1, sink.count("\"Name\":\"processing_failed_final\""));
    }

    @Test
    void aMessageOfAFailedRecord_isParkedInTheDeadLetterQueue_notRunAgain() {
        ProcessorFunction processor = processor(Map.of("MAX_ATTEMPTS", "1"));
        processor.handleRequest(batch(List.of("fails"), 1), plenty());
        assertEquals(EventStatus.FAILED, record(0).status());
        deadLettered();

        // the processor stopped between marking the record and parking the message: the message comes back
        SQSBatchResponse again = processor.handleRequest(redelivery(List.of("fails"), 2), plenty());

        assertEquals(Set.of(), failed(again));
        assertEquals(1, starts.get(), "not run again");
        assertEquals(1, deadLettered().size());
    }

    @Test
    void attemptsThatEndedWithoutAnOutcome_giveUpAtTheNextClaim_withoutRunningAgain() {
        ProcessorFunction processor = processor(Map.of("MAX_ATTEMPTS", "2"));
        batch(List.of("a"), 1);
        Instant past = Instant.now().minusSeconds(600);
        for (int attempt = 0; attempt < 2; attempt++) {        // two runs whose processor died mid-way
            Instant at = past.plusSeconds(100L * attempt);
            store.claim(key(0), "dead-" + attempt, at, at.plusSeconds(90));
        }

        SQSBatchResponse response = processor.handleRequest(redelivery(List.of("a"), 3), plenty());

        assertEquals(Set.of(), failed(response));
        assertEquals(0, starts.get());
        assertEquals(EventStatus.FAILED, record(0).status());
        assertTrue(record(0).lastError().orElseThrow().contains("gave up after 2 attempts"));
        assertEquals(1, deadLettered().size());
    }

    @Test
    void aForeignMessage_isParkedInTheDeadLetterQueueAtOnce() {
        SQSEvent event = redelivery(List.of(), 1);
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId("x");
        m.setBody("{\"not\":\"ours " + run + "\"}");
        event.setRecords(List.of(m));

        assertEquals(Set.of(), failed(processor(Map.of()).handleRequest(event, plenty())));
        assertEquals(1, deadLettered().size());
    }

    /** A Lambda context whose remaining time the test decides. */
    private record FixedContext(java.util.function.IntSupplier remaining) implements Context {
        @Override public String getAwsRequestId() { return "test"; }
        @Override public String getLogGroupName() { return "test"; }
        @Override public String getLogStreamName() { return "test"; }
        @Override public String getFunctionName() { return "ProcessorFunction"; }
        @Override public String getFunctionVersion() { return "1"; }
        @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:000000000000:function:p"; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return remaining.getAsInt(); }
        @Override public int getMemoryLimitInMB() { return 1024; }
        @Override public LambdaLogger getLogger() { return null; }
    }
}
