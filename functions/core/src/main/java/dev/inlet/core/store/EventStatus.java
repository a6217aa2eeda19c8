package dev.inlet.core.store;

/**
 * RECEIVED -> PROCESSING -> PROCESSED, or FAILED; QUEUED only for a record put back in line on purpose
 * (replay, redrive) or after a failed attempt; QUARANTINED for authentic unreadable bodies.
 */
public enum EventStatus {
    RECEIVED, QUEUED, PROCESSING, PROCESSED, FAILED, QUARANTINED
}
