package dev.inlet.local.throttle;

import java.time.Duration;
import java.util.List;

/**
 * How a provider retries a delivery that failed (a 429 or any other non-2xx): the waits before each
 * retry, and after how many failed attempts in a row (of any delivery) it disables the endpoint (0:
 * never). PROVIDERS.md and issue 22 are the sources.
 */
public record RetrySchedule(String text, List<Duration> waits, int disableAfterFailuresInARow) {
    /** 5 retries, 1-2-4-8-16 s apart (the last 31 s after the first try); 15 failures in a row disable the endpoint. */
    public static final RetrySchedule RHEO = new RetrySchedule("retries after 1, 2, 4, 8, 16 s (gives up 31 s after the "
            + "first try); endpoint disabled after 15 failures in a row",
            List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                    Duration.ofSeconds(16)), 15);
    /** Retries 10 and 30 minutes after the first try. */
    public static final RetrySchedule REUSELY = new RetrySchedule("retries at +10 min and +30 min",
            List.of(Duration.ofMinutes(10), Duration.ofMinutes(20)), 0);
    /** Undocumented: assume a failed delivery is gone. */
    public static final RetrySchedule REVERB = new RetrySchedule("none assumed (undocumented)", List.of(), 0);
    /** Issue 22: assume no retry (PROVIDERS.md reports 20 retries 60 s apart; not relied on). */
    public static final RetrySchedule RECHAT = new RetrySchedule("none assumed (20 x 60 s reported, not relied on)",
            List.of(), 0);

    public RetrySchedule {
        waits = List.copyOf(waits);
    }

    public int attempts() {
        return 1 + waits.size();
    }

    /** The same schedule without the endpoint-disabling rule (to compare with the arithmetic). */
    RetrySchedule neverDisabling() {
        return new RetrySchedule(text + " (never disabled)", waits, 0);
    }
}
