package dev.inlet.core.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One provider's rules: how a request proves it is genuine, and how an authentic body names its event.
 * Implementations are immutable and hold decoded keys.
 */
public interface WebhookProvider {
    /** Lower-case provider name, the first half of every event key: "rheo", "reverb", ... */
    String name();

    /** Checks authenticity on the exact bytes received. Must not parse the body before verifying it. */
    Verification verify(RawRequest request);

    /**
     * Reads the envelope of a verified request.
     *
     * @throws UnreadableBodyException the body is authentic but cannot be read: it is quarantined
     * @throws TimestampException the provider's signed time is present but unusable: rejected
     */
    Envelope read(RawRequest request) throws UnreadableBodyException, TimestampException;

    /**
     * The provider SnapStart priming verifies with. A provider whose secrets are read at run time answers
     * one keyed with a made-up key, so priming never reads a secret and no secret is in the snapshot.
     */
    default WebhookProvider forPriming() {
        return this;
    }

    /** How far the provider's time may be from ours; empty when the provider signs no time. */
    Optional<Duration> timestampTolerance();

    /** The status for a request that fails authenticity: 401, or 404 where the route must not be confirmed. */
    default int authFailureStatus() {
        return 401;
    }

    /**
     * The code the provider sees for an authenticity failure. Defaults to the reason's own code; a
     * provider whose route must not be confirmed (Reverb) answers every such failure alike. The log
     * line always carries the real reason.
     */
    default String publicCode(RejectionReason reason) {
        return reason.code();
    }

    /** Header names worth keeping on the record for audit. Never a header that carries a secret. */
    default List<String> auditHeaders() {
        return List.of("user-agent", "content-type");
    }

    /**
     * Header names this provider is known to send. Any other {@code x-*} header is logged by name (never
     * by value), so that a signature header a provider adds one day gets noticed.
     */
    default List<String> knownHeaders() {
        return List.of();
    }
}
