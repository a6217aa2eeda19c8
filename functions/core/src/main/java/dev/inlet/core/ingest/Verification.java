package dev.inlet.core.ingest;

/** The outcome of checking a request's authenticity. Expected outcomes are values, not exceptions. */
public sealed interface Verification {
    /** {@code variant} says which secret/scheme matched (e.g. "secret#2", "hmac-sha256-hex"), never a value. */
    record Verified(String variant) implements Verification {}

    record Rejected(RejectionReason reason) implements Verification {}

    static Verification verified(String variant) {
        return new Verified(variant);
    }

    static Verification rejected(RejectionReason reason) {
        return new Rejected(reason);
    }
}
