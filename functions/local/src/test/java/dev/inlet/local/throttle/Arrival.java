package dev.inlet.local.throttle;

import java.time.Duration;

/** When a burst's first tries arrive. */
public enum Arrival {
    /** Spread evenly over the window: delivery i at i x window / n. */
    EVEN,
    /** All at the same instant (a provider sending the whole burst at once). */
    AT_ONCE;

    long firstTryMicros(int i, int n, Duration window) {
        return this == AT_ONCE ? 0 : (long) ((double) i * window.toNanos() / 1000.0 / n);
    }
}
