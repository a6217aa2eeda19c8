package dev.inlet.core.store;

/** The identity of an event: {@code provider#dedupKey}. */
public record EventKey(String provider, String dedupKey) {
    public EventKey {
        if (provider == null || provider.isBlank() || provider.contains("#")) {
            throw new IllegalArgumentException("provider must be a non-blank name without '#'");
        }
        if (dedupKey == null || dedupKey.isBlank()) {
            throw new IllegalArgumentException("dedupKey must not be blank");
        }
    }

    public String id() {
        return provider + "#" + dedupKey;
    }

    /** Parses {@code provider#dedupKey}; the dedup key itself may contain '#'. */
    public static EventKey parse(String id) {
        int hash = id == null ? -1 : id.indexOf('#');
        if (hash <= 0 || hash == id.length() - 1) {
            throw new IllegalArgumentException("an event id looks like provider#dedupKey");
        }
        return new EventKey(id.substring(0, hash), id.substring(hash + 1));
    }

    @Override
    public String toString() {
        return id();
    }
}
