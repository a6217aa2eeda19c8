package dev.inlet.core.ingest;

import dev.inlet.core.store.EventKey;

/** What intake did with a request; each maps to exactly one HTTP status (DESIGN.md, status codes). */
public sealed interface IntakeResult {
    int status();

    /** Short machine-readable code for the response body. Never internals. */
    String code();

    /** Stored now. {@code enqueued} is false when SQS failed after the commit point (the sweeper sends it). */
    record Accepted(EventKey key, boolean enqueued) implements IntakeResult {
        public int status() { return 200; }
        public String code() { return "accepted"; }
    }

    /** Already stored; {@code resent} when its intake lease had expired before it reached the queue. */
    record Duplicate(EventKey key, boolean resent) implements IntakeResult {
        public int status() { return 200; }
        public String code() { return "duplicate"; }
    }

    /** Authentic but unreadable: stored for a human, not processed. */
    record Quarantined(EventKey key) implements IntakeResult {
        public int status() { return 200; }
        public String code() { return "quarantined"; }
    }

    /** {@code code} is what the provider sees: the reason's code unless the provider hides it. */
    record Rejected(RejectionReason reason, int status, String code) implements IntakeResult {
        public Rejected(RejectionReason reason, int status) {
            this(reason, status, reason.code());
        }
    }

    /** Our own transient fault before the commit point: the provider should retry. */
    record Unavailable() implements IntakeResult {
        public int status() { return 503; }
        public String code() { return "unavailable"; }
    }
}
