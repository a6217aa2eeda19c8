package dev.inlet.core.reconcile;

/** What reconciliation did with one listed change. */
public enum Outcome {
    /** The entity state already shows the object at this state (or newer): a webhook delivered it. */
    KNOWN_STATE,
    /** The events table already holds this very event (a webhook's twin, or an earlier run's). */
    ALREADY_STORED,
    /** A webhook was missed: it went through the intake now, marked {@code reconcile}. */
    RECOVERED,
    /** Dry run: it would have been recovered. Nothing was written. */
    WOULD_RECOVER,
    /** The intake refused it (a body over the size limit): logged; the cursor does not move. */
    REFUSED
}
