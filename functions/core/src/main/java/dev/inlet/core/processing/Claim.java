package dev.inlet.core.processing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The claim a handler runs under: its fencing token. While it holds, no other run of the same record
 * can start: the store's claim is refused to anyone else until {@link #leaseUntil()}. A handler checks
 * it right before an external side effect ({@link #check()}), and may pass {@link #token()} on to a
 * system that understands fencing tokens. Past {@link #deadline()} the processor no longer waits for
 * the handler (HANDLER_TIMEOUT_SECONDS): the record stays claimed until the handler's thread ends or the
 * lease runs out, but the environment may be recycled at any moment, so a handler starts no new side
 * effect then.
 */
public final class Claim {
    private static final Claim NONE = new Claim("none", Instant.MAX, Instant.MAX, Clock.systemUTC());

    private final String owner;
    private final Instant leaseUntil;
    private final Instant deadline;
    private final Clock clock;

    public Claim(String owner, Instant leaseUntil, Instant deadline, Clock clock) {
        this.owner = owner;
        this.leaseUntil = leaseUntil;
        this.deadline = deadline;
        this.clock = clock;
    }

    /** No claim: a handler called by a tool or a test, outside the processor. Always holds. */
    public static Claim none() {
        return NONE;
    }

    /** Who holds the record (a fresh id per claim). */
    public String owner() {
        return owner;
    }

    /** Until when the claim keeps every other run out. */
    public Instant leaseUntil() {
        return leaseUntil;
    }

    /** When the processor stops waiting for this handler (HANDLER_TIMEOUT_SECONDS after its start). */
    public Instant deadline() {
        return deadline;
    }

    /** The owner and the lease as one opaque string, e.g. for a fencing-aware downstream API. */
    public String token() {
        return owner + "/" + leaseUntil.toEpochMilli();
    }

    /** Time left before the deadline or the end of the lease, whichever comes first (zero when past). */
    public Duration remaining() {
        Instant end = deadline.isBefore(leaseUntil) ? deadline : leaseUntil;
        Duration left = Duration.between(clock.instant(), end);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** True while this run alone may act for the record and the processor still waits for it. */
    public boolean holds() {
        return !remaining().isZero();
    }

    /**
     * Call right before an external side effect: throws when the claim no longer holds (deadline passed or
     * lease run out), so the effect is left to the next run.
     */
    public void check() throws ClaimLostException {
        if (!holds()) {
            throw new ClaimLostException(this);
        }
    }

    /** The claim no longer holds: start no side effect. The event is retried by a later run. */
    public static final class ClaimLostException extends Exception {
        ClaimLostException(Claim claim) {
            super("claim " + claim.owner + " no longer holds (deadline " + claim.deadline + ", lease until "
                    + claim.leaseUntil + ")", null, false, false);
        }
    }

    @Override
    public String toString() {
        return "Claim[" + token() + ", deadline " + deadline + "]";
    }
}
