package dev.inlet.core.reconcile;

/**
 * A listing that could not be completed. The message is fit for a terminal and a log line: it names
 * settings and secrets, never their values.
 */
public final class FeedException extends RuntimeException {
    /** Why, for the log and the exit code. */
    public enum Reason {
        /** 401/403: the API token is wrong, expired or lacks a scope. Retrying will not help. */
        REFUSED,
        /** 429 for longer than the retries allow. */
        RATE_LIMITED,
        /** No answer, a 5xx, or an answer that is not the documented shape. */
        UNAVAILABLE
    }

    private final Reason reason;

    public FeedException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
