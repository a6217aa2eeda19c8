package dev.inlet.core.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock tests move by hand, so leases and windows expire without sleeping. */
public final class MutableClock extends Clock {
    private final AtomicReference<Instant> now;
    private volatile Duration tick = Duration.ZERO;

    public MutableClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    public void advance(Duration d) {
        now.updateAndGet(t -> t.plus(d));
    }

    /** From now on every reading of the time moves the clock on by {@code step} first. */
    public MutableClock tickingEachReading(Duration step) {
        this.tick = step;
        return this;
    }

    public void set(Instant t) {
        now.set(t);
    }

    @Override
    public Instant instant() {
        Duration step = tick;
        return step.isZero() ? now.get() : now.updateAndGet(t -> t.plus(step));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
