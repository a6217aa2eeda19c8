package dev.inlet.core.store;

/** The event store could not be reached or throttled us: transient, the caller answers 503 or retries. */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
