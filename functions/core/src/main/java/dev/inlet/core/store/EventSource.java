package dev.inlet.core.store;

import java.util.Locale;

/**
 * How an event reached the intake: a provider's webhook, or reconciliation (an order the provider's API
 * listed that no webhook had brought). Stored on the record (absent means {@link #WEBHOOK}), shown by
 * {@code ./inlet events}, the console and the status history.
 */
public enum EventSource {
    WEBHOOK,
    RECONCILE;

    /** The stored and shown name: {@code webhook}, {@code reconcile}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The stored name back; anything unknown or absent reads as a webhook. */
    public static EventSource fromCode(String code) {
        return "reconcile".equals(code) ? RECONCILE : WEBHOOK;
    }
}
