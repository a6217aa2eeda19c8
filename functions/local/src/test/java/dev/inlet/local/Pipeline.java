package dev.inlet.local;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.dynamodb.DynamoDbEventStore;
import dev.inlet.aws.sqs.SqsEventQueue;
import dev.inlet.aws.sqs.SqsDeadLetterQueue;
import dev.inlet.aws.sqs.SqsRedrive;
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
 * The test plays SQS's event source mapping itself ({@link #pollOnce}), so it decides when time passes.
 */
final class Pipeline {
    static final String SECRET = "whsec_test_pipeline_not_a_real_secret";
    static final Duration INTAKE_LEASE = Duration.ofSeconds(30);
    static final Duration PROCESSING_LEASE = Duration.ofSeconds(90);

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
    volatile EventHandler handler = event -> handlerRuns.computeIfAbsent(event.key(), k -> new AtomicInteger())
            .incrementAndGet();

    Pipeline() {
        LocalResources resources = LocalResources.create(SamTemplate.load(SamTemplate.locate()),
                Backends.shared(), "t" + Long.toHexString(System.nanoTime()) + "-", Optional.of(2));
        Map<String, String> env = new HashMap<>(Backends.shared().awsEnvironment());
        env.put("EVENTS_TABLE", resources.ref("EventsTable").orElseThrow());
        env.put("EVENTS_QUEUE_URL", resources.ref("EventsQueue").orElseThrow());
        BackendSettings settings = BackendSettings.from(Env.of(env));
        AwsClients faultyDynamo = new AwsClients(settings, dynamoFaults);
        AwsClients faultySqs = new AwsClients(settings, sqsFaults);
        AwsClients clean = new AwsClients(settings);
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
     * One receive of up to 10 messages, processed as Lambda's event source mapping would. A message that
     * comes back (receive count > 1) does so after its visibility timeout, which is longer than the
     * processing lease (as in template.yaml): the clock moves on by a lease before it is processed.
     *
     * @param expireFailures make failed messages visible again at once (time passing for the queue)
     * @return how many messages were received
     */
    int pollOnce(boolean expireFailures) {
        List<Message> messages = cleanSqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                .waitTimeSeconds(0).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        if (messages.isEmpty()) {
            return 0;
        }
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message m : messages) {
            if (Integer.parseInt(m.attributesAsStrings().getOrDefault("ApproximateReceiveCount", "1")) > 1) {
                clock.advance(PROCESSING_LEASE.plusSeconds(1));
            }
            SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
            r.setMessageId(m.messageId());
            r.setReceiptHandle(m.receiptHandle());
            r.setBody(m.body());
            r.setAttributes(new HashMap<>(m.attributesAsStrings()));
            records.add(r);
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
                cleanSqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle())
                        .visibilityTimeout(0));
            }
        }
        if (!done.isEmpty()) {
            cleanSqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(done));
        }
        return messages.size();
    }

    /** Polls until the queue is empty and nothing is in flight. */
    void drain(boolean expireFailures) throws InterruptedException {
        drain(expireFailures, Duration.ofSeconds(60));
    }

    void drain(boolean expireFailures, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (pollOnce(expireFailures) == 0) {
                if (depth(queueUrl, true) == 0) {
                    return;
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the queue did not drain within " + within);
    }

    /**
     * Drains with {@code pollers} concurrent consumers, as Lambda's event source mapping runs several
     * batches at once (so duplicates of one event may meet in two processors). For runs with no
     * redelivery: the clock is not moved.
     */
    void drainConcurrently(int pollers, Duration within) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(pollers);
        try {
            List<java.util.concurrent.Future<Object>> running = new ArrayList<>();
            for (int i = 0; i < pollers; i++) {
                running.add(pool.submit(() -> {
                    drain(true, within);
                    return null;
                }));
            }
            for (var f : running) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
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
