package dev.inlet.core.outbox;

import dev.inlet.core.observe.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * One scheduled sweeper run: first the stranded-record audit (so what it returns to the outbox is sent by
 * the same run), within its own budget and never into the time the sweep needs, then the outbox sweep. The
 * audit is the backstop: whatever goes wrong in it is logged, and the sweep runs anyway.
 */
public final class SweeperRun {
    /** What the run did. */
    public record Result(StrandedAudit.Report audit, OutboxSweeper.Sweep sweep) {}

    private final StrandedAudit audit;
    private final OutboxSweeper sweeper;
    private final Duration auditBudget;
    private final Duration sweepReserve;
    private final Clock clock;
    private final Log log;

    /**
     * @param auditBudget the longest the audit may take
     * @param sweepReserve what the invocation must still have left when the audit ends: the sweep's own
     *                     budget and a margin for answering
     */
    public SweeperRun(StrandedAudit audit, OutboxSweeper sweeper, Duration auditBudget, Duration sweepReserve,
                      Clock clock, Log log) {
        this.audit = audit;
        this.sweeper = sweeper;
        this.auditBudget = auditBudget;
        this.sweepReserve = sweepReserve;
        this.clock = clock;
        this.log = log;
    }

    /** @param invocationDeadline when the invocation times out */
    public Result run(Instant invocationDeadline) {
        Instant now = clock.instant();
        Instant auditDeadline = now.plus(auditBudget);
        Instant latest = invocationDeadline.minus(sweepReserve);
        if (latest.isBefore(auditDeadline)) {
            auditDeadline = latest;
        }
        StrandedAudit.Report report = StrandedAudit.Report.SKIPPED;
        if (auditDeadline.isAfter(now)) {
            try {
                report = audit.run(auditDeadline, false);
            } catch (RuntimeException e) {
                log.error("audit_failed", "error", e.getClass().getName());
            }
        }
        return new Result(report, sweeper.sweep());
    }
}
