package dev.inlet.core.processing;

import dev.inlet.core.entity.EntityKey;
import java.util.List;

/**
 * Business logic for one provider event type. Throwing fails this event only: it is retried, and after
 * MAX_ATTEMPTS runs its record is FAILED with the exception's message and its message is in the DLQ. A
 * handler may run more than once for one event (the processor stopped after the handler ran, before it
 * could record it), so its writes should be conditional or idempotent.
 *
 * <p>Each run gets its claim, {@link ReceivedEvent#claim()}: a fencing token (owner and lease; no other
 * run of the record starts before the lease ends) and a deadline (HANDLER_TIMEOUT_SECONDS after the
 * start). Check it right before an external side effect, and key the effect by the event key, so that
 * a run past its time starts nothing and a repeat of an effect already done is dropped downstream:
 *
 * <pre>{@code
 * public void handle(ReceivedEvent event) throws Exception {
 *     Payout payout = Payout.from(event.json());
 *     event.claim().check();                          // throws Claim.ClaimLostException when past time
 *     http.send(HttpRequest.newBuilder(payouts)
 *             .header("Idempotency-Key", event.key().id())
 *             .timeout(event.claim().remaining())
 *             .POST(BodyPublishers.ofString(payout.json())).build(), BodyHandlers.discarding());
 * }
 * }</pre>
 *
 * A handler that overruns its deadline keeps the claim until its thread ends (its outcome is then
 * recorded as usual) or the lease runs out; in Lambda its environment is ended after the batch answers.
 */
@FunctionalInterface
public interface EventHandler {
    void handle(ReceivedEvent event) throws Exception;

    /**
     * The entities {@link #handle} writes for this event, computed from the event alone (no store call),
     * so a tool can read them by key: the console opens the entity state an event produced with a key
     * lookup, never a scan of the entities table. Empty for a handler that keeps no entity state.
     */
    default List<EntityKey> entities(ReceivedEvent event) throws Exception {
        return List.of();
    }

    /** The name stored on the record as {@code handledBy}. */
    default String name() {
        return getClass().getSimpleName();
    }
}
