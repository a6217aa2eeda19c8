package dev.inlet.core.outbox;

import java.time.Duration;
import java.time.Instant;

/**
 * How long a record waits in the outbox before its next send. The intake lease (30 s by default) covers
 * the first send; each resend doubles it (1, 2, 4 ... minutes) up to {@code cap} (1 hour). A record still
 * unclaimed after its lease is either unsent or waiting in a backlogged queue, and nobody can tell which;
 * the growing lease bounds what a backlog costs: a 2-hour processor outage means at most 7 resends per
 * event (30 s + 1 + 2 + 4 + 8 + 16 + 32 min = 63.5 min, then one per hour).
 */
public record ResendBackoff(Duration first, Duration cap) {
    public static final Duration DEFAULT_CAP = Duration.ofHours(1);

    public ResendBackoff {
        if (first.isNegative() || first.isZero() || cap.compareTo(first) < 0) {
            throw new IllegalArgumentException("resend backoff needs 0 < first <= cap");
        }
    }

    public static ResendBackoff startingAt(Duration intakeLease) {
        return new ResendBackoff(intakeLease, intakeLease.compareTo(DEFAULT_CAP) > 0 ? intakeLease : DEFAULT_CAP);
    }

    /** The lease that follows resend number {@code resend} (1 for the first resend): first x 2^resend, capped. */
    public Duration leaseAfter(int resend) {
        Duration lease = first;
        for (int i = 0; i < resend && lease.compareTo(cap) < 0; i++) {
            lease = lease.multipliedBy(2);
        }
        return lease.compareTo(cap) > 0 ? cap : lease;
    }

    /** When the record is due again if resend number {@code resend} happens {@code now}. */
    public Instant leaseUntil(int resend, Instant now) {
        return now.plus(leaseAfter(resend));
    }
}
