package dev.inlet.core.ingest;

/** The outcome of checking a request's authenticity. Expected outcomes are values, not exceptions. */
public sealed interface Verification {
    /** {@code variant} says which secret/scheme matched (e.g. "secret#2", "hmac-sha256-hex"), never a value. */
    record Verified(String variant) implements Verification {}

    record Rejected(RejectionReason reason) implements Verification {}

    /**
     * Nothing to verify against: the secret list was never read (Secrets Manager unreachable since the
     * start). The provider should retry: 503. {@code reason} names the setting and the error, never a value.
     */
    record Unavailable(String reason) implements Verification {}

    static Verification verified(String variant) {
        return new Verified(variant);
    }

    static Verification rejected(RejectionReason reason) {
        return new Rejected(reason);
    }

    static Verification unavailable(String reason) {
        return new Unavailable(reason);
    }
}
