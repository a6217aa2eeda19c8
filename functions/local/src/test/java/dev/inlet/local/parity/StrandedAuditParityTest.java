package dev.inlet.local.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.dynamodb.DynamoDbEventStore;
import dev.inlet.core.config.Env;
import dev.inlet.core.json.Json;
import dev.inlet.core.queue.QueueMessage;
import dev.inlet.core.store.ClaimOutcome;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStatus;
import dev.inlet.embedded.EmbeddedBackends;
import dev.inlet.embedded.LocalResources;
import dev.inlet.embedded.SamTemplate;
import dev.inlet.local.parity.CloudWatchLogEvents.Series;
import dev.inlet.local.parity.LambdaJavaRuntime.LogEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Issue 22 item 5 under AWS's runtime interface client (the harness of {@link RuntimeParityTest}): a
 * record a failed attempt left QUEUED, out of the outbox, its lease long over and its message parked in the
 * dead-letter queue by receive counts, so nothing owns it. The sweeper's shaded jar, on its scheduled
 * event, returns it to the outbox and sends it in the same run; the processor's jar then finishes it; the
 * sweeper's log holds the {@code StrandedRecovered} metric line as CloudWatch receives it, with the
 * series the template's alarm watches.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StrandedAuditParityTest {
    private static final Path WORK = ParityFixtures.ROOT.resolve("functions/local/target/stranded-audit-parity");
    private static final EventKey KEY = new EventKey("rheo", "evt_parity_stranded_1");

    private SamTemplate template;
    private JsonNode sweeperAnswer;
    private final List<JsonNode> processorAnswers = new ArrayList<>();
    private final List<LogEvent> sweeperLogs = new ArrayList<>();
    private final List<String> requestIds = new ArrayList<>();
    private final Map<String, Long> initEnds = new HashMap<>();
    private Optional<EventRecord> before = Optional.empty();
    private Optional<EventRecord> after = Optional.empty();
    private int parkedInTheDlq;

    @BeforeAll
    void strandARecordThenRunTheSweeperAndTheProcessorJars() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux"),
                "AWS's runtime interface client ships its native Runtime API client for Linux only");
        template = SamTemplate.load(ParityFixtures.ROOT.resolve("template.yaml"));
        JsonNode envFile = Json.mapper().readTree(Files.readAllBytes(ParityFixtures.ROOT.resolve("events/env.json")));
        SamTemplate.Function sweeper = template.functions().stream().filter(SamTemplate.Function::scheduled)
                .findFirst().orElseThrow();
        SamTemplate.Function processor = template.functions().stream().filter(SamTemplate.Function::sqsTriggered)
                .findFirst().orElseThrow();
        Path scheduled = ParityFixtures.filesByFunction(template).get(sweeper.logicalId()).get(0);
        try (EmbeddedBackends backends = EmbeddedBackends.start(0, 0)) {
            LocalResources resources = LocalResources.create(template, backends, "", Optional.empty());
            Map<String, String> admin = new HashMap<>(backends.awsEnvironment());
            admin.put("EVENTS_TABLE", resources.ref("EventsTable").orElseThrow());
            DynamoDbEventStore store = new DynamoDbEventStore(
                    new AwsClients(BackendSettings.from(Env.of(admin))).dynamoDb(), admin.get("EVENTS_TABLE"));
            strand(store, backends, resources.ref("EventsDeadLetterQueue").orElseThrow());
            before = store.find(KEY, Instant.now());

            LambdaJavaRuntime sweeping = LambdaJavaRuntime.start(template, sweeper,
                    ParityFixtures.samEnvironment(sweeper, envFile, backends),
                    LambdaJavaRuntime.loggingConfig(template, sweeper), WORK.resolve(sweeper.logicalId()));
            try {
                RuntimeApiServer.Answer answer = sweeping.invoke(Files.readAllBytes(scheduled));
                sweeperAnswer = answerJson(answer);
            } finally {
                sweeperLogs.addAll(sweeping.stop());
                requestIds.addAll(sweeping.requestIds());
                initEnds.put(sweeper.logicalId(), sweeping.firstDispatchMicros());
            }

            String queueUrl = resources.ref("EventsQueue").orElseThrow();
            LambdaJavaRuntime processing = LambdaJavaRuntime.start(template, processor,
                    ParityFixtures.samEnvironment(processor, envFile, backends),
                    LambdaJavaRuntime.loggingConfig(template, processor), WORK.resolve(processor.logicalId()));
            try {
                for (List<Message> batch = receive(backends, queueUrl); !batch.isEmpty(); batch = receive(backends, queueUrl)) {
                    processorAnswers.add(answerJson(processing.invoke(ParityFixtures.sqsEvent(batch,
                            resources.arn("EventsQueue").orElseThrow()))));
                    // as the event source mapping does for the items that did not fail
                    batch.forEach(m -> backends.sqs().deleteMessage(r -> r.queueUrl(queueUrl)
                            .receiptHandle(m.receiptHandle())));
                }
            } finally {
                processing.stop();
            }
            after = store.find(KEY, Instant.now());
            parkedInTheDlq = backends.sqs().receiveMessage(r -> r.queueUrl(resources.ref("EventsDeadLetterQueue")
                    .orElseThrow()).maxNumberOfMessages(10)).messages().size();
        }
    }

    /**
     * Two hours ago: stored (RECEIVED, in the outbox), claimed (out of the outbox, lease 90 s), the attempt
     * failed (QUEUED for a retry); then its message reached maxReceiveCount without being started and went
     * to the dead-letter queue. Nothing owns the record: no outbox entry, no live lease, no message on the
     * queue. (Before the audit nothing ever touched it again.)
     */
    private static void strand(DynamoDbEventStore store, EmbeddedBackends backends, String dlqUrl) {
        Instant then = Instant.now().minus(Duration.ofHours(2));
        byte[] body = ("{\"eventId\":\"" + KEY.dedupKey() + "\",\"timestamp\":\"" + then + "\",\"eventType\":"
                + "\"item.sold\",\"data\":{\"externalId\":\"SKU-PARITY-1\",\"salePrice\":100,\"currency\":\"SEK\"}}")
                .getBytes(StandardCharsets.UTF_8);
        store.create(EventRecord.received(KEY, "item.sold", then, Optional.of(then), body, Map.of(),
                then.plusSeconds(30), then.plus(Duration.ofDays(30))), then);
        assertInstanceOf(ClaimOutcome.Claimed.class, store.claim(KEY, "gone-worker", then.plusSeconds(1),
                then.plusSeconds(91)));
        store.recordFailure(KEY, "gone-worker", "handler_timeout", false, then.plusSeconds(11));
        backends.sqs().sendMessage(r -> r.queueUrl(dlqUrl).messageBody(new QueueMessage(KEY, "item.sold").toJson()));
    }

    @Test
    void theStrandedRecord_isReturnedAndSentByTheSweeperJar_andEndsProcessedByTheProcessorJar() {
        assertEquals(EventStatus.QUEUED, before.orElseThrow().status(), "the stranded state before the run");
        assertTrue(sweeperAnswer != null && sweeperAnswer.path("strandedRecovered").asInt() == 1
                && sweeperAnswer.path("sent").asInt() == 1, "the sweeper returned it and sent it in one run: "
                + sweeperAnswer);
        assertFalse(processorAnswers.isEmpty(), "the processor got the resent message");
        assertTrue(processorAnswers.stream().allMatch(a -> a != null && a.path("batchItemFailures").isEmpty()),
                processorAnswers.toString());
        EventRecord done = after.orElseThrow();
        assertEquals(EventStatus.PROCESSED, done.status(), "history " + done.timeline());
        assertEquals(2, done.attempts(), "the failed attempt, then the one after the audit");
        assertEquals(1, done.processedCount(), "processed once");
        assertTrue(done.history().at(EventStatus.QUEUED).orElseThrow().isAfter(Instant.now().minus(Duration.ofMinutes(10))),
                "QUEUED again when the audit returned it: " + done.timeline());
        assertEquals(1, parkedInTheDlq, "the parked copy stays for the operator; a redrive of it is a harmless duplicate");
    }

    @Test
    void theSweepersLog_asCloudWatchReceivesIt_holdsTheStrandedRecoveredMetric_andTheAlarmsSeries() {
        assertTrue(CloudWatchLogEvents.problems(sweeperLogs, Set.copyOf(requestIds), initEnds).isEmpty(),
                CloudWatchLogEvents.problems(sweeperLogs, Set.copyOf(requestIds), initEnds).toString());
        List<JsonNode> metric = CloudWatchLogEvents.metricLines(sweeperLogs).stream()
                .filter(l -> l.has("StrandedRecovered")).toList();
        assertEquals(1, metric.size(), "one metric line: " + CloudWatchLogEvents.metricLines(sweeperLogs));
        assertEquals(1, metric.get(0).path("StrandedRecovered").asInt());
        assertEquals("rheo", metric.get(0).path("provider").asText());
        Set<Series> series = CloudWatchLogEvents.series(sweeperLogs);
        assertTrue(series.contains(new Series("Inlet", "StrandedRecovered", Map.of())), "the alarm's series: " + series);
        assertTrue(series.contains(new Series("Inlet", "StrandedRecovered", Map.of("provider", "rheo"))), series.toString());
        JsonNode alarm = template.resourcesOfType("AWS::CloudWatch::Alarm").get("StrandedRecordsAlarm").path("Properties");
        assertEquals("StrandedRecovered", alarm.path("MetricName").asText());
        assertTrue(alarm.path("Dimensions").isMissingNode() || alarm.path("Dimensions").isEmpty(),
                "the alarm watches the total, which the line publishes");
        assertEquals("GreaterThanThreshold", alarm.path("ComparisonOperator").asText());
        assertEquals(0, alarm.path("Threshold").asInt(), "any recovery is a bug");
        JsonNode warning = CloudWatchLogEvents.applicationLines(sweeperLogs).stream()
                .filter(l -> l.path("event").asText().equals("stranded_recovered")).findFirst()
                .orElseThrow(() -> new AssertionError(CloudWatchLogEvents.applicationLines(sweeperLogs).toString()));
        assertEquals("WARN", warning.path("level").asText());
        assertEquals(KEY.dedupKey(), warning.path("eventKey").asText());
        assertEquals("QUEUED", warning.path("status").asText());
        assertTrue(warning.path("why").asText().contains("not in the outbox"), warning.toString());
    }

    private static List<Message> receive(EmbeddedBackends backends, String queueUrl) {
        return backends.sqs().receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL).waitTimeSeconds(0)).messages();
    }


    /** The handler's answer: a JSON object, or a JSON string holding one (a typed handler returning a String). */
    private static JsonNode answerJson(RuntimeApiServer.Answer answer) throws java.io.IOException {
        if (answer.error()) {
            throw new AssertionError("error " + answer.errorType() + " " + answer.body());
        }
        JsonNode node = CloudWatchLogEvents.parseObject(answer.body());
        if (node == null) {
            JsonNode text = Json.parse(answer.body());
            node = text != null && text.isTextual() ? CloudWatchLogEvents.parseObject(text.asText()) : null;
        }
        return node;
    }
}
