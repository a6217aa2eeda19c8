package dev.inlet.core.processing;

/**
 * What became of one queue message. Only {@link RetryLater} leaves the message on the queue;
 * {@link DeadLetter} asks the caller to move it to the dead-letter queue.
 */
public sealed interface ProcessingResult {
    /** The handler ran and the record is PROCESSED. */
    record Processed(String handledBy) implements ProcessingResult {}

    /** Nothing to do: already processed, quarantined, expired, or our lease was taken over. */
    record Skipped(String why) implements ProcessingResult {}

    /**
     * Leave the message for another receive (handler failed or timed out, another worker is on it, store
     * down). How often that happens never decides the record's fate: its own attempts do.
     */
    record RetryLater(String why) implements ProcessingResult {}

    /** The record is FAILED (written before this is returned): park the message in the dead-letter queue. */
    record DeadLetter(String why) implements ProcessingResult {}
}
