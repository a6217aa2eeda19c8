package dev.inlet.core.store;

/**
 * Which shard of the outbox a record sits in while it waits for a send: spreading records over
 * {@value #SHARDS} shards keeps the outbox index free of a hot partition. Stable per key.
 */
public final class OutboxShard {
    public static final int SHARDS = 16;

    private OutboxShard() {
    }

    public static String of(EventKey key) {
        return String.format("%02d", Math.floorMod(key.id().hashCode(), SHARDS));
    }

    public static String name(int shard) {
        return String.format("%02d", shard);
    }
}
