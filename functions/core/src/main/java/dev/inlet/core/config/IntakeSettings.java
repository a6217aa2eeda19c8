package dev.inlet.core.config;

import java.time.Duration;

/**
 * Settings every receiver shares.
 *
 * @param maxBodyBytes {@code MAX_BODY_BYTES}, default 262144 (256 KB): larger bodies get 413
 * @param intakeLease {@code INTAKE_LEASE_SECONDS}, default 30: how long a stored record may wait for its
 *                    queue send before the sweeper (or a provider retry) sends it
 * @param retention {@code EVENT_RETENTION_DAYS}, default 30: how long records (and so dedup) live
 * @param maxHeaderCount {@code MAX_HEADER_COUNT}, default 100: more headers get 431
 * @param maxHeaderBytes {@code MAX_HEADER_BYTES}, default 16384: names and values together; more get 431
 */
public record IntakeSettings(int maxBodyBytes, Duration intakeLease, Duration retention, int maxHeaderCount,
                             int maxHeaderBytes) {
    public IntakeSettings(int maxBodyBytes, Duration intakeLease, Duration retention) {
        this(maxBodyBytes, intakeLease, retention, 100, 16_384);
    }

    /**
     * Refuses a {@code MAX_BODY_BYTES} larger than the store can keep in one record: better a failed
     * start, naming the setting, than a permanent 503 for every large delivery.
     *
     * @param storeLimit the largest body the event store can keep
     * @param why the store's reason, for the message
     */
    public IntakeSettings requireBodiesFit(int storeLimit, String why) {
        if (maxBodyBytes > storeLimit) {
            throw new ConfigException("MAX_BODY_BYTES", "must be at most " + storeLimit + ": " + why);
        }
        return this;
    }

    public static IntakeSettings from(Env env) {
        return new IntakeSettings(
                env.positiveInt("MAX_BODY_BYTES", 262_144),
                env.seconds("INTAKE_LEASE_SECONDS", Duration.ofSeconds(30)),
                Duration.ofDays(env.positiveInt("EVENT_RETENTION_DAYS", 30)),
                env.positiveInt("MAX_HEADER_COUNT", 100),
                env.positiveInt("MAX_HEADER_BYTES", 16_384));
    }
}
