package dev.inlet.aws.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.LocalTables;
import dev.inlet.aws.dynamodb.DynamoDbEventStore;
import dev.inlet.aws.testing.TestClients;
import dev.inlet.core.config.Env;
import dev.inlet.core.config.IntakeSettings;
import dev.inlet.core.json.Json;
import dev.inlet.core.queue.QueueMessage;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.testing.CapturingSink;
import dev.inlet.core.testing.TestProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The receiver's X-Ray trace header, as the Lambda runtime hands it over (the context's
 * {@code getXrayTraceId()}), is stored on the record and sent as the SQS message's {@code AWSTraceHeader}
 * (DynamoDB Local and ElasticMQ).
 */
class ReceiverTraceTest {
    private static final String TRACE = "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1";

    @Test
    void tracedInvocation_storesTheTraceHeader_andSendsItAsAwsTraceHeader_andAnUntracedOneHasNone() throws Exception {
        var resources = LocalTables.create();
        Env env = LocalTables.env(resources);
        var clients = TestClients.of(BackendSettings.from(env));
        HttpReceiver receiver = HttpReceiver.create(new TestProvider(), clients, IntakeSettings.from(env),
                Clock.systemUTC(), Observability.to(new CapturingSink(), Clock.systemUTC()));
        ReceiverFunction function = new ReceiverFunction(receiver) { };
        String queueUrl = resources.ref("EventsQueue").orElseThrow();

        invoke(function, "traced-" + System.nanoTime(), TRACE);
        Message traced = receiveOne(clients.sqs(), queueUrl);
        invoke(function, "untraced-" + System.nanoTime(), null);
        Message untraced = receiveOne(clients.sqs(), queueUrl);

        assertEquals(TRACE, traced.attributesAsStrings().get("AWSTraceHeader"));
        assertEquals(null, untraced.attributesAsStrings().get("AWSTraceHeader"));
        EventKey key = QueueMessage.fromJson(traced.body()).key();
        DynamoDbEventStore store = new DynamoDbEventStore(clients.dynamoDb(), resources.ref("EventsTable").orElseThrow());
        assertEquals(Optional.of(TRACE), store.find(key, Instant.now()).orElseThrow().traceHeader());
        assertEquals(Optional.empty(), store.find(QueueMessage.fromJson(untraced.body()).key(), Instant.now())
                .orElseThrow().traceHeader());
    }

    @Test
    void withoutATraceIdOnTheContext_theRuntimesSystemPropertyIsRead() {
        String before = System.getProperty("com.amazonaws.xray.traceHeader");
        try {
            System.setProperty("com.amazonaws.xray.traceHeader", TRACE);
            assertEquals(Optional.of(TRACE), ReceiverFunction.traceHeader(context(null)));
            assertEquals(Optional.of("Root=1-other"), ReceiverFunction.traceHeader(context("Root=1-other")),
                    "the context's own value first");
            System.clearProperty("com.amazonaws.xray.traceHeader");
            assertEquals(Optional.empty(), ReceiverFunction.traceHeader(context(null)));
        } finally {
            if (before != null) {
                System.setProperty("com.amazonaws.xray.traceHeader", before);
            }
        }
    }

    private static void invoke(ReceiverFunction function, String id, String trace) throws Exception {
        byte[] body = TestProvider.body(id, "thing.done", Instant.now());
        ObjectNode event = Json.object();
        event.put("version", "2.0");
        event.putObject("headers").put("x-test-signature", TestProvider.sign(body))
                .put("content-type", "application/json");
        event.putObject("requestContext").put("requestId", "req-" + id).putObject("http").put("method", "POST");
        event.put("body", new String(body, StandardCharsets.UTF_8));
        event.put("isBase64Encoded", false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(Json.write(event).getBytes(StandardCharsets.UTF_8)), out,
                context(trace));
        assertEquals(200, Json.parse(out.toByteArray()).path("statusCode").asInt(), out.toString(StandardCharsets.UTF_8));
    }

    private static Message receiveOne(software.amazon.awssdk.services.sqs.SqsClient sqs, String url) {
        for (int i = 0; i < 5; i++) {
            var messages = sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.AWS_TRACE_HEADER)).messages();
            if (!messages.isEmpty()) {
                sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(messages.get(0).receiptHandle()));
                return messages.get(0);
            }
        }
        throw new AssertionError("no message on the queue");
    }

    /** A Lambda context as the runtime interface client builds one, with its trace id. */
    private static Context context(String xrayTraceId) {
        return new Context() {
            public String getAwsRequestId() { return "aws-req"; }
            public String getLogGroupName() { return "/aws/lambda/test"; }
            public String getLogStreamName() { return "test"; }
            public String getFunctionName() { return "TestReceiver"; }
            public String getFunctionVersion() { return "$LATEST"; }
            public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:000000000000:function:test"; }
            public CognitoIdentity getIdentity() { return null; }
            public ClientContext getClientContext() { return null; }
            public int getRemainingTimeInMillis() { return 10_000; }
            public int getMemoryLimitInMB() { return 512; }
            public LambdaLogger getLogger() { return null; }
            public String getXrayTraceId() { return xrayTraceId; }
        };
    }
}
