package dev.inlet.aws.sqs;

import dev.inlet.core.queue.DeadLetterQueue;
import dev.inlet.core.queue.QueueUnavailableException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The events queue's dead-letter queue on SQS, written by the processor (sqs:SendMessage on it only). */
public final class SqsDeadLetterQueue implements DeadLetterQueue {
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsDeadLetterQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void park(String messageBody) {
        try {
            sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(messageBody));
        } catch (SdkException e) {
            throw new QueueUnavailableException("SQS dead-letter send failed: " + e.getClass().getSimpleName(), e);
        }
    }
}
