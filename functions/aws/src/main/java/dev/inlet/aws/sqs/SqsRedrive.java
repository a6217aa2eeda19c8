package dev.inlet.aws.sqs;

import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Moves messages from the dead-letter queue back to the events queue, each sent anew (so its receive
 * count starts again) before it is deleted from the DLQ: a crash in between leaves a duplicate, never a
 * loss, and the processor's claim makes the duplicate harmless. Their records are FAILED, which the
 * processor may claim again.
 */
public final class SqsRedrive {
    private final SqsClient sqs;
    private final String deadLetterQueueUrl;
    private final String queueUrl;

    public SqsRedrive(SqsClient sqs, String deadLetterQueueUrl, String queueUrl) {
        this.sqs = sqs;
        this.deadLetterQueueUrl = deadLetterQueueUrl;
        this.queueUrl = queueUrl;
    }

    /** @return how many messages were moved (at most {@code max}) */
    public int redrive(int max) {
        int moved = 0;
        while (moved < max) {
            int batch = Math.min(10, max - moved);
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(deadLetterQueueUrl)
                    .maxNumberOfMessages(batch).waitTimeSeconds(1).visibilityTimeout(60)).messages();
            if (messages.isEmpty()) {
                return moved;
            }
            for (Message m : messages) {
                sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(m.body()));
                sqs.deleteMessage(r -> r.queueUrl(deadLetterQueueUrl).receiptHandle(m.receiptHandle()));
                moved++;
            }
        }
        return moved;
    }
}
