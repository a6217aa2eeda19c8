package dev.inlet.core.store;

import dev.inlet.core.publish.PendingPublish;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stored event (DESIGN.md, "The event record"). {@code leaseUntil} is the intake lease while
 * RECEIVED (the sweeper leaves the record alone until it expires) and the processing lease while
 * PROCESSING. {@code expiresAt} is enforced by our code; DynamoDB TTL only cleans up later.
 * {@code processedCount} counts transitions to PROCESSED: 1, plus one per replay. {@code resends} counts
 * the sends after the first one while the record waited in the outbox (sweeper or provider retry); each
 * one doubles the record's outbox lease ({@link dev.inlet.core.outbox.ResendBackoff}). {@code history} holds
 * when the record last entered each status after its arrival ({@link StatusHistory}). {@code source} says how
 * it reached the intake (a webhook, or reconciliation). {@code traceHeader} is the X-Ray trace header of the
 * receiver's invocation, sent on with the record's queue messages. {@code pending} holds the domain events of
 * the run that marked it PROCESSED until the bus took them ({@code publishedCount} counts the events published
 * over the record's life; {@link StatusHistory#lastPublishedAt()} says when last).
 */
public record EventRecord(
        EventKey key,
        String eventType,
        Instant receivedAt,
        Optional<Instant> providerTime,
        byte[] body,
        Map<String, String> auditHeaders,
        EventStatus status,
        int attempts,
        Optional<String> lastError,
        Instant leaseUntil,
        Optional<String> leaseOwner,
        Instant expiresAt,
        int replayCount,
        Optional<String> handledBy,
        Optional<Instant> lastReplayAt,
        int processedCount,
        int resends,
        StatusHistory history,
        EventSource source,
        Optional<String> traceHeader,
        Optional<PendingPublish> pending,
        int publishedCount) {

    /** A record without a trace header and nothing published. */
    public EventRecord(EventKey key, String eventType, Instant receivedAt, Optional<Instant> providerTime, byte[] body,
                       Map<String, String> auditHeaders, EventStatus status, int attempts, Optional<String> lastError,
                       Instant leaseUntil, Optional<String> leaseOwner, Instant expiresAt, int replayCount,
                       Optional<String> handledBy, Optional<Instant> lastReplayAt, int processedCount, int resends,
                       StatusHistory history, EventSource source) {
        this(key, eventType, receivedAt, providerTime, body, auditHeaders, status, attempts, lastError, leaseUntil,
                leaseOwner, expiresAt, replayCount, handledBy, lastReplayAt, processedCount, resends, history,
                source, Optional.empty(), Optional.empty(), 0);
    }

    /** A record that came in by webhook. */
    public EventRecord(EventKey key, String eventType, Instant receivedAt, Optional<Instant> providerTime, byte[] body,
                       Map<String, String> auditHeaders, EventStatus status, int attempts, Optional<String> lastError,
                       Instant leaseUntil, Optional<String> leaseOwner, Instant expiresAt, int replayCount,
                       Optional<String> handledBy, Optional<Instant> lastReplayAt, int processedCount, int resends,
                       StatusHistory history) {
        this(key, eventType, receivedAt, providerTime, body, auditHeaders, status, attempts, lastError, leaseUntil,
                leaseOwner, expiresAt, replayCount, handledBy, lastReplayAt, processedCount, resends, history,
                EventSource.WEBHOOK);
    }

    /** A record without a stored status history. */
    public EventRecord(EventKey key, String eventType, Instant receivedAt, Optional<Instant> providerTime, byte[] body,
                       Map<String, String> auditHeaders, EventStatus status, int attempts, Optional<String> lastError,
                       Instant leaseUntil, Optional<String> leaseOwner, Instant expiresAt, int replayCount,
                       Optional<String> handledBy, Optional<Instant> lastReplayAt, int processedCount, int resends) {
        this(key, eventType, receivedAt, providerTime, body, auditHeaders, status, attempts, lastError, leaseUntil,
                leaseOwner, expiresAt, replayCount, handledBy, lastReplayAt, processedCount, resends,
                StatusHistory.NONE);
    }

    /** A record that was never re-sent from the outbox. */
    public EventRecord(EventKey key, String eventType, Instant receivedAt, Optional<Instant> providerTime, byte[] body,
                       Map<String, String> auditHeaders, EventStatus status, int attempts, Optional<String> lastError,
                       Instant leaseUntil, Optional<String> leaseOwner, Instant expiresAt, int replayCount,
                       Optional<String> handledBy, Optional<Instant> lastReplayAt, int processedCount) {
        this(key, eventType, receivedAt, providerTime, body, auditHeaders, status, attempts, lastError, leaseUntil,
                leaseOwner, expiresAt, replayCount, handledBy, lastReplayAt, processedCount, 0);
    }

    public EventRecord {
        body = body == null ? new byte[0] : body;
        auditHeaders = auditHeaders == null ? Map.of() : Map.copyOf(auditHeaders);
        providerTime = providerTime == null ? Optional.empty() : providerTime;
        lastError = lastError == null ? Optional.empty() : lastError;
        leaseOwner = leaseOwner == null ? Optional.empty() : leaseOwner;
        handledBy = handledBy == null ? Optional.empty() : handledBy;
        lastReplayAt = lastReplayAt == null ? Optional.empty() : lastReplayAt;
        history = history == null ? StatusHistory.NONE : history;
        source = source == null ? EventSource.WEBHOOK : source;
        traceHeader = traceHeader == null ? Optional.empty() : traceHeader;
        pending = pending == null ? Optional.empty() : pending;
    }

    /** A fresh record as intake writes it at the commit point. */
    public static EventRecord received(EventKey key, String eventType, Instant now, Optional<Instant> providerTime,
                                       byte[] body, Map<String, String> auditHeaders, Instant leaseUntil,
                                       Instant expiresAt) {
        return new EventRecord(key, eventType, now, providerTime, body, auditHeaders, EventStatus.RECEIVED, 0,
                Optional.empty(), leaseUntil, Optional.empty(), expiresAt, 0, Optional.empty(), Optional.empty(), 0);
    }

    public static EventRecord quarantined(EventKey key, Instant now, byte[] body, Map<String, String> auditHeaders,
                                          String reason, Instant expiresAt) {
        return new EventRecord(key, "unreadable", now, Optional.empty(), body, auditHeaders, EventStatus.QUARANTINED,
                0, Optional.of(reason), now, Optional.empty(), expiresAt, 0, Optional.empty(), Optional.empty(), 0);
    }

    public boolean isExpired(Instant now) {
        return !expiresAt.isAfter(now);
    }

    public boolean leaseExpired(Instant now) {
        return !leaseUntil.isAfter(now);
    }

    public EventRecord withBody(byte[] newBody) {
        return new EventRecord(key, eventType, receivedAt, providerTime, newBody, auditHeaders, status, attempts,
                lastError, leaseUntil, leaseOwner, expiresAt, replayCount, handledBy, lastReplayAt, processedCount, resends,
                history, source, traceHeader, pending, publishedCount);
    }

    /** The same record, marked as having come in through {@code newSource}. */
    public EventRecord withSource(EventSource newSource) {
        return new EventRecord(key, eventType, receivedAt, providerTime, body, auditHeaders, status, attempts,
                lastError, leaseUntil, leaseOwner, expiresAt, replayCount, handledBy, lastReplayAt, processedCount, resends,
                history, newSource, traceHeader, pending, publishedCount);
    }

    /** The same record, carrying the receiver's trace header. */
    public EventRecord withTraceHeader(Optional<String> header) {
        return new EventRecord(key, eventType, receivedAt, providerTime, body, auditHeaders, status, attempts,
                lastError, leaseUntil, leaseOwner, expiresAt, replayCount, handledBy, lastReplayAt, processedCount, resends,
                history, source, header, pending, publishedCount);
    }

    /** The same record with its publish state: what is still to publish, and how many events were published. */
    public EventRecord withPublishState(Optional<PendingPublish> newPending, int newPublishedCount,
                                        StatusHistory newHistory) {
        return new EventRecord(key, eventType, receivedAt, providerTime, body, auditHeaders, status, attempts,
                lastError, leaseUntil, leaseOwner, expiresAt, replayCount, handledBy, lastReplayAt, processedCount, resends,
                newHistory, source, traceHeader, newPending, newPublishedCount);
    }

    /** The record's story in time order: arrival, then each status at the last time it was entered. */
    public List<StatusHistory.Step> timeline() {
        List<StatusHistory.Step> steps = history.inOrder(receivedAt, status);
        if (source == EventSource.WEBHOOK || steps.isEmpty()) {
            return steps;
        }
        // The arrival says how it came: "received via reconcile".
        List<StatusHistory.Step> out = new java.util.ArrayList<>(steps);
        StatusHistory.Step first = out.get(0);
        out.set(0, new StatusHistory.Step(first.what() + " via " + source.code(), first.at()));
        return List.copyOf(out);
    }
}
