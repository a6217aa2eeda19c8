package dev.inlet.core.testing;

import dev.inlet.core.publish.PendingPublish;
import dev.inlet.core.store.AuditIndex;
import dev.inlet.core.store.ClaimOutcome;
import dev.inlet.core.store.CreateOutcome;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventQuery;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStatus;
import dev.inlet.core.store.EventStore;
import dev.inlet.core.store.OutboxShard;
import dev.inlet.core.store.StatusHistory;
import dev.inlet.core.store.StoreUnavailableException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The {@link EventStore} contract in memory, with the same conditions as the DynamoDB adapter, for
 * core tests and benchmarks. Can be told to be unavailable.
 */
public final class InMemoryEventStore implements EventStore, AuditIndex {
    private final Map<EventKey, EventRecord> records = new HashMap<>();
    private final AtomicBoolean down = new AtomicBoolean();
    /** Records put back into the outbox by a replay (RECEIVED records are in it by their status). */
    private final java.util.Set<EventKey> outbox = new java.util.HashSet<>();
    /** The audit index: records a claim took out of the outbox, until PROCESSED or FAILED, with their auditAt. */
    private final Map<EventKey, Instant> auditAt = new HashMap<>();

    public void setDown(boolean isDown) {
        down.set(isDown);
    }

    private void check() {
        if (down.get()) {
            throw new StoreUnavailableException("store is down (test)", null);
        }
    }

    @Override
    public synchronized CreateOutcome create(EventRecord record, Instant now) {
        check();
        EventRecord existing = records.get(record.key());
        if (existing != null && !existing.isExpired(now)) {
            return new CreateOutcome.Existing(existing.withBody(new byte[0]),
                    Optional.of(dev.inlet.core.signature.Digests.sha256Hex(existing.body())));
        }
        records.put(record.key(), record);
        return new CreateOutcome.Created();
    }

    @Override
    public synchronized boolean takeOverIntakeLease(EventKey key, Instant now, Instant newLeaseUntil) {
        check();
        EventRecord r = records.get(key);
        if (r == null || !inOutbox(r) || !r.leaseExpired(now)) {
            return false;
        }
        records.put(key, history(with(copy(r, r.status(), r.attempts(), r.lastError(), newLeaseUntil, r.leaseOwner(),
                r.handledBy()), r.replayCount(), r.lastReplayAt(), r.processedCount(), r.resends() + 1),
                r.history().resent(now)));
        return true;
    }

    /** In the outbox: from the put until the claim (RECEIVED), or from a replay until the claim (QUEUED, not yet claimed). */
    private boolean inOutbox(EventRecord r) {
        return r.status() == EventStatus.RECEIVED || r.status() == EventStatus.QUEUED && outbox.contains(r.key());
    }

    @Override
    public synchronized ClaimOutcome claim(EventKey key, String owner, Instant now, Instant leaseUntil) {
        check();
        EventRecord r = records.get(key);
        if (r == null || r.isExpired(now)) {
            return new ClaimOutcome.Missing();
        }
        switch (r.status()) {
            case PROCESSED:
                return new ClaimOutcome.AlreadyProcessed(r.pending());
            case QUARANTINED, FAILED:
                return new ClaimOutcome.NotProcessable(r.status());
            case PROCESSING:
                if (!r.leaseExpired(now)) {
                    return new ClaimOutcome.Busy(r.leaseUntil());
                }
                break;
            default:
                break;
        }
        outbox.remove(key);
        auditAt.put(key, leaseUntil);
        EventRecord claimed = history(copy(r, EventStatus.PROCESSING, r.attempts() + 1, r.lastError(), leaseUntil,
                Optional.of(owner), r.handledBy()), r.history().entering(EventStatus.PROCESSING, now));
        records.put(key, claimed);
        return new ClaimOutcome.Claimed(claimed);
    }

    @Override
    public synchronized boolean markProcessed(EventKey key, String owner, Instant now, String handledBy,
                                              Optional<PendingPublish> pending) {
        check();
        EventRecord r = records.get(key);
        if (r == null || r.status() != EventStatus.PROCESSING || !r.leaseOwner().equals(Optional.of(owner))) {
            return false;
        }
        auditAt.remove(key);
        EventRecord done = copy(r, EventStatus.PROCESSED, r.attempts(), Optional.empty(), r.leaseUntil(),
                Optional.empty(), Optional.of(handledBy));
        records.put(key, new EventRecord(done.key(), done.eventType(), done.receivedAt(), done.providerTime(),
                done.body(), done.auditHeaders(), done.status(), done.attempts(), done.lastError(), done.leaseUntil(),
                done.leaseOwner(), done.expiresAt(), done.replayCount(), done.handledBy(), done.lastReplayAt(),
                r.processedCount() + 1, r.resends(), r.history().entering(EventStatus.PROCESSED, now), r.source(),
                r.traceHeader(), pending, r.publishedCount()));
        return true;
    }

    @Override
    public synchronized boolean markPublished(EventKey key, String run, int count, Instant now) {
        check();
        EventRecord r = records.get(key);
        if (r == null || r.pending().map(p -> !p.run().equals(run)).orElse(true)) {
            return false;
        }
        records.put(key, r.withPublishState(Optional.empty(), r.publishedCount() + count, r.history().published(now)));
        return true;
    }

    @Override
    public synchronized void recordFailure(EventKey key, String owner, String error, boolean giveUp, Instant now) {
        check();
        EventRecord r = records.get(key);
        if (r != null && r.status() == EventStatus.PROCESSING && r.leaseOwner().equals(Optional.of(owner))) {
            EventStatus next = giveUp ? EventStatus.FAILED : EventStatus.QUEUED;
            if (giveUp) {
                auditAt.remove(key);
            }
            records.put(key, history(copy(r, next, r.attempts(), Optional.of(error), Instant.EPOCH, Optional.empty(),
                    r.handledBy()), r.history().entering(next, now)));
        }
    }

    @Override
    public synchronized List<EventRecord> dueForSend(Instant now, int perShard) {
        check();
        Map<String, List<EventRecord>> shards = new java.util.TreeMap<>();
        records.values().stream()
                .filter(r -> inOutbox(r) && r.leaseExpired(now) && !r.isExpired(now))
                .sorted(Comparator.comparing(EventRecord::leaseUntil))
                .forEach(r -> shards.computeIfAbsent(OutboxShard.of(r.key()), s -> new java.util.ArrayList<>()).add(r));
        return shards.values().stream().flatMap(l -> l.stream().limit(perShard)).toList();
    }

    @Override
    public synchronized boolean markForReplay(EventKey key, Instant now, Instant leaseUntil) {
        check();
        EventRecord r = records.get(key);
        if (r == null || r.isExpired(now) || r.status() == EventStatus.QUARANTINED
                || r.status() == EventStatus.PROCESSING && !r.leaseExpired(now)) {
            return false;
        }
        outbox.add(key);
        records.put(key, history(with(copy(r, EventStatus.QUEUED, 0, r.lastError(), leaseUntil,
                Optional.empty(), r.handledBy()), r.replayCount() + 1, Optional.of(now), r.processedCount(), 0),
                r.history().entering(EventStatus.QUEUED, now)));
        return true;
    }

    @Override
    public synchronized Optional<EventRecord> find(EventKey key, Instant now) {
        check();
        EventRecord r = records.get(key);
        return r == null || r.isExpired(now) ? Optional.empty() : Optional.of(r);
    }

    @Override
    public synchronized Stream<EventRecord> stream(EventQuery query, Instant now) {
        check();
        return records.values().stream().filter(r -> !r.isExpired(now)).filter(query::matches)
                .sorted(Comparator.comparing(EventRecord::receivedAt).reversed())
                .map(r -> r.withBody(new byte[0])).toList().stream();
    }

    public synchronized void clear() {
        records.clear();
    }

    public synchronized int size() {
        return records.size();
    }

    // ---- AuditIndex: the same conditions as the DynamoDB adapter ----------------------------------

    @Override
    public synchronized List<AuditIndex.Due> dueForAudit(Instant notAfter, int perShard) {
        check();
        Map<String, List<AuditIndex.Due>> shards = new java.util.TreeMap<>();
        auditAt.entrySet().stream().filter(e -> !e.getValue().isAfter(notAfter))
                .sorted(Map.Entry.comparingByValue())
                .forEach(e -> shards.computeIfAbsent(OutboxShard.of(e.getKey()), s -> new java.util.ArrayList<>())
                        .add(new AuditIndex.Due(e.getKey(), e.getValue())));
        return shards.values().stream().flatMap(l -> l.stream().limit(perShard)).toList();
    }

    @Override
    public synchronized Optional<AuditIndex.Entry> inspect(EventKey key) {
        check();
        EventRecord r = records.get(key);
        Instant at = auditAt.get(key);
        return r == null || at == null ? Optional.empty()
                : Optional.of(new AuditIndex.Entry(r.withBody(new byte[0]), inOutbox(r), at));
    }

    @Override
    public synchronized boolean returnToOutbox(AuditIndex.Entry seen, Instant now) {
        check();
        EventKey key = seen.record().key();
        EventRecord r = records.get(key);
        if (r == null || r.isExpired(now) || r.status() != seen.record().status() || inOutbox(r)
                || r.leaseUntil().isAfter(now) || !seen.auditAt().equals(auditAt.get(key))) {
            return false;
        }
        auditAt.remove(key);
        outbox.add(key);
        records.put(key, history(copy(r, EventStatus.QUEUED, r.attempts(), r.lastError(), now, Optional.empty(),
                r.handledBy()), r.history().entering(EventStatus.QUEUED, now)));
        return true;
    }

    @Override
    public synchronized boolean drop(AuditIndex.Entry seen) {
        check();
        return auditAt.remove(seen.record().key(), seen.auditAt());
    }

    @Override
    public synchronized boolean defer(AuditIndex.Entry seen, Instant notBefore) {
        check();
        return auditAt.replace(seen.record().key(), seen.auditAt(), notBefore);
    }

    /** Whether the audit index holds the record (tests). */
    public synchronized boolean inAuditIndex(EventKey key) {
        return auditAt.containsKey(key);
    }

    private static EventRecord copy(EventRecord r, EventStatus status, int attempts, Optional<String> lastError,
                                    Instant leaseUntil, Optional<String> owner, Optional<String> handledBy) {
        return new EventRecord(r.key(), r.eventType(), r.receivedAt(), r.providerTime(), r.body(), r.auditHeaders(),
                status, attempts, lastError, leaseUntil, owner, r.expiresAt(), r.replayCount(), handledBy,
                r.lastReplayAt(), r.processedCount(), r.resends(), r.history(), r.source(), r.traceHeader(), r.pending(),
                r.publishedCount());
    }

    private static EventRecord with(EventRecord r, int replayCount, Optional<Instant> lastReplayAt, int processedCount,
                                    int resends) {
        return new EventRecord(r.key(), r.eventType(), r.receivedAt(), r.providerTime(), r.body(), r.auditHeaders(),
                r.status(), r.attempts(), r.lastError(), r.leaseUntil(), r.leaseOwner(), r.expiresAt(), replayCount,
                r.handledBy(), lastReplayAt, processedCount, resends, r.history(), r.source(), r.traceHeader(),
                r.pending(), r.publishedCount());
    }

    private static EventRecord history(EventRecord r, StatusHistory history) {
        return r.withPublishState(r.pending(), r.publishedCount(), history);
    }
}
