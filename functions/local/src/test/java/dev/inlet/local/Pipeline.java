package dev.inlet.local;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.dynamodb.DynamoDbEventStore;
import dev.inlet.aws.sqs.SqsEventQueue;
import dev.inlet.aws.sqs.SqsDeadLetterQueue;
import dev.inlet.aws.sqs.SqsRedrive;
import dev.inlet.aws.testing.TestClients;
import dev.inlet.core.config.Env;
import dev.inlet.core.config.IntakeSettings;
import dev.inlet.core.config.ProcessingSettings;
import dev.inlet.core.ingest.Headers;
import dev.inlet.core.ingest.IntakeResult;
import dev.inlet.core.ingest.IntakeService;
import dev.inlet.core.ingest.RawRequest;
import dev.inlet.core.observe.Log;
import dev.inlet.core.observe.Metrics;
import dev.inlet.core.outbox.OutboxSweeper;
import dev.inlet.core.outbox.ReplayService;
import dev.inlet.core.processing.EventHandler;
import dev.inlet.core.processing.HandlerRegistry;
import dev.inlet.core.processing.ProcessingService;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventQuery;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.testing.CapturingSink;
import dev.inlet.core.testing.MutableClock;
import dev.inlet.embedded.Backends;
import dev.inlet.embedded.LocalResources;
import dev.inlet.embedded.SamTemplate;
import dev.inlet.processor.SqsBatchProcessor;
import dev.inlet.rheo.RheoProvider;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The whole pipeline wired by hand for fault-injection tests: the Rheo receiver's intake, the processor
 * and the sweeper, each on SDK clients that carry a {@link FaultInjector}, against template.yaml's
 * table and queues (redrive policy included) on the embedded backends, with one {@link MutableClock}.
 * The test plays SQS's event source mapping itself ({@link #pollOnce}), so it decides when time passes:
 * no real timeout decides anything, and the clock never moves while concurrent consumers run.
 */
final class Pipeline {
    static final String SECRET = "whsec_test_pipeline_not_a_real_secret";
    static final Duration INTAKE_LEASE = Duration.ofSeconds(30);
    static final Duration PROCESSING_LEASE = Duration.ofSeconds(90);
    /** SQS's longest: no message comes back by itself during a test; tests expire messages on purpose. */
    static final int VISIBILITY_TIMEOUT_SECONDS = 43_200;
    /**
     * How long a test waits before calling itself hung. Only that: no wall-clock time decides an outcome
     * here, and a machine busy with other builds can make a storm take many minutes.
     */
    static final Duration HUNG = Duration.ofMinutes(45);

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    final FaultInjector dynamoFaults = new FaultInjector();
    final FaultInjector sqsFaults = new FaultInjector();
    final CapturingSink sink = new CapturingSink();
    final DynamoDbEventStore store;
    final DynamoDbEventStore cleanStore;
    final SqsClient cleanSqs;
    final String queueUrl;
    final String deadLetterUrl;
    final IntakeService intake;
    final OutboxSweeper sweeper;
    /** Replay on the fault-injected clients, as {@code ./inlet replay} runs it. */
    final ReplayService replay;
    final SqsEventQueue queue;
    final SqsBatchProcessor processor;
    final SqsRedrive redrive;
    final RheoProvider rheo = new RheoProvider(List.of(SECRET), Duration.ofDays(3650));
    /** Handler runs that returned normally, per event. */
    final Map<EventKey, AtomicInteger> handlerRuns = new ConcurrentHashMap<>();
    /** Failed messages left in flight by {@link #pollOnce}{@code (false)}, until a test expires them. */
    private final java.util.Queue<Message> held = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Messages whose visibility timeout a test made pass ({@link #expire}), until they are received again. */
    private final java.util.Set<String> expiredOnPurpose = ConcurrentHashMap.newKeySet();
    volatile EventHandler handler = event -> handlerRuns.computeIfAbsent(event.key(), k -> new AtomicInteger())
            .incrementAndGet();

    Pipeline() {
        LocalResources resources = LocalResources.create(SamTemplate.load(SamTemplate.locate()),
                Backends.shared(), "t" + Long.toHexString(System.nanoTime()) + "-", Optional.of(VISIBILITY_TIMEOUT_SECONDS));
        Map<String, String> env = new HashMap<>(Backends.shared().awsEnvironment());
        env.put("EVENTS_TABLE", resources.ref("EventsTable").orElseThrow());
        env.put("EVENTS_QUEUE_URL", resources.ref("EventsQueue").orElseThrow());
        BackendSettings settings = BackendSettings.from(Env.of(env));
        AwsClients faultyDynamo = TestClients.of(settings, dynamoFaults);
        AwsClients faultySqs = TestClients.of(settings, sqsFaults);
        AwsClients clean = TestClients.of(settings);
        queueUrl = settings.requireQueueUrl();
        deadLetterUrl = resources.ref("EventsDeadLetterQueue").orElseThrow();
        store = new DynamoDbEventStore(faultyDynamo.dynamoDb(), settings.eventsTable());
        cleanStore = new DynamoDbEventStore(clean.dynamoDb(), settings.eventsTable());
        cleanSqs = clean.sqs();
        queue = new SqsEventQueue(faultySqs.sqs(), queueUrl);
        Log log = new Log(sink, clock);
        Metrics metrics = new Metrics(sink, clock);
        intake = new IntakeService(rheo, store, queue, new IntakeSettings(262_144, INTAKE_LEASE, Duration.ofDays(30)),
                clock, log, metrics);
        sweeper = new OutboxSweeper(store, queue, INTAKE_LEASE, 500, clock, log, metrics);
        replay = new ReplayService(store, queue, INTAKE_LEASE, clock, log);
        EventHandler delegating = event -> handler.handle(event);
        ProcessingService processing = new ProcessingService(store,
                HandlerRegistry.builder().fallback(delegating).build(),
                new ProcessingSettings(PROCESSING_LEASE, 5, Duration.ofSeconds(10), clean.callTimeout()), clock, log,
                metrics);
        processor = new SqsBatchProcessor(processing, new SqsDeadLetterQueue(cleanSqs, deadLetterUrl), log);
        redrive = new SqsRedrive(cleanSqs, deadLetterUrl, queueUrl, replay);
    }

    static byte[] body(String eventId, Instant at) {
        return ("{\"eventId\":\"" + eventId + "\",\"timestamp\":\"" + at + "\",\"eventType\":\"item.sold\","
                + "\"data\":{\"externalId\":\"X\",\"salePrice\":100,\"currency\":\"SEK\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A provider delivery: the signed body, as Rheo would send it (again, on a retry). */
    IntakeResult deliver(byte[] body) {
        return intake.receive(new RawRequest(body, Headers.of(Map.of("x-rheo-signature", rheo.sign(0, body))),
                Map.of(), "test"));
    }

    /**
     * One receive of up to 10 messages, processed as Lambda's event source mapping would. The queue's
     * visibility timeout is 12 hours here, so no message ever comes back by itself, however slow the
     * machine: a failed message stays in flight until a test expires it on purpose ({@link #expire}).
     * A batch holding a message expired on purpose is processed one visibility timeout later, which is
     * longer than the processing lease (as in template.yaml): the clock moves on by a lease first.
     *
     * @param expireFailures expire each failed message at once (its visibility timeout passes); otherwise
     *                       it is held in flight until {@link #drain} expires it
     * @return how many messages were received
     */
    int pollOnce(boolean expireFailures) {
        List<Message> messages = cleanSqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                .waitTimeSeconds(0).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        if (messages.isEmpty()) {
            return 0;
        }
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        boolean afterATimeout = false;
        for (Message m : messages) {
            afterATimeout |= expiredOnPurpose.remove(m.messageId());
            SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
            r.setMessageId(m.messageId());
            r.setReceiptHandle(m.receiptHandle());
            r.setBody(m.body());
            r.setAttributes(new HashMap<>(m.attributesAsStrings()));
            records.add(r);
        }
        if (afterATimeout) {
            clock.advance(PROCESSING_LEASE.plusSeconds(1));
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        var failures = processor.process(event).getBatchItemFailures().stream()
                .map(f -> f.getItemIdentifier()).toList();
        List<software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry> done = new ArrayList<>();
        for (Message m : messages) {
            if (!failures.contains(m.messageId())) {
                done.add(software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry.builder()
                        .id(Integer.toString(done.size())).receiptHandle(m.receiptHandle()).build());
            } else if (expireFailures) {
                expire(m);
            } else {
                held.add(m);
            }
        }
        if (!done.isEmpty()) {
            cleanSqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(done));
        }
        return messages.size();
    }

    /**
     * The visibility timeout of a received message passes, on purpose: SQS makes it visible again now,
     * and the poll that receives it first moves the clock on by a processing lease ({@link #pollOnce}).
     */
    void expire(Message received) {
        expiredOnPurpose.add(received.messageId());
        cleanSqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(received.receiptHandle())
                .visibilityTimeout(0));
    }

    /** Expires every failed message held in flight by {@link #pollOnce}{@code (false)}; returns how many. */
    int expireHeld() {
        int n = 0;
        for (Message m; (m = held.poll()) != null; n++) {
            expire(m);
        }
        return n;
    }

    /** Polls with one consumer, failures expired on purpose, until the queue is empty and nothing is in flight. */
    void drain() throws InterruptedException {
        drain(HUNG);
    }

    void drain(Duration within) throws InterruptedException {
        expireHeld();
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (pollOnce(true) == 0) {
                if (depth(queueUrl, true) == 0) {
                    return;
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the queue did not drain within " + within + ": " + depth(queueUrl, false)
                + " visible, " + (depth(queueUrl, true) - depth(queueUrl, false)) + " in flight");
    }

    /**
     * Drains with {@code pollers} concurrent consumers, as Lambda's event source mapping runs several
     * batches at once (so duplicates of one event may meet in two processors). While they run, the
     * clock does not move and nothing is expired: a failed message is held in flight. When every
     * visible message has been taken, one consumer expires the held ones on purpose and drains the rest.
     */
    void drainConcurrently(int pollers, Duration within) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(pollers);
        long deadline = System.nanoTime() + within.toNanos();
        try {
            List<java.util.concurrent.Future<Object>> running = new ArrayList<>();
            for (int i = 0; i < pollers; i++) {
                running.add(pool.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        if (pollOnce(false) == 0) {
                            if (depth(queueUrl, false) == 0) {
                                return null;
                            }
                            Thread.sleep(20);
                        }
                    }
                    throw new AssertionError("the pollers did not empty the queue within " + within);
                }));
            }
            for (var f : running) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        drain(HUNG);
    }

    int depth(String url, boolean includeInFlight) {
        var a = cleanSqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + (includeInFlight ? Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)) : 0);
    }

    EventRecord record(String eventId) {
        return cleanStore.find(new EventKey("rheo", eventId), clock.instant()).orElseThrow(() ->
                new AssertionError("no record for " + eventId));
    }

    List<EventRecord> records() {
        return cleanStore.list(new EventQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                100_000), clock.instant());
    }

    /**
     * Runs that completed, per event id: the handler returned AND that run marked the record PROCESSED
     * (the processor logs "processed" only then).
     */
    Map<String, Integer> completedRuns() {
        Map<String, Integer> out = new HashMap<>();
        for (String line : sink.lines()) {
            if (line.contains("\"event\":\"processed\"")) {
                try {
                    String key = dev.inlet.core.json.Json.mapper().readTree(line).path("eventKey").asText();
                    out.merge(key, 1, Integer::sum);
                } catch (java.io.IOException e) {
                    throw new AssertionError("unreadable log line", e);
                }
            }
        }
        return out;
    }

    int runs(String eventId) {
        return handlerRuns.getOrDefault(new EventKey("rheo", eventId), new AtomicInteger()).get();
    }
}
