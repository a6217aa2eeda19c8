package dev.inlet.aws.sqs;

import dev.inlet.core.outbox.ReplayService;
import dev.inlet.core.queue.QueueMessage;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Moves messages from the dead-letter queue back to the events queue. A message whose record is FAILED
 * (the processor gave up on it) is replayed: the record goes back in line with a fresh set of attempts,
 * outbox first, then its pointer is sent ({@link ReplayService#replayFailed}); without that the processor
 * would park it again, as it parks any message of a FAILED record. Any other message (one the queue's
 * maxReceiveCount backstop moved, or one that is not ours) is sent back as it is. Each is sent before it
 * is deleted from the DLQ: a crash in between leaves a duplicate, never a loss, and the processor's claim
 * makes the duplicate harmless.
 */
public final class SqsRedrive {
    private final SqsClient sqs;
    private final String deadLetterQueueUrl;
    private final String queueUrl;
    private final ReplayService replay;

    public SqsRedrive(SqsClient sqs, String deadLetterQueueUrl, String queueUrl, ReplayService replay) {
        this.sqs = sqs;
        this.deadLetterQueueUrl = deadLetterQueueUrl;
        this.queueUrl = queueUrl;
        this.replay = replay;
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
                if (!replayed(m)) {
                    sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(m.body()));
                }
                sqs.deleteMessage(r -> r.queueUrl(deadLetterQueueUrl).receiptHandle(m.receiptHandle()));
                moved++;
            }
        }
        return moved;
    }

    /** True when the message's record was FAILED and is now back in line (sent, or the sweeper's to send). */
    private boolean replayed(Message m) {
        QueueMessage parsed;
        try {
            parsed = QueueMessage.fromJson(m.body());
        } catch (IllegalArgumentException notOurs) {
            return false;
        }
        ReplayService.Outcome outcome = replay.replayFailed(parsed.key());
        if (outcome.result() == ReplayService.Result.FAILED) {
            throw new IllegalStateException("the events table is unavailable: " + outcome.why());
        }
        return outcome.replayed();
    }
}
