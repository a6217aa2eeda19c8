package dev.inlet.core.ingest;

import dev.inlet.core.signature.Digests;
import java.time.Duration;
import java.time.Instant;
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

    /**
     * The provider's time as its signature covers it, for a provider that signs only part of the body
     * (Reusely): read from the signed fields alone, so that intake checks the window before reading the
     * rest of the body and before storing anything, quarantine included. Empty (the default) when the
     * signature covers the whole body: the window is then checked on the envelope's time.
     *
     * @throws TimestampException the signed time is present but unusable
     */
    default Optional<Instant> signedTime(RawRequest request) throws TimestampException {
        return Optional.empty();
    }

    /**
     * The dedup key of an authentic body that cannot be read. By default the body's SHA-256: the
     * signature covers the whole body, so each stored body took its own signature. A provider that signs
     * only some fields keys it by those fields, so one captured signature can store at most one record.
     */
    default String quarantineKey(RawRequest request) {
        return "sha256:" + Digests.sha256Hex(request.body());
    }

    /**
     * True where the route must never be confirmed (Reverb, whose path token is the secret): every
     * failure, size and header limits and bad encoding included, answers exactly like an unknown route.
     * The log line always carries the real reason.
     */
    default boolean hidesRoute() {
        return false;
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
