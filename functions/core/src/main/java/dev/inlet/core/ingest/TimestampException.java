package dev.inlet.core.ingest;

/** A provider timestamp that is present but unusable (non-numeric, overflowing, malformed). */
public final class TimestampException extends Exception {
    private final RejectionReason reason;

    public TimestampException(RejectionReason reason) {
        super(reason.code(), null, false, false);
        this.reason = reason;
    }

    public RejectionReason reason() {
        return reason;
    }
}
