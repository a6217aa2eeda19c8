package dev.inlet.core.queue;

/** The queue could not take the message. After the commit point this is not the provider's problem. */
public final class QueueUnavailableException extends RuntimeException {
    public QueueUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
