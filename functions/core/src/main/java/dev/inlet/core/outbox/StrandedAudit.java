package dev.inlet.core.outbox;

import dev.inlet.core.observe.Log;
import dev.inlet.core.observe.Metrics;
import dev.inlet.core.store.AuditIndex;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStatus;
import dev.inlet.core.store.OutboxShard;
import dev.inlet.core.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The backstop for what nobody imagined (DESIGN.md, invariant 8): every non-terminal record must have an
 * owner, an outbox entry, a live lease or a message on the queue. A record that a claim took out of the
 * outbox, whose lease has ended, and that nothing claimed again within the queue's visibility window
 * after that has none: the message that gave it its last claim would have come back by then. The audit
 * reads the {@link AuditIndex} (only such records, oldest first, a bounded number per run), returns each
 * ownerless record to the outbox with a conditional write (an owner that comes back first wins), so the
 * sweeper's normal resend path sends it, and counts it as {@value #METRIC}: any count means a bug.
 *
 * <p>Entries whose record turns out to have an owner or to be finished are taken out of the index or moved
 * to when their lease ends, so the oldest entries never hide the ones behind them.
 */
public final class StrandedAudit {
    public static final String METRIC = "StrandedRecovered";

    /** What the audit did with an ownerless record. */
    public enum Action { RETURNED, REPORTED, OWNER_CAME_BACK }

    /** An ownerless record: what it is, since when nothing owns it, why, and what the audit did. */
    public record Finding(EventKey key, String eventType, EventStatus status, Instant receivedAt,
                          Instant ownerlessSince, String why, Action action) {}

    /** One run: records read, the ownerless ones, entries cleaned or moved, and whether it stopped early. */
    public record Report(int examined, List<Finding> stranded, int tidied, boolean stoppedEarly) {
        public static final Report SKIPPED = new Report(0, List.of(), 0, true);

        public long returned() {
            return stranded.stream().filter(f -> f.action() == Action.RETURNED).count();
        }
    }

    private final AuditIndex index;
    private final Duration visibilityWindow;
    private final int readLimit;
    private final Clock clock;
    private final Log log;
    private final Metrics metrics;

    public StrandedAudit(AuditIndex index, Duration visibilityWindow, int readLimit, Clock clock, Log log,
                         Metrics metrics) {
        this.index = index;
        this.visibilityWindow = visibilityWindow;
        this.readLimit = readLimit;
        this.clock = clock;
        this.log = log;
        this.metrics = metrics;
    }

    /**
     * One audit, stopping at {@code deadline}. With {@code dryRun} it only reports: no write, no metric.
     */
    public Report run(Instant deadline, boolean dryRun) {
        Instant start = clock.instant();
        List<AuditIndex.Due> due;
        try {
            due = new ArrayList<>(index.dueForAudit(start.minus(visibilityWindow),
                    OutboxSweeper.perShardQuota(readLimit)));
        } catch (StoreUnavailableException e) {
            log.warn("audit_interrupted", "error", e.getMessage());
            return new Report(0, List.of(), 0, true);
        }
        due.sort(Comparator.comparing(AuditIndex.Due::auditAt));
        boolean stoppedEarly = due.size() > readLimit;
        if (stoppedEarly) {
            due = due.subList(0, readLimit);
        }
        List<Finding> stranded = new ArrayList<>();
        int examined = 0;
        int tidied = 0;
        for (AuditIndex.Due d : due) {
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                stoppedEarly = true;
                break;
            }
            try {
                Optional<AuditIndex.Entry> entry = index.inspect(d.key());
                examined++;
                if (entry.isEmpty()) {
                    continue;
                }
                Optional<Finding> found = judge(entry.get(), now, dryRun);
                if (found.isPresent()) {
                    stranded.add(found.get());
                } else if (!dryRun) {
                    tidied++;
                }
            } catch (StoreUnavailableException e) {
                log.warn("audit_interrupted", "provider", d.key().provider(), "eventKey", d.key().dedupKey(),
                        "error", e.getMessage());
                stoppedEarly = true;
                break;
            }
        }
        Report report = new Report(examined, List.copyOf(stranded), tidied, stoppedEarly);
        if (!dryRun && report.returned() == 0 && !stoppedEarly) {
            // A datapoint of 0 on every complete run: the alarm and the dashboard see the audit working.
            metrics.total("StrandedRecovered", 0);
        }
        if (examined > 0) {
            log.info("audit_done", "examined", examined, "stranded", stranded.size(), "returned", report.returned(),
                    "tidied", tidied, "stoppedEarly", stoppedEarly);
        }
        return report;
    }

    /** A finding when the record has no owner; otherwise its entry is taken out or moved on (unless a dry run). */
    private Optional<Finding> judge(AuditIndex.Entry entry, Instant now, boolean dryRun) {
        EventRecord r = entry.record();
        boolean finished = r.status() == EventStatus.PROCESSED || r.status() == EventStatus.FAILED
                || r.status() == EventStatus.QUARANTINED;
        if (finished || r.isExpired(now) || entry.inOutbox()) {
            if (!dryRun) {
                index.drop(entry);
            }
            return Optional.empty();
        }
        if (r.status() == EventStatus.PROCESSING && r.leaseUntil().isAfter(now)) {
            if (!dryRun) {
                index.defer(entry, r.leaseUntil());
            }
            return Optional.empty();
        }
        Instant since = ownerlessSince(entry);
        if (since.plus(visibilityWindow).isAfter(now)) {
            if (!dryRun) {
                index.defer(entry, since);
            }
            return Optional.empty();
        }
        String why = why(r, since);
        if (dryRun) {
            return Optional.of(finding(r, since, why, Action.REPORTED));
        }
        if (!index.returnToOutbox(entry, now)) {
            log.info("stranded_owner_came_back", "provider", r.key().provider(), "eventKey", r.key().dedupKey());
            return Optional.of(finding(r, since, why, Action.OWNER_CAME_BACK));
        }
        metrics.count("StrandedRecovered", r.key().provider());
        log.warn("stranded_recovered", "provider", r.key().provider(), "eventKey", r.key().dedupKey(),
                "eventType", r.eventType(), "status", r.status().name(), "receivedAt", r.receivedAt().toString(),
                "ownerlessSince", since.toString(), "attempts", r.attempts(), "shard", OutboxShard.of(r.key()),
                "why", why);
        return Optional.of(finding(r, since, why, Action.RETURNED));
    }

    /** The last moment anything held the record: its entry, its lease, or its last status change. */
    private static Instant ownerlessSince(AuditIndex.Entry entry) {
        EventRecord r = entry.record();
        Instant since = entry.auditAt();
        if (r.leaseUntil().isAfter(since)) {
            since = r.leaseUntil();
        }
        for (Instant at : r.history().entered().values()) {
            if (at.isAfter(since)) {
                since = at;
            }
        }
        return since;
    }

    private String why(EventRecord r, Instant since) {
        String state = switch (r.status()) {
            case PROCESSING -> "PROCESSING, but its lease ended at " + r.leaseUntil() + " without a completion";
            case QUEUED -> "QUEUED for another attempt, with no lease";
            default -> r.status() + ", with no lease";
        };
        return state + "; not in the outbox; not claimed again within the queue's visibility window ("
                + visibilityWindow.toSeconds() + " s) after " + since + ", so no message is on its way";
    }

    private static Finding finding(EventRecord r, Instant since, String why, Action action) {
        return new Finding(r.key(), r.eventType(), r.status(), r.receivedAt(), since, why, action);
    }
}
