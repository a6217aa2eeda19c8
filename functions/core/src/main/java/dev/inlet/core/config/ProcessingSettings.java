package dev.inlet.core.config;

import java.time.Duration;

/**
 * Settings of the processor.
 *
 * @param lease {@code PROCESSING_LEASE_SECONDS}, default 90: a claim's lifetime; longer than the
 *              processor's timeout, so a live invocation never loses its claim, and shorter than the
 *              queue's visibility timeout, so a message that comes back finds the claim run out
 * @param maxAttempts {@code MAX_ATTEMPTS}, default 5: how many runs of its handler a record gets (counted
 *                    by the claim, so only started runs count) before it is FAILED and its message moved to
 *                    the dead-letter queue. SQS's receive count plays no part: the queue's maxReceiveCount
 *                    stays well above this, as a backstop for messages that crash the processor.
 *                    ({@code MAX_RECEIVES}, its former name, is still read when MAX_ATTEMPTS is not set.)
 * @param handlerTimeout {@code HANDLER_TIMEOUT_SECONDS}, default 10: how long one business handler may
 *                       run; past it the batch goes on without it, while the handler keeps its claim
 *                       until its thread ends or the lease runs out. Shorter than the lease.
 * @param storeCallTimeout the longest one backend call can take, retries included: the SDK clients'
 *                         apiCallTimeout ({@code AwsClients.callTimeout()}), passed in, never restated
 */
public record ProcessingSettings(Duration lease, int maxAttempts, Duration handlerTimeout, Duration storeCallTimeout) {
    /**
     * The most backend calls one event makes besides its handler: the claim, the read of a body stored
     * apart, the outcome (mark processed, or record the failure), then either the send of its message to
     * the dead-letter queue when it gives up, or the publish of its changes (one PutEvents for up to
     * {@link dev.inlet.core.publish.EventBus#BATCH_LIMIT} changes) and the write that marks them published.
     * A record with more changes makes one more PutEvents per ten; if that overruns the invocation, its
     * changes wait on the record and the message's next receive publishes them (nothing is lost or applied twice).
     */
    public static final int BACKEND_CALLS_PER_EVENT = 5;

    public ProcessingSettings {
        if (handlerTimeout.compareTo(lease) >= 0) {
            throw new ConfigException("HANDLER_TIMEOUT_SECONDS", "must be shorter than PROCESSING_LEASE_SECONDS");
        }
    }

    /** @param storeCallTimeout the SDK clients' apiCallTimeout, from where the clients are built */
    public static ProcessingSettings from(Env env, Duration storeCallTimeout) {
        return new ProcessingSettings(
                env.seconds("PROCESSING_LEASE_SECONDS", Duration.ofSeconds(90)),
                maxAttempts(env),
                env.seconds("HANDLER_TIMEOUT_SECONDS", Duration.ofSeconds(10)),
                storeCallTimeout);
    }

    private static int maxAttempts(Env env) {
        boolean current = env.optional("MAX_ATTEMPTS").isPresent();
        boolean former = env.optional("MAX_RECEIVES").isPresent();
        if (current && former && env.positiveInt("MAX_ATTEMPTS", 5) != env.positiveInt("MAX_RECEIVES", 5)) {
            throw new ConfigException("MAX_RECEIVES", "is the former name of MAX_ATTEMPTS and disagrees with it: "
                    + "remove MAX_RECEIVES");
        }
        return current || !former ? env.positiveInt("MAX_ATTEMPTS", 5) : env.positiveInt("MAX_RECEIVES", 5);
    }

    /**
     * A batch starts no further event once the invocation has less time left than this: one event's
     * worst case (its handler's bound plus every backend call it can make, each at the clients' call
     * timeout), so an event that is started can finish.
     */
    public Duration batchStopMargin() {
        return handlerTimeout.plus(storeCallTimeout.multipliedBy(BACKEND_CALLS_PER_EVENT));
    }
}
