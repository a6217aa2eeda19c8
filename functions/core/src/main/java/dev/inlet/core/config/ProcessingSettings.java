package dev.inlet.core.config;

import java.time.Duration;

/**
 * Settings of the processor.
 *
 * @param lease {@code PROCESSING_LEASE_SECONDS}, default 90: a claim's lifetime; longer than the
 *              processor's timeout, so a live invocation never loses its claim
 * @param maxReceives {@code MAX_RECEIVES}, default 5: must equal the queue's redrive maxReceiveCount; on
 *                    the last receive a failing event is marked FAILED before SQS moves it to the DLQ
 * @param handlerTimeout {@code HANDLER_TIMEOUT_SECONDS}, default 10: how long one business handler may
 *                       run; past it the event counts as failed (retried, FAILED on the last receive)
 *                       and the batch goes on without it. Shorter than the lease.
 */
public record ProcessingSettings(Duration lease, int maxReceives, Duration handlerTimeout) {
    /**
     * What one event costs besides its handler, at worst: the claim and the final mark, each bounded by
     * the SDK clients' 5 s per call (AwsClients).
     */
    public static final Duration STORE_CALLS = Duration.ofSeconds(10);

    public ProcessingSettings {
        if (handlerTimeout.compareTo(lease) >= 0) {
            throw new ConfigException("HANDLER_TIMEOUT_SECONDS", "must be shorter than PROCESSING_LEASE_SECONDS");
        }
    }

    public ProcessingSettings(Duration lease, int maxReceives) {
        this(lease, maxReceives, Duration.ofSeconds(10));
    }

    public static ProcessingSettings from(Env env) {
        return new ProcessingSettings(
                env.seconds("PROCESSING_LEASE_SECONDS", Duration.ofSeconds(90)),
                env.positiveInt("MAX_RECEIVES", 5),
                env.seconds("HANDLER_TIMEOUT_SECONDS", Duration.ofSeconds(10)));
    }

    /**
     * A batch starts no further event once the invocation has less time left than this: one event's
     * worst case (its handler's bound plus the store calls), so an event that is started can finish.
     */
    public Duration batchStopMargin() {
        return handlerTimeout.plus(STORE_CALLS);
    }
}
