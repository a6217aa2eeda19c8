package dev.inlet.local.registration;

/** A provider API call that failed, with a message fit for the terminal (never the API token). */
public final class ApiException extends RuntimeException {
    private final int status;

    ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** The HTTP status, or 0 when the API was not reached. */
    public int status() {
        return status;
    }
}
