package dev.inlet.aws.sqs;

import dev.inlet.core.queue.EventQueue;
import dev.inlet.core.queue.QueueMessage;
import dev.inlet.core.queue.QueueUnavailableException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

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
}
