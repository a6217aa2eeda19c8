package dev.inlet.core.store;

/** RECEIVED -> QUEUED -> PROCESSING -> PROCESSED, or FAILED; QUARANTINED for authentic unreadable bodies. */
public enum EventStatus {
    RECEIVED, QUEUED, PROCESSING, PROCESSED, FAILED, QUARANTINED
}
