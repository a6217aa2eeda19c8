package dev.inlet.core.config;

import java.time.Duration;

/**
 * The sweeper's stranded-record audit.
 *
 * @param visibilityWindow {@code QUEUE_VISIBILITY_SECONDS}, default 421 (the template's events queue): a
 *                         message that received a record's last claim comes back within this, so a record
 *                         left alone longer than this after its lease has no message on its way
 * @param readLimit {@code AUDIT_READ_LIMIT}, default 100: records one run reads at most
 * @param timeBudget {@code AUDIT_TIME_BUDGET_SECONDS}, default 10: how long one run may take at most (and never
 *                   more than the invocation leaves after the sweep's own budget)
 */
public record AuditSettings(Duration visibilityWindow, int readLimit, Duration timeBudget) {
    public static AuditSettings from(Env env) {
        return new AuditSettings(env.seconds("QUEUE_VISIBILITY_SECONDS", Duration.ofSeconds(421)),
                env.positiveInt("AUDIT_READ_LIMIT", 100),
                env.seconds("AUDIT_TIME_BUDGET_SECONDS", Duration.ofSeconds(10)));
    }
}
