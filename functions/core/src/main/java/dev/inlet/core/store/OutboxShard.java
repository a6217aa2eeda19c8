package dev.inlet.core.store;

/**
 * Which shard of the outbox a record sits in while it waits for a send: spreading records over
 * {@value #SHARDS} shards keeps the outbox index free of a hot partition. Stable per key.
 */
public final class OutboxShard {
    public static final int SHARDS = 16;
    private static final String[] NAMES = new String[SHARDS];

    static {
        for (int i = 0; i < SHARDS; i++) {
            NAMES[i] = (i < 10 ? "0" : "") + i;
        }
    }

    private OutboxShard() {
    }

    public static String of(EventKey key) {
        return NAMES[Math.floorMod(key.id().hashCode(), SHARDS)];
    }

    public static String name(int shard) {
        return NAMES[shard];
    }
}
