package dev.inlet.local.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.core.config.Env;
import dev.inlet.core.json.Json;
import dev.inlet.embedded.EmbeddedBackends;
import dev.inlet.embedded.LocalResources;
import dev.inlet.embedded.MotoServer;
import dev.inlet.embedded.SamTemplate;
import dev.inlet.local.Main;
import dev.inlet.local.Tools;
import dev.inlet.local.iam.ExecutionRoles;
import dev.inlet.local.iam.IamEvaluation;
import dev.inlet.local.publish.EventSchemas;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Issue 24's "done when", as deployed: the Reverb receiver and the processor jars under AWS's runtime
 * client ({@link LambdaJavaRuntime}), the events and entities tables on DynamoDB Local, the events queue on
 * ElasticMQ, and EventBridge on moto: the stack's bus ("inlet", as the template names it after the stack)
 * with the template's example rule, Reverb orders that became paid, whose target is an SQS queue in moto
 * that this test reads, and a second rule with the archive's pattern (every Inlet event) to a queue of its own,
 * which shows what the bus carries. A Reverb {@code orders/update} whose order became paid produces exactly
 * one event on the bus, which the example rule sends to its queue, valid against
 * docs/events/reverb-order-changed.schema.json; the same webhook again produces none; {@code ./inlet replay}
 * of it publishes once more with the same event key (which the example rule, wanting orders that became
 * paid, lets pass). The schema check waits for docs/events/ on main (see the comment in the test). Every PutEvents call is recorded
 * on its way to moto ({@link AwsCallRecorder}): its entries carry the receiver's trace header, and the
 * processor's role as SAM makes it allows them.
 */
class PublishedEventRuntimeTest {
    private static final Path WORK = ParityFixtures.ROOT.resolve("functions/local/target/runtime-parity");
    private static final String BUS = "inlet";

    @Test
    void aPaidReverbOrder_isPublishedOnceToTheRulesQueue_aDuplicateAddsNone_aReplayPublishesTheSameKeyAgain()
            throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux"),
                "AWS's runtime interface client ships its native Runtime API client for Linux only");
        Tools.require(Tools.MOTO_SERVER);
        SamTemplate template = SamTemplate.load(ParityFixtures.ROOT.resolve("template.yaml"));
        JsonNode envFile = Json.mapper().readTree(Files.readAllBytes(ParityFixtures.ROOT.resolve("events/env.json")));
        SamTemplate.Function receiver = function(template, "ReverbReceiverFunction");
        SamTemplate.Function processor = template.functions().stream().filter(SamTemplate.Function::sqsTriggered)
                .findFirst().orElseThrow();
        JsonNode rule = template.resourcesOfType("AWS::Events::Rule").get("ReverbOrderPaidRule").path("Properties");
        byte[] paid = paidOrder(ParityFixtures.ROOT.resolve("events/reverb/orders-update.json"));

        try (EmbeddedBackends backends = EmbeddedBackends.start(0, 0);
             MotoServer moto = MotoServer.start();
             AwsCallRecorder recorder = new AwsCallRecorder(template)) {
            LocalResources resources = LocalResources.create(template, backends, "", Optional.empty());
            String eventsQueue = resources.ref("EventsQueue").orElseThrow();
            String eventsQueueArn = resources.arn("EventsQueue").orElseThrow();
            AwsClients aws = motoClients(moto);
            String target = busWithTheExampleRule(aws, rule);
            String everything = everyInletEvent(aws, template);

            Map<String, String> receiverEnv = ParityFixtures.samEnvironment(receiver, envFile, backends);
            Map<String, String> processorEnv = new LinkedHashMap<>(ParityFixtures.samEnvironment(processor, envFile, backends));
            processorEnv.put("EVENT_BUS_NAME", BUS);
            processorEnv.put("EVENTBRIDGE_ENDPOINT", moto.endpoint().toString());
            processorEnv = recorder.route(processor.logicalId(), processorEnv);

            LambdaJavaRuntime receiving = LambdaJavaRuntime.start(template, receiver, receiverEnv,
                    LambdaJavaRuntime.loggingConfig(template, receiver), WORK.resolve("ReverbReceiverFunction-publish"));
            LambdaJavaRuntime processing = LambdaJavaRuntime.start(template, processor, processorEnv,
                    LambdaJavaRuntime.loggingConfig(template, processor), WORK.resolve("ProcessorFunction-publish"));
            List<JsonNode> delivered = new ArrayList<>();
            try {
                // 1. the webhook: accepted, queued, processed, published, routed by the rule to its queue
                RuntimeApiServer.Answer first = receiving.invoke(paid);
                assertTrue(body(first).contains("accepted"), first.body());
                String traceRoot = "Root=1-00000000-" + first.requestId().replace("-", "").substring(0, 24);
                processAll(processing, backends.sqs(), eventsQueue, eventsQueueArn);
                List<JsonNode> onTheBus = receiveAll(aws.sqs(), everything);
                assertEquals(1, onTheBus.size(), "exactly one event on the bus: " + onTheBus);
                delivered.addAll(receiveAll(aws.sqs(), target));
                assertEquals(1, delivered.size(), "and the rule sent it to its queue: " + delivered);
                JsonNode event = delivered.get(0);
                assertEquals("inlet.reverb", event.path("source").asText());
                assertEquals("Reverb Order Changed", event.path("detail-type").asText());
                assertEquals("paid", event.path("detail").path("current").path("status").asText());
                String eventKey = event.path("detail").path("eventKey").asText();
                assertFalse(eventKey.isEmpty(), "the detail carries the event key: " + event);
                assertEquals(List.of(), EventSchemas.load().problemsOfDelivered(Json.write(event)));
                List<JsonNode> entries = recorder.putEventsEntries();
                assertEquals(1, entries.size(), "one PutEvents entry: " + entries);
                assertTrue(entries.get(0).path("TraceHeader").asText().startsWith(traceRoot),
                        "the receiver's trace goes on through SQS to PutEvents: " + entries.get(0) + " vs " + traceRoot);

                // 2. the same webhook again: a duplicate, nothing more published
                RuntimeApiServer.Answer again = receiving.invoke(paid);
                assertTrue(body(again).contains("duplicate"), again.body());
                processAll(processing, backends.sqs(), eventsQueue, eventsQueueArn);
                assertEquals(List.of(), receiveAll(aws.sqs(), everything), "a duplicate webhook publishes nothing");
                assertEquals(List.of(), receiveAll(aws.sqs(), target));
                assertEquals(1, recorder.putEventsEntries().size(), "and puts nothing");

                // 3. ./inlet replay of the stored event: published again, under the same key
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int rc = Main.run(List.of("replay", "--id", eventKey),
                        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8),
                        Env.of(commandEnv(backends, eventsQueue)));
                assertEquals(0, rc, out.toString(StandardCharsets.UTF_8));
                processAll(processing, backends.sqs(), eventsQueue, eventsQueueArn);
                List<JsonNode> replayed = receiveAll(aws.sqs(), everything);
                assertEquals(1, replayed.size(), "the replay publishes once more: " + replayed + " " + recorder.putEventsEntries());
                assertEquals(eventKey, replayed.get(0).path("detail").path("eventKey").asText(), "with the same event key");
                // The order was paid before the replay: the example rule, which wants orders that became paid, lets it pass.
                assertEquals(List.of(), receiveAll(aws.sqs(), target), "the rule's consumer is not told twice");
            } finally {
                receiving.stop();
                processing.stop();
            }

            // The processor's real PutEvents calls, as IAM would authorize them under the template's role.
            ExecutionRoles roles = ExecutionRoles.of(ParityFixtures.ROOT.resolve("template.yaml"),
                    ExecutionRoles.defaultParameters());
            List<dev.inlet.local.iam.AwsCall> puts = recorder.calls().stream()
                    .filter(c -> c.action().equals("events:PutEvents")).toList();
            assertEquals(2, recorder.putEventsEntries().size(), "the first publish and the replay's");
            assertEquals(1, puts.size(), "the recorder keeps each distinct call once: " + puts);
            assertEquals(List.of(), IamEvaluation.refusedCalls(roles, puts));
            assertEquals(List.of(), recorder.unread());
        }
    }

    // ---- EventBridge on moto, as the template sets it up --------------------------------------------

    private static AwsClients motoClients(MotoServer moto) {
        Map<String, String> env = Map.of("AWS_REGION", EmbeddedBackends.REGION,
                "AWS_ACCESS_KEY_ID", EmbeddedBackends.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", EmbeddedBackends.SECRET_KEY,
                "EVENTS_TABLE", "unused", "SQS_ENDPOINT", moto.endpoint().toString(),
                "EVENTBRIDGE_ENDPOINT", moto.endpoint().toString());
        return new AwsClients(BackendSettings.from(Env.of(env)));
    }

    /** The bus, and the template's example rule (its own event pattern) with a queue as its target. */
    private static String busWithTheExampleRule(AwsClients aws, JsonNode rule) throws Exception {
        EventBridgeClient events = aws.eventBridge();
        SqsClient sqs = aws.sqs();
        events.createEventBus(r -> r.name(BUS));
        String queueUrl = sqs.createQueue(r -> r.queueName("PaidOrdersQueue")).queueUrl();
        String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        String pattern = Json.mapper().writeValueAsString(rule.path("EventPattern"));
        events.putRule(r -> r.name("inlet-reverb-order-paid").eventBusName(BUS).eventPattern(pattern));
        events.putTargets(r -> r.rule("inlet-reverb-order-paid").eventBusName(BUS)
                .targets(t -> t.id("PaidOrdersQueue").arn(queueArn)));
        return queueUrl;
    }

    /** What the bus carries: a rule with the archive's own pattern (every Inlet event) to a queue of its own. */
    private static String everyInletEvent(AwsClients aws, SamTemplate template) throws Exception {
        String queueUrl = aws.sqs().createQueue(r -> r.queueName("EveryInletEvent")).queueUrl();
        String queueArn = aws.sqs().getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        JsonNode archive = template.root().path("Resources").path("EventArchive").path("Properties");
        String pattern = Json.mapper().writeValueAsString(archive.path("EventPattern"));
        aws.eventBridge().putRule(r -> r.name("every-inlet-event").eventBusName(BUS).eventPattern(pattern));
        aws.eventBridge().putTargets(r -> r.rule("every-inlet-event").eventBusName(BUS)
                .targets(t -> t.id("EveryInletEvent").arn(queueArn)));
        return queueUrl;
    }

    private static List<JsonNode> receiveAll(SqsClient sqs, String queueUrl) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        for (List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)).messages();
             !batch.isEmpty(); batch = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)).messages()) {
            for (Message m : batch) {
                all.add(Json.parse(m.body()));
                sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
        return all;
    }

    // ---- the pipeline --------------------------------------------------------------------------------

    /** Every message on the events queue to the processor, in batches as the event source mapping builds them. */
    private static void processAll(LambdaJavaRuntime processor, SqsClient sqs, String queueUrl, String queueArn)
            throws Exception {
        for (List<Message> batch = receive(sqs, queueUrl); !batch.isEmpty(); batch = receive(sqs, queueUrl)) {
            RuntimeApiServer.Answer answer = processor.invoke(ParityFixtures.sqsEvent(batch, queueArn));
            assertFalse(answer.error(), answer.errorType() + " " + answer.body());
            JsonNode failures = Json.parse(answer.body()).path("batchItemFailures");
            assertTrue(failures.isArray() && failures.isEmpty(), "no batch item failures: " + answer.body());
            batch.forEach(m -> sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
        }
    }

    private static List<Message> receive(SqsClient sqs, String queueUrl) {
        return sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
    }

    /** {@code ./inlet replay}'s environment: the test's backends instead of the local stack's ports. */
    private static Map<String, String> commandEnv(EmbeddedBackends backends, String eventsQueue) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DYNAMODB_ENDPOINT", backends.dynamoEndpoint().toString());
        env.put("SQS_ENDPOINT", backends.sqsEndpoint().toString());
        env.put("EVENTS_TABLE", "EventsTable");
        env.put("EVENTS_QUEUE_URL", eventsQueue);
        return env;
    }

    // ---- the webhook -----------------------------------------------------------------------------------

    /** events/reverb/orders-update.json with the order now paid, under its own order number. */
    private static byte[] paidOrder(Path file) throws Exception {
        ObjectNode event = (ObjectNode) Json.mapper().readTree(Files.readAllBytes(file));
        ObjectNode order = (ObjectNode) Json.parse(event.path("body").asText());
        order.put("order_number", "PUB-" + Long.toHexString(System.nanoTime()));
        order.put("status", "paid");
        event.put("body", Json.mapper().writeValueAsString(order));
        return Json.mapper().writeValueAsBytes(event);
    }

    private static SamTemplate.Function function(SamTemplate template, String id) {
        return template.functions().stream().filter(f -> f.logicalId().equals(id)).findFirst().orElseThrow();
    }

    private static String body(RuntimeApiServer.Answer answer) throws Exception {
        assertFalse(answer.error(), answer.errorType() + " " + answer.body());
        return Json.parse(answer.body()).path("body").asText();
    }
}
