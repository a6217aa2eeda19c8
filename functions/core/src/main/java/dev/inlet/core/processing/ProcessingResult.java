package dev.inlet.core.processing;

/** What became of one queue message. Only {@link RetryLater} leaves the message on the queue. */
public sealed interface ProcessingResult {
    /** The handler ran and the record is PROCESSED. */
    record Processed(String handledBy) implements ProcessingResult {}

    /** Nothing to do: already processed, quarantined, expired, or our lease was taken over. */
    record Skipped(String why) implements ProcessingResult {}

    /** Leave the message for another receive (handler failed, another worker is on it, store down). */
    record RetryLater(String why) implements ProcessingResult {}
}
