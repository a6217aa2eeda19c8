package dev.inlet.core.config;

import java.time.Duration;

/**
 * Settings of the processor.
 *
 * @param lease {@code PROCESSING_LEASE_SECONDS}, default 90: a claim's lifetime; longer than the
 *              processor's timeout, so a live invocation never loses its claim
 * @param maxReceives {@code MAX_RECEIVES}, default 5: must equal the queue's redrive maxReceiveCount; on
 *                    the last receive a failing event is marked FAILED before SQS moves it to the DLQ
 */
public record ProcessingSettings(Duration lease, int maxReceives) {
    public static ProcessingSettings from(Env env) {
        return new ProcessingSettings(
                env.seconds("PROCESSING_LEASE_SECONDS", Duration.ofSeconds(90)),
                env.positiveInt("MAX_RECEIVES", 5));
    }
}
