package dev.inlet.aws.sqs;

import dev.inlet.core.queue.EventQueue;
import dev.inlet.core.queue.QueueMessage;
import dev.inlet.core.queue.QueueUnavailableException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** The events queue on SQS. Any SDK failure is a {@link QueueUnavailableException}. */
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
            sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(message.toJson()));
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
                    .messageBody(messages.get(i).toJson()).build());
        }
        try {
            return sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries)).failed().stream()
                    .map(f -> messages.get(Integer.parseInt(f.id()))).toList();
        } catch (SdkException e) {
            throw new QueueUnavailableException("SQS batch send failed: " + e.getClass().getSimpleName(), e);
        }
    }
}
