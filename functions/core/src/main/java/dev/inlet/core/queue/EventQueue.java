package dev.inlet.core.queue;

import java.util.ArrayList;
import java.util.List;

/** The events queue. Transient faults surface as {@link QueueUnavailableException}. */
public interface EventQueue {
    /** The most messages {@link #sendBatch} takes at once (SQS SendMessageBatch's limit). */
    int BATCH_LIMIT = 10;

    void send(QueueMessage message);

    /**
     * Sends up to {@value #BATCH_LIMIT} messages; returns those that were not accepted (empty when all
     * were). A failure of the whole call is a {@link QueueUnavailableException}.
     */
    default List<QueueMessage> sendBatch(List<QueueMessage> messages) {
        List<QueueMessage> failed = new ArrayList<>();
        for (QueueMessage m : messages) {
            try {
                send(m);
            } catch (QueueUnavailableException e) {
                failed.add(m);
            }
        }
        return failed;
    }
}
