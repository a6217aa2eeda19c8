package dev.inlet.core.reconcile;

/**
 * The seam for reconciliation: a provider's API that can list what changed in a time window. A provider
 * module implements it (Reverb's orders first); the {@link Reconciler} does the rest (cursor, dedup,
 * intake, metrics) the same way for every provider.
 */
public interface ChangeFeed {
    /** The provider, as in event keys: {@code reverb}. */
    String provider();

    /** What is listed, unique per provider: {@code orders}. The cursor is kept per provider and feed. */
    String name();

    /**
     * Lists every change in the window, following every page, handing each page to {@code pages} as it
     * arrives. Returns only when the window has been read completely.
     *
     * @throws FeedException the window could not be read completely (refused token, rate limit outlasting
     *                       the retries, an unreadable answer, no answer)
     */
    void list(Window window, Pages pages) throws FeedException;

    /** Receives the pages of one listing, in order. */
    @FunctionalInterface
    interface Pages {
        void page(Page page);
    }
}
