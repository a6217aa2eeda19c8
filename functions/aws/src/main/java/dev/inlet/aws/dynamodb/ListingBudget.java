package dev.inlet.aws.dynamodb;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many listing-index entries one listing may examine, for a caller that repeats it (the console's
 * live list polls every few seconds): a filter that matches little (a rare event type, a status) would
 * otherwise page through the whole retention window on every poll. Each index Query counts the entries
 * it examined, and at least one, so empty day partitions count too. Afterwards {@link #ranOut} tells
 * whether the listing stopped early. A range replay and {@code ./inlet events} use {@link #unlimited}.
 */
public final class ListingBudget {
    private final long entries;
    private final AtomicLong used = new AtomicLong();

    private ListingBudget(long entries) {
        this.entries = entries;
    }

    public static ListingBudget of(long entries) {
        if (entries < 1) {
            throw new IllegalArgumentException("a listing budget is at least one entry");
        }
        return new ListingBudget(entries);
    }

    public static ListingBudget unlimited() {
        return new ListingBudget(Long.MAX_VALUE);
    }

    /** True once the entries examined reached the budget: the listing stopped before the range's end. */
    public boolean ranOut() {
        return used.get() >= entries;
    }

    long used() {
        return used.get();
    }

    void spend(int examined) {
        used.addAndGet(Math.max(1, examined));
    }
}
