package dev.inlet.core.ingest;

/** An authentic body we cannot read (not JSON, missing id...). It is quarantined, not rejected. */
public final class UnreadableBodyException extends Exception {
    public UnreadableBodyException(String reason) {
        super(reason, null, false, false);
    }
}
