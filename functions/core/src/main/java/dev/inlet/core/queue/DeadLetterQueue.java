package dev.inlet.core.queue;

/**
 * Where the processor parks the message of a record that gave up (FAILED, with its reason on the
 * record), and a message that is not ours. The processor writes the record first, then parks the
 * message, then reports it done: a crash in between leaves the message on the events queue, and its
 * next receive finds the record FAILED and parks it then.
 */
public interface DeadLetterQueue {
    /** Sends the message body as it came, unchanged, so a redrive can send it back. */
    void park(String messageBody);
}
