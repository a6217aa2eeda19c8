package dev.inlet.core.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The stranded-record audit's view of the events: a sparse index of the records that a claim took out of
 * the outbox and that are not terminal yet. The claim enters a record (the same write that takes it out of
 * the outbox) with {@code auditAt}, the end of that claim's lease: the earliest moment nothing may own it
 * any more. Completion (PROCESSED) and giving up (FAILED) take it out in the write they make anyway.
 * Spread over {@link OutboxShard#SHARDS} shards, like the outbox, so no partition is hot.
 */
public interface AuditIndex {
    /** An index entry that is due: the record's key and its {@code auditAt}. */
    record Due(EventKey key, Instant auditAt) {}

    /**
     * The record behind an entry, as the audit judges it: the record without its body, whether it is in
     * the outbox, and its entry's {@code auditAt}.
     */
    record Entry(EventRecord record, boolean inOutbox, Instant auditAt) {}

    /** Entries with {@code auditAt <= notAfter}: at most {@code perShard} from each shard, each shard's oldest first. */
    List<Due> dueForAudit(Instant notAfter, int perShard);

    /** The record behind an entry (one consistent read, no body); empty when it is gone or out of the index. */
    Optional<Entry> inspect(EventKey key);

    /**
     * Puts an ownerless record back in the outbox, due at once, as QUEUED (recording when), and takes it out
     * of this index, only if it is still as {@code seen}: same status and entry, not in the outbox, no live
     * lease. False when an owner came back first (a claim, a replay): the owner wins.
     */
    boolean returnToOutbox(Entry seen, Instant now);

    /** Takes a finished, expired or outbox-owned record out of the index, if its entry is still {@code seen}'s. */
    boolean drop(Entry seen);

    /** Moves the entry to {@code notBefore} (an owner holds the record until then), if it is still {@code seen}'s. */
    boolean defer(Entry seen, Instant notBefore);
}
