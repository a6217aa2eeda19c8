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

/**
 * The processor's time: a batch stops taking messages before the invocation runs out, and one hung
 * handler cannot use up the batch. Against the real events table (DynamoDB Local), through the Lambda
 * handler with a context whose remaining time the test controls.
 */
class ProcessorDeadlineTest {
    private static DynamoDbEventStore store;
    private final CapturingSink sink = new CapturingSink();
    private final Set<String> ran = ConcurrentHashMap.newKeySet();
    private final CountDownLatch never = new CountDownLatch(1);
    private final String run = Long.toHexString(System.nanoTime());

    @BeforeAll
    static void table() {
        LocalResources r = LocalResources.create(SamTemplate.load(SamTemplate.locate()), Backends.shared(),
                "t" + Long.toHexString(System.nanoTime()) + "-", Optional.of(2));
        store = new DynamoDbEventStore(Backends.shared().dynamo(), r.ref("EventsTable").orElseThrow());
    }

    @AfterEach
    void releaseHungHandlers() {
        never.countDown();
    }

    private ProcessorFunction processor(Map<String, String> settings) {
        Clock clock = Clock.systemUTC();
        HandlerRegistry handlers = HandlerRegistry.builder().fallback(event -> {
            if (event.eventType().equals("hangs")) {
                never.await();
            }
            ran.add(event.key().dedupKey());
        }).build();
        return new ProcessorFunction(new SqsBatchProcessor(new ProcessingService(store, handlers,
                ProcessingSettings.from(Env.of(settings)), clock, new Log(sink, clock), new Metrics(sink, clock)),
                new Log(sink, clock)));
    }

    private SQSEvent batch(List<String> types, int receiveCount) {
        Instant now = Instant.now();
        List<SQSEvent.SQSMessage> messages = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            EventKey key = new EventKey("test", run + "-" + i);
            store.create(EventRecord.received(key, types.get(i), now, Optional.empty(),
                    "{}".getBytes(StandardCharsets.UTF_8), Map.of(), now.plusSeconds(30), now.plus(Duration.ofDays(1))),
                    now);
            SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
            m.setMessageId("m" + i);
            m.setBody(new QueueMessage(key, types.get(i)).toJson());
            m.setAttributes(new HashMap<>(Map.of("ApproximateReceiveCount", Integer.toString(receiveCount))));
            messages.add(m);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(messages);
        return event;
    }

    private EventRecord record(int i) {
        return store.find(new EventKey("test", run + "-" + i), Instant.now()).orElseThrow();
    }

    private static Set<String> failed(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .collect(Collectors.toSet());
    }

    @Test
    void remainingTimeBelowTheMargin_stopsTakingMessages_andReportsTheRestUnattempted() {
        // The default margin: a 10 s handler bound plus 10 s for the store calls.
        AtomicInteger asked = new AtomicInteger();
        Context context = new FixedContext(() -> asked.incrementAndGet() <= 2 ? 29_000 : 19_000);

        SQSBatchResponse response = processor(Map.of()).handleRequest(
                batch(List.of("a", "a", "a", "a", "a"), 1), context);

        assertEquals(Set.of("m2", "m3", "m4"), failed(response));
        assertEquals(Set.of(run + "-0", run + "-1"), ran);
        for (int i = 2; i < 5; i++) {
            assertEquals(EventStatus.RECEIVED, record(i).status(), "never claimed: it keeps its receive for a run");
            assertEquals(0, record(i).attempts());
        }
        assertEquals(1, sink.count("\"event\":\"batch_out_of_time\""));
    }

    @Test
    void aHungHandler_isCutOffAtItsBound_andTheRestOfTheBatchRuns() {
        SQSEvent event = batch(List.of("a", "hangs", "a"), 1);

        SQSBatchResponse response = assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                processor(Map.of("HANDLER_TIMEOUT_SECONDS", "1")).handleRequest(event, new FixedContext(() -> 30_000)));

        assertEquals(Set.of("m1"), failed(response));
        assertEquals(Set.of(run + "-0", run + "-2"), ran);
        EventRecord hung = record(1);
        assertEquals(EventStatus.QUEUED, hung.status(), "lease released for the next receive");
        assertTrue(hung.lastError().orElseThrow().contains("timed out"), hung.lastError().toString());
        assertEquals(1, sink.count("\"Name\":\"handler_timeout\""));
    }

    @Test
    void aHungHandler_onTheLastReceive_leavesItsRecordFailed_withTheReason() {
        SQSEvent event = batch(List.of("hangs"), 5);

        SQSBatchResponse response = assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                processor(Map.of("HANDLER_TIMEOUT_SECONDS", "1", "MAX_RECEIVES", "5"))
                        .handleRequest(event, new FixedContext(() -> 30_000)));

        assertEquals(Set.of("m0"), failed(response));
        assertEquals(EventStatus.FAILED, record(0).status());
        assertTrue(record(0).lastError().orElseThrow().contains("timed out"));
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
