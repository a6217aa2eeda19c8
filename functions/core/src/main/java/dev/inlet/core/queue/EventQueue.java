package dev.inlet.core.queue;

/** The events queue. Transient faults surface as {@link QueueUnavailableException}. */
public interface EventQueue {
    void send(QueueMessage message);
}
