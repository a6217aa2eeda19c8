package dev.inlet.core.publish;

/** The bus did not take every event of a publish call; the caller publishes them again later. */
public final class BusUnavailableException extends RuntimeException {
    public BusUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public BusUnavailableException(String message) {
        super(message);
    }
}
