package dev.inlet.local.emulator;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.core.json.Json;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * What Lambda's SQS event source mapping does, locally: long-poll the queue, hand batches to the
 * processor as SQS events (built as JSON, read with the runtime's serializer), delete what succeeded,
 * and leave reported failures to come back after the visibility timeout (and, after maxReceiveCount
 * receives, to move to the dead-letter queue).
 */
public final class QueuePoller implements AutoCloseable {
    private static final PojoSerializer<SQSEvent> SERIALIZER =
            LambdaEventSerializers.serializerFor(SQSEvent.class, QueuePoller.class.getClassLoader());

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final String functionName;
    private final RequestHandler<SQSEvent, SQSBatchResponse> handler;
    private final int timeoutMillis;
    private final Thread thread;
    private volatile boolean running = true;

    /** @param timeoutMillis the function's Timeout in the template: each batch gets that much time, as in Lambda */
    QueuePoller(SqsClient sqs, String queueUrl, String queueArn, String functionName,
                RequestHandler<SQSEvent, SQSBatchResponse> handler, int timeoutMillis) {
        this.sqs = sqs;
        this.timeoutMillis = timeoutMillis;
        this.queueUrl = queueUrl;
        this.queueArn = queueArn;
        this.functionName = functionName;
        this.handler = handler;
        this.thread = new Thread(this::loop, "inlet-queue-poller");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void loop() {
        while (running) {
            try {
                List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                        .waitTimeSeconds(1).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
                if (!messages.isEmpty()) {
                    deliver(messages);
                }
            } catch (SdkException e) {
                if (running) {
                    pause();
                }
            } catch (RuntimeException e) {
                System.err.println("processor invocation failed: " + e.getClass().getName());
                pause();
            }
        }
    }

    private void deliver(List<Message> messages) {
        SQSEvent event = SERIALIZER.fromJson(eventJson(messages));
        SQSBatchResponse response = handler.handleRequest(event,
                new LocalContext(functionName, UUID.randomUUID().toString(), timeoutMillis));
        Set<String> failed = new HashSet<>();
        if (response != null && response.getBatchItemFailures() != null) {
            response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
        }
        List<DeleteMessageBatchRequestEntry> done = messages.stream()
                .filter(m -> !failed.contains(m.messageId()))
                .map(m -> DeleteMessageBatchRequestEntry.builder().id(m.messageId()).receiptHandle(m.receiptHandle())
                        .build())
                .toList();
        if (!done.isEmpty()) {
            sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(done));
        }
    }

    private String eventJson(List<Message> messages) {
        ObjectNode root = Json.mapper().createObjectNode();
        ArrayNode records = root.putArray("Records");
        for (Message m : messages) {
            ObjectNode r = records.addObject();
            r.put("messageId", m.messageId());
            r.put("receiptHandle", m.receiptHandle());
            r.put("body", m.body());
            ObjectNode attributes = r.putObject("attributes");
            m.attributesAsStrings().forEach(attributes::put);
            r.putObject("messageAttributes");
            r.put("md5OfBody", m.md5OfBody());
            r.put("eventSource", "aws:sqs");
            r.put("eventSourceARN", queueArn);
            r.put("awsRegion", "us-east-1");
        }
        return root.toString();
    }

    private void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(3_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
