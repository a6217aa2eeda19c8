package dev.inlet.aws.sqs;

import dev.inlet.core.queue.EventQueue;
import dev.inlet.core.queue.QueueMessage;
import dev.inlet.core.queue.QueueUnavailableException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The events queue on SQS. Any SDK failure is a {@link QueueUnavailableException}. A message's trace header
 * travels as the {@code AWSTraceHeader} message system attribute (the processor reads it from the SQS record).
 */
public final class SqsEventQueue implements EventQueue {
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsEventQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void send(QueueMessage message) {
        try {
            sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(message.toJson())
                    .messageSystemAttributesWithStrings(traceAttribute(message)));
        } catch (SdkException e) {
            throw new QueueUnavailableException("SQS send failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /** One SendMessageBatch call; entry ids are the positions in {@code messages}. */
    @Override
    public List<QueueMessage> sendBatch(List<QueueMessage> messages) {
        if (messages.isEmpty()) {
            return List.of();
        }
        if (messages.size() > BATCH_LIMIT) {
            throw new IllegalArgumentException("at most " + BATCH_LIMIT + " messages per batch");
        }
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i))
                    .messageBody(messages.get(i).toJson())
                    .messageSystemAttributesWithStrings(traceAttribute(messages.get(i))).build());
        }
        try {
            return sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries)).failed().stream()
                    .map(f -> messages.get(Integer.parseInt(f.id()))).toList();
        } catch (SdkException e) {
            throw new QueueUnavailableException("SQS batch send failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /** The message's trace header as SQS's AWSTraceHeader system attribute (none when it has none). */
    private static Map<String, MessageSystemAttributeValue> traceAttribute(QueueMessage message) {
        return message.traceHeader().map(h -> Map.of(MessageSystemAttributeNameForSends.AWS_TRACE_HEADER.toString(),
                MessageSystemAttributeValue.builder().dataType("String").stringValue(h).build())).orElse(Map.of());
    }
}
