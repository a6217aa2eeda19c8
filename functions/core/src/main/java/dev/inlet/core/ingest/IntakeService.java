package dev.inlet.core.ingest;

import dev.inlet.core.config.IntakeSettings;
import dev.inlet.core.observe.Log;
import dev.inlet.core.observe.Metrics;
import dev.inlet.core.outbox.ResendBackoff;
import dev.inlet.core.queue.EventQueue;
import dev.inlet.core.signature.Digests;
import dev.inlet.core.queue.QueueMessage;
import dev.inlet.core.queue.QueueUnavailableException;
import dev.inlet.core.store.CreateOutcome;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventSource;
import dev.inlet.core.store.EventStatus;
import dev.inlet.core.store.EventStore;
import dev.inlet.core.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The receive flow of DESIGN.md: verify the raw bytes, store the record with a conditional put (the
 * commit point, which also puts it in the outbox with a lease), send a pointer to SQS, answer: two backend
 * calls, nothing else written. Nothing is acknowledged before it is durable; nothing unauthentic is
 * written; an SQS failure after the commit point is left to the sweeper.
 */
public final class IntakeService {
    private final WebhookProvider provider;
    private final EventStore store;
    private final EventQueue queue;
    private final IntakeSettings settings;
    private final Clock clock;
    private final Log log;
    private final Metrics metrics;

    public IntakeService(WebhookProvider provider, EventStore store, EventQueue queue, IntakeSettings settings,
                         Clock clock, Log log, Metrics metrics) {
        this.provider = provider;
        this.store = store;
        this.queue = queue;
        this.settings = settings;
        this.clock = clock;
        this.log = log;
        this.metrics = metrics;
    }

    public WebhookProvider provider() {
        return provider;
    }

    /**
     * Runs the request path's code once without writing anything, for SnapStart to snapshot warm:
     * verification of a request that matches no secret, an envelope read, and one read of the store.
     * No log line, no metric, no queue message.
     */
    public void prime() {
        byte[] body = ("{\"eventId\":\"priming\",\"eventType\":\"priming\",\"type\":\"priming\","
                + "\"object_id\":1,\"timestamp\":\"" + clock.instant().getEpochSecond() + "\",\"data\":{}}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String zeros = "0".repeat(64);
        // Every provider's signature header, so each one's real verification path runs (and fails).
        RawRequest request = new RawRequest(body, Headers.of(Map.of("x-rheo-signature", "sha256=" + zeros,
                "x-rechat-signature", zeros, "authorization", zeros)),
                Map.of("topic", "orders-create", "token", "priming"), "priming");
        provider.forPriming().verify(request);
        try {
            provider.signedTime(request);
            provider.read(request);
        } catch (UnreadableBodyException | TimestampException | RuntimeException expected) {
            // priming exercises the code; the answer does not matter
        }
        store.find(new EventKey(provider.name(), "priming"), clock.instant());
    }

    public IntakeResult receive(RawRequest request) {
        String name = provider.name();
        int size = request.body().length;
        if (size > settings.maxBodyBytes()) {
            return reject(request, RejectionReason.BODY_TOO_LARGE, 413);
        }
        if (request.headers().size() > settings.maxHeaderCount()
                || request.headers().totalBytes() > settings.maxHeaderBytes()) {
            return reject(request, RejectionReason.HEADERS_TOO_LARGE, 431);
        }
        Verification verification = provider.verify(request);
        if (verification instanceof Verification.Unavailable unavailable) {
            log.error("secret_unavailable", "provider", name, "reason", unavailable.reason(),
                    "requestId", request.requestId());
            metrics.count("secret_unavailable", name);
            return new IntakeResult.Unavailable();
        }
        if (verification instanceof Verification.Rejected rejected) {
            return reject(request, rejected.reason(), 401);
        }
        String variant = ((Verification.Verified) verification).variant();
        noticeUnknownHeaders(request);

        Instant now = clock.instant();
        Envelope envelope;
        try {
            // A provider that signs only some fields has its signed time checked before anything else is read.
            Optional<Instant> signedTime = provider.signedTime(request);
            Optional<RejectionReason> early = signedTime.isPresent() ? outsideWindow(signedTime, now) : Optional.empty();
            if (early.isPresent()) {
                return reject(request, early.get(), 401);
            }
            envelope = provider.read(request);
        } catch (TimestampException e) {
            return reject(request, e.reason(), 401);
        } catch (UnreadableBodyException e) {
            return quarantine(request, e.getMessage(), now);
        }
        Optional<RejectionReason> window = outsideWindow(envelope.providerTime(), now);
        if (window.isPresent()) {
            return reject(request, window.get(), 401);
        }

        EventKey key = new EventKey(name, envelope.dedupKey());
        EventRecord record = EventRecord.received(key, envelope.eventType(), now, envelope.providerTime(),
                request.body(), audit(request), now.plus(settings.intakeLease()), now.plus(settings.retention()))
                .withTraceHeader(request.traceHeader());
        CreateOutcome outcome;
        try {
            outcome = store.create(record, now);
        } catch (StoreUnavailableException e) {
            log.error("store_unavailable", "provider", name, "requestId", request.requestId(),
                    "error", e.getMessage());
            metrics.count("unavailable", name);
            return new IntakeResult.Unavailable();
        }

        if (outcome instanceof CreateOutcome.Existing existing) {
            return duplicate(existing, request, now);
        }
        boolean enqueued = enqueue(new QueueMessage(key, envelope.eventType(), request.traceHeader()));
        metrics.countAll(name, "received", enqueued ? "enqueued" : "enqueue_failed");
        log.info("accepted", "provider", name, "eventKey", key.dedupKey(), "eventType", envelope.eventType(),
                "bytes", size, "verifiedBy", variant, "enqueued", enqueued, "requestId", request.requestId());
        return new IntakeResult.Accepted(key, enqueued);
    }

    /**
     * The same door for an event that did not come by webhook (reconciliation: our own authenticated call
     * to the provider's API fetched it, so there is nothing to verify): the same record, marked with its
     * {@code source}, the same conditional put and dedup, the same queue and outbox. A duplicate is
     * {@link IntakeResult.Duplicate}, as for a webhook delivered twice.
     */
    public IntakeResult admit(Envelope envelope, byte[] body, EventSource source, String requestId) {
        String name = provider.name();
        RawRequest request = new RawRequest(body, Headers.empty(), Map.of(), requestId);
        if (body.length > settings.maxBodyBytes()) {
            return reject(request, RejectionReason.BODY_TOO_LARGE, 413);
        }
        Instant now = clock.instant();
        EventKey key = new EventKey(name, envelope.dedupKey());
        EventRecord record = EventRecord.received(key, envelope.eventType(), now, envelope.providerTime(), body,
                Map.of(), now.plus(settings.intakeLease()), now.plus(settings.retention())).withSource(source);
        CreateOutcome outcome;
        try {
            outcome = store.create(record, now);
        } catch (StoreUnavailableException e) {
            log.error("store_unavailable", "provider", name, "requestId", requestId, "error", e.getMessage());
            metrics.count("unavailable", name);
            return new IntakeResult.Unavailable();
        }
        if (outcome instanceof CreateOutcome.Existing existing) {
            return duplicate(existing, request, now);
        }
        boolean enqueued = enqueue(new QueueMessage(key, envelope.eventType()));
        metrics.count(enqueued ? "enqueued" : "enqueue_failed", name);
        log.info("accepted", "provider", name, "eventKey", key.dedupKey(), "eventType", envelope.eventType(),
                "bytes", body.length, "source", source.code(), "enqueued", enqueued, "requestId", requestId);
        return new IntakeResult.Accepted(key, enqueued);
    }

    private IntakeResult duplicate(CreateOutcome.Existing found, RawRequest request, Instant now) {
        EventRecord existing = found.existing();
        EventKey key = existing.key();
        // Same key, another body: a provider that changed a stored event, or a captured signature replayed
        // with other unsigned content. The first body stays; the answer is still 200 duplicate.
        if (found.bodySha256().isPresent() && !found.bodySha256().get().equals(Digests.sha256Hex(request.body()))) {
            metrics.count("duplicate_conflict", provider.name());
            log.warn("duplicate_conflict", "provider", provider.name(), "eventKey", key.dedupKey(),
                    "status", existing.status().name(), "bytes", request.body().length,
                    "requestId", request.requestId());
        }
        boolean tookOver = false;
        boolean resent = false;
        if (existing.status() == EventStatus.RECEIVED && existing.leaseExpired(now)) {
            try {
                Instant leaseUntil = ResendBackoff.startingAt(settings.intakeLease())
                        .leaseUntil(existing.resends() + 1, now);
                tookOver = store.takeOverIntakeLease(key, now, leaseUntil);
                resent = tookOver && enqueue(new QueueMessage(key, existing.eventType(), existing.traceHeader()));
            } catch (StoreUnavailableException e) {
                // The record is durable and the sweeper will send it: the retry is still answered 200.
                log.warn("lease_takeover_failed", "provider", provider.name(), "eventKey", key.dedupKey());
            }
        }
        if (tookOver) {
            metrics.countAll(provider.name(), "duplicate", "resent", resent ? "enqueued" : "enqueue_failed");
        } else {
            metrics.count("duplicate", provider.name());
        }
        log.info("duplicate", "provider", provider.name(), "eventKey", key.dedupKey(),
                "status", existing.status().name(), "resent", resent, "requestId", request.requestId());
        return new IntakeResult.Duplicate(key, resent);
    }

    /**
     * Sends. A failure here is after the commit point: logged, left to the sweeper (the record is in the
     * outbox); the caller counts {@code enqueued} or {@code enqueue_failed} with the request's other counts.
     */
    private boolean enqueue(QueueMessage message) {
        try {
            queue.send(message);
        } catch (QueueUnavailableException e) {
            log.warn("enqueue_failed", "provider", provider.name(), "eventKey", message.key().dedupKey(),
                    "error", e.getMessage());
            return false;
        }
        return true;
    }

    private IntakeResult quarantine(RawRequest request, String reason, Instant now) {
        EventKey key = new EventKey(provider.name(), provider.quarantineKey(request));
        EventRecord record = EventRecord.quarantined(key, now, request.body(), audit(request), reason,
                now.plus(settings.retention()));
        CreateOutcome outcome;
        try {
            outcome = store.create(record, now);
        } catch (StoreUnavailableException e) {
            log.error("store_unavailable", "provider", provider.name(), "requestId", request.requestId(),
                    "error", e.getMessage());
            metrics.count("unavailable", provider.name());
            return new IntakeResult.Unavailable();
        }
        if (outcome instanceof CreateOutcome.Existing existing) {
            return duplicate(existing, request, now);
        }
        metrics.count("quarantined", provider.name());
        log.warn("quarantined", "provider", provider.name(), "eventKey", key.dedupKey(), "reason", reason,
                "bytes", request.body().length, "requestId", request.requestId());
        return new IntakeResult.Quarantined(key);
    }

    /** A provider that hides its route answers every rejection as an unknown route; the log keeps the reason. */
    private IntakeResult.Rejected reject(RawRequest request, RejectionReason reason, int status) {
        int answered = provider.hidesRoute() ? 404 : status;
        metrics.count("rejected", provider.name(), reason.code());
        log.warn("rejected", "provider", provider.name(), "reason", reason.code(), "status", answered,
                "bytes", request.body().length, "requestId", request.requestId());
        return new IntakeResult.Rejected(reason, answered,
                provider.hidesRoute() ? RejectionReason.UNKNOWN_ROUTE.code() : reason.code());
    }

    private Optional<RejectionReason> outsideWindow(Optional<Instant> providerTime, Instant now) {
        Optional<Duration> tolerance = provider.timestampTolerance();
        if (tolerance.isEmpty()) {
            return Optional.empty();
        }
        if (providerTime.isEmpty()) {
            return Optional.of(RejectionReason.TIMESTAMP_MISSING);
        }
        Instant sent = providerTime.get();
        if (sent.isBefore(now.minus(tolerance.get()))) {
            return Optional.of(RejectionReason.TIMESTAMP_TOO_OLD);
        }
        if (sent.isAfter(now.plus(tolerance.get()))) {
            return Optional.of(RejectionReason.TIMESTAMP_IN_FUTURE);
        }
        return Optional.empty();
    }

    private Map<String, String> audit(RawRequest request) {
        return request.headers().select(provider.auditHeaders());
    }

    private void noticeUnknownHeaders(RawRequest request) {
        for (String header : request.headers().names()) {
            if (header.startsWith("x-") && !provider.knownHeaders().contains(header)
                    && !header.startsWith("x-amz") && !header.startsWith("x-forwarded")) {
                log.info("unknown_header", "provider", provider.name(),
                        "header", header.toLowerCase(Locale.ROOT));
            }
        }
    }
}
