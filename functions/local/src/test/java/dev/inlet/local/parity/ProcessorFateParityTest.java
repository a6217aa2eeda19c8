package dev.inlet.local.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.aws.dynamodb.DynamoDbEventStore;
import dev.inlet.core.json.Json;
import dev.inlet.core.queue.QueueMessage;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStatus;
import dev.inlet.embedded.EmbeddedBackends;
import dev.inlet.embedded.LocalResources;
import dev.inlet.embedded.SamTemplate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A record's fate and one run at a time, proven with the processor's shaded jar run as Lambda runs it
 * (AWS's runtime interface client, {@link LambdaJavaRuntime}), template.yaml's environment and queues
 * (ElasticMQ, with the template's redrive policy) and DynamoDB Local behind a {@link DelayingProxy}.
 * Messages are received and deleted here as the SQS event source mapping does. Short leases and
 * handler bounds come from the settings, so each case takes seconds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProcessorFateParityTest {
    private static final Path WORK = ParityFixtures.ROOT.resolve("functions/local/target/fate-parity");

    private SamTemplate template;
    private SamTemplate.Function processor;
    private JsonNode envFile;
    private EmbeddedBackends backends;
    private LocalResources resources;
    private DynamoDbEventStore store;
    private DelayingProxy dynamo;
    private String queueUrl;
    private String deadLetterUrl;
    private final String run = Long.toHexString(System.nanoTime());

    @BeforeAll
    void start() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux"),
                "AWS's runtime interface client ships its native Runtime API client for Linux only");
        template = SamTemplate.load(ParityFixtures.ROOT.resolve("template.yaml"));
        processor = template.functions().stream().filter(SamTemplate.Function::sqsTriggered).findFirst().orElseThrow();
        envFile = Json.mapper().readTree(Files.readAllBytes(ParityFixtures.ROOT.resolve("events/env.json")));
        backends = EmbeddedBackends.start(0, 0);
        // Failed messages come back after 1 s instead of minutes; the redrive policy is the template's.
        resources = LocalResources.create(template, backends, "", Optional.of(1));
        store = new DynamoDbEventStore(backends.dynamo(), "EventsTable");
        queueUrl = resources.ref("EventsQueue").orElseThrow();
        deadLetterUrl = resources.ref("EventsDeadLetterQueue").orElseThrow();
        dynamo = new DelayingProxy(backends.dynamoEndpoint().getPort());
    }

    /** Each case starts with empty queues, whatever the one before left. */
    @BeforeEach
    void emptyQueues() {
        backends.sqs().purgeQueue(r -> r.queueUrl(queueUrl));
        backends.sqs().purgeQueue(r -> r.queueUrl(deadLetterUrl));
        dynamo.normal();
    }

    @AfterAll
    void stop() throws Exception {
        if (dynamo != null) {
            dynamo.close();
        }
        if (backends != null) {
            backends.close();
        }
    }

    @Test
    void aSlowDynamoDb_afterAFailedAttempt_neverStrandsTheRecordWithItsMessageInTheDlq() throws Exception {
        // Failed before the fix: unstarted receives and receives lost to the slowdown reached the queue's
        // maxReceiveCount (then 5), SQS moved the message to the DLQ, and the record stayed QUEUED.
        EventKey key = storedRecord("a");
        Instant before = Instant.now().minusSeconds(60);
        store.claim(key, "earlier-run", before, before.plusSeconds(30));
        store.recordFailure(key, "earlier-run", "IllegalStateException: price feed unavailable", false, before);
        send(key);
        for (int i = 0; i < 4; i++) {   // four receives whose batch never started it (out of time)
            Message m = receive(1).get(0);
            backends.sqs().changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle())
                    .visibilityTimeout(0));
        }

        dynamo.slowAll(Duration.ofMillis(2_500));      // every call past the SDK's 2 s attempt timeout
        List<JsonNode> answers = new ArrayList<>();
        // A short lease: a claim that got through while its answer was lost holds the record only briefly.
        try (LambdaJavaRuntime runtime = runtime("slow", Map.of("PROCESSING_LEASE_SECONDS", "5",
                "HANDLER_TIMEOUT_SECONDS", "2"))) {
            int slowInvocations = 2;
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < end && queueDepth(queueUrl) > 0) {
                List<Message> batch = receive(10);
                if (batch.isEmpty()) {
                    continue;
                }
                answers.add(invoke(runtime, batch));
                if (--slowInvocations == 0) {
                    dynamo.normal();                   // the slowdown ends
                }
            }
        } finally {
            dynamo.normal();
        }

        EventRecord record = store.find(key, Instant.now()).orElseThrow();
        int parked = deadLettered(key);
        assertTrue(record.status() == EventStatus.PROCESSED && parked == 0
                        || record.status() == EventStatus.FAILED && parked == 1 && record.lastError().isPresent(),
                "PROCESSED, or FAILED with its message in the DLQ; was " + record.status() + " with " + parked
                        + " message(s) in the DLQ after answers " + answers);
        assertEquals(EventStatus.PROCESSED, record.status(), "the slowdown ended before its attempts did");
        assertEquals(1, record.processedCount());
    }

    @Test
    void aHandlerBlockedPastItsTimeout_whileADuplicateArrives_actsOnce_andItsEnvironmentEndsAfterAnswering()
            throws Exception {
        // Failed before the fix: the timeout released the claim (QUEUED, lease 0), the duplicate ran the
        // handler again while the first run was still blocked, both entity writes reached DynamoDB, and
        // the environment kept running the abandoned thread.
        Map<String, String> settings = Map.of("HANDLER_TIMEOUT_SECONDS", "1", "PROCESSING_LEASE_SECONDS", "20");
        EventKey key = storedRecord("b");
        dynamo.slowWhere("EntitiesTable", Duration.ofSeconds(6));   // the handler's write: far past its 1 s
        send(key);
        send(key);                                                      // its duplicate (a sweeper resend)

        JsonNode first;
        Optional<Integer> exit;
        try (LambdaJavaRuntime runtime = runtime("blocked", settings)) {
            first = invoke(runtime, receive(1));
            exit = runtime.exitWithin(Duration.ofSeconds(5));
        }
        assertEquals(1, first.path("batchItemFailures").size(), "the timed-out message is left for later: " + first);
        assertEquals(Optional.of(0), exit, "the environment with the stuck handler ended after posting its answer");
        assertTrue(dynamo.arrivedMarked() >= 1, "the first run was blocked in its write");

        // A fresh environment (runtimes start one at a time: the runtime client unpacks its native library
        // to one fixed path in /tmp, which Lambda gives each environment on its own).
        JsonNode duplicate;
        try (LambdaJavaRuntime fresh = runtime("duplicate", settings)) {
            duplicate = invoke(fresh, receive(1));
            assertFalse(fresh.exitWithin(Duration.ofMillis(200)).isPresent(), "nothing stuck here: it lives on");
        }
        assertEquals(1, duplicate.path("batchItemFailures").size(), "the claim still holds: " + duplicate);
        assertEquals(EventStatus.PROCESSING, store.find(key, Instant.now()).orElseThrow().status());

        dynamo.normal();
        EventRecord claimed = store.find(key, Instant.now()).orElseThrow();
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), claimed.leaseUntil()).toMillis() + 200));
        try (LambdaJavaRuntime later = runtime("after-the-lease", settings)) {
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < end && queueDepth(queueUrl) > 0) {
                List<Message> batch = receive(10);
                if (!batch.isEmpty()) {
                    invoke(later, batch);
                }
            }
        }
        EventRecord done = store.find(key, Instant.now()).orElseThrow();
        assertEquals(EventStatus.PROCESSED, done.status());
        assertEquals(1, done.processedCount(), "one completed run");
    }

    // ---- the run ---------------------------------------------------------------------------------

    private LambdaJavaRuntime runtime(String label, Map<String, String> settings) throws Exception {
        Map<String, String> env = new LinkedHashMap<>(ParityFixtures.samEnvironment(processor, envFile, backends));
        env.put("DYNAMODB_ENDPOINT", dynamo.endpoint());
        env.putAll(settings);
        return LambdaJavaRuntime.start(template, processor, env, LambdaJavaRuntime.loggingConfig(template, processor),
                WORK.resolve(label + "-" + run));
    }

    /** One invocation with the batch; deletes what did not fail, as the event source mapping does. */
    private JsonNode invoke(LambdaJavaRuntime runtime, List<Message> batch) throws Exception {
        RuntimeApiServer.Answer answer = runtime.invoke(
                ParityFixtures.sqsEvent(batch, resources.arn("EventsQueue").orElseThrow()));
        assertFalse(answer.error(), "the function failed: " + answer.body());
        JsonNode json = Json.mapper().readTree(answer.body());
        Set<String> failed = new java.util.HashSet<>();
        json.path("batchItemFailures").forEach(f -> failed.add(f.path("itemIdentifier").asText()));
        batch.stream().filter(m -> !failed.contains(m.messageId())).forEach(m -> backends.sqs().deleteMessage(
                r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
        return json;
    }

    private EventKey storedRecord(String name) {
        EventKey key = new EventKey("rheo", "evt_fate_" + name + "_" + run);
        Instant now = Instant.now();
        byte[] body = ("{\"eventId\":\"" + key.dedupKey() + "\",\"timestamp\":\"" + now + "\",\"eventType\":"
                + "\"item.sold\",\"data\":{\"externalId\":\"X-" + name + run + "\",\"salePrice\":100,"
                + "\"currency\":\"SEK\"}}").getBytes(StandardCharsets.UTF_8);
        store.create(EventRecord.received(key, "item.sold", now, Optional.of(now), body, Map.of(),
                now.plusSeconds(300), now.plus(Duration.ofDays(1))), now);
        return key;
    }

    private void send(EventKey key) {
        backends.sqs().sendMessage(r -> r.queueUrl(queueUrl).messageBody(new QueueMessage(key, "item.sold").toJson()));
    }

    private List<Message> receive(int max) {
        return backends.sqs().receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(max).waitTimeSeconds(1)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
    }

    private int queueDepth(String url) {
        Map<QueueAttributeName, String> a = backends.sqs().getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** How many messages for this key wait in the DLQ (read and left there). */
    private int deadLettered(EventKey key) {
        List<Message> all = backends.sqs().receiveMessage(r -> r.queueUrl(deadLetterUrl).maxNumberOfMessages(10)
                .waitTimeSeconds(1).visibilityTimeout(0)).messages();
        return (int) all.stream().filter(m -> m.body().contains(key.dedupKey())).count();
    }

}
