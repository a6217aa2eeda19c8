package dev.inlet.core.processing;

import dev.inlet.core.config.ProcessingSettings;
import dev.inlet.core.observe.Log;
import dev.inlet.core.observe.Metrics;
import dev.inlet.core.queue.QueueMessage;
import dev.inlet.core.store.ClaimOutcome;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStore;
import dev.inlet.core.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Processes one queue message: claim the record with a lease, run the handler for its provider and
 * event type, mark it PROCESSED. A duplicate message finds the record PROCESSED (or leased) and does
 * nothing, so SQS redelivery, sweeper resends and provider retries lead to one completed run.
 */
public final class ProcessingService {
    private static final int MAX_ERROR_LENGTH = 500;

    private final EventStore store;
    private final HandlerRegistry handlers;
    private final ProcessingSettings settings;
    private final Clock clock;
    private final Log log;
    private final Metrics metrics;

    public ProcessingSettings settings() {
        return settings;
    }

    public ProcessingService(EventStore store, HandlerRegistry handlers, ProcessingSettings settings, Clock clock,
                             Log log, Metrics metrics) {
        this.store = store;
        this.handlers = handlers;
        this.settings = settings;
        this.clock = clock;
        this.log = log;
        this.metrics = metrics;
    }

    /** Runs the claim path's read once without writing anything, for SnapStart to snapshot warm. */
    public void prime() {
        store.find(new dev.inlet.core.store.EventKey("priming", "priming"), clock.instant());
        handlers.find("priming", "priming");
    }

    /** @param receiveCount SQS's ApproximateReceiveCount for this message (1 on the first receive) */
    public ProcessingResult process(QueueMessage message, int receiveCount) {
        String provider = message.key().provider();
        String owner = UUID.randomUUID().toString();
        Instant now = clock.instant();
        ClaimOutcome claim;
        try {
            claim = store.claim(message.key(), owner, now, now.plus(settings.lease()));
        } catch (StoreUnavailableException e) {
            log.warn("claim_failed", "provider", provider, "eventKey", message.key().dedupKey(),
                    "error", e.getMessage());
            return new ProcessingResult.RetryLater("store unavailable");
        }
        if (claim instanceof ClaimOutcome.Claimed c) {
            return run(c.record(), owner, receiveCount);
        }
        if (claim instanceof ClaimOutcome.Busy b) {
            log.info("claim_busy", "provider", provider, "eventKey", message.key().dedupKey(),
                    "leaseUntil", b.leaseUntil().toString());
            return new ProcessingResult.RetryLater("leased by another worker");
        }
        if (claim instanceof ClaimOutcome.NotProcessable n) {
            return skipped(message, "status " + n.status());
        }
        return skipped(message, claim instanceof ClaimOutcome.AlreadyProcessed ? "already processed" : "no live record");
    }

    private ProcessingResult run(EventRecord record, String owner, int receiveCount) {
        String provider = record.key().provider();
        EventHandler handler = handlers.find(provider, record.eventType());
        ReceivedEvent event = new ReceivedEvent(record.key(), record.eventType(), record.body(),
                record.receivedAt(), record.providerTime(), record.attempts());
        try {
            runBounded(handler, event);
        } catch (HandlerTimeoutException e) {
            metrics.count("handler_timeout", provider);
            return failed(record, owner, receiveCount, handler, e);
        } catch (Exception e) {
            return failed(record, owner, receiveCount, handler, e);
        }
        boolean marked;
        try {
            marked = store.markProcessed(record.key(), owner, clock.instant(), handler.name());
        } catch (StoreUnavailableException e) {
            // The handler ran; the lease will expire and a redelivery runs it again (handlers are idempotent).
            log.warn("mark_processed_failed", "provider", provider, "eventKey", record.key().dedupKey());
            return new ProcessingResult.RetryLater("could not mark processed");
        }
        if (!marked) {
            log.warn("lease_lost", "provider", provider, "eventKey", record.key().dedupKey());
            return new ProcessingResult.Skipped("lease lost to another worker");
        }
        metrics.count("processed", provider);
        log.info("processed", "provider", provider, "eventKey", record.key().dedupKey(),
                "eventType", record.eventType(), "handler", handler.name(), "attempt", record.attempts());
        return new ProcessingResult.Processed(handler.name());
    }

    /**
     * Runs the handler on a thread of its own and waits at most {@code HANDLER_TIMEOUT_SECONDS}. A
     * handler that overruns is interrupted and abandoned: its event is failed like any other (lease
     * released, retried, FAILED on the last receive), so one hung handler cannot use up the batch's time.
     * Its thread may still finish later; handlers must be idempotent anyway (EventHandler). A new thread
     * per run (tens of microseconds, next to the store calls' milliseconds) rather than a pool: it
     * inherits the invocation's inheritable thread-locals, such as the request id on log lines, and a
     * hung one never holds up a later event.
     */
    private void runBounded(EventHandler handler, ReceivedEvent event) throws Exception {
        FutureTask<Void> run = new FutureTask<>(() -> {
            handler.handle(event);
            return null;
        });
        Thread worker = new Thread(run, "inlet-handler");
        worker.setDaemon(true);
        worker.start();
        try {
            run.get(settings.handlerTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            run.cancel(true);
            throw new HandlerTimeoutException(settings.handlerTimeout());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** A handler ran past its bound. */
    static final class HandlerTimeoutException extends Exception {
        HandlerTimeoutException(java.time.Duration bound) {
            super("handler timed out after " + bound.toMillis() + " ms", null, false, false);
        }
    }

    private ProcessingResult failed(EventRecord record, String owner, int receiveCount, EventHandler handler,
                                    Exception e) {
        String provider = record.key().provider();
        boolean giveUp = receiveCount >= settings.maxReceives();
        String error = describe(e);
        try {
            store.recordFailure(record.key(), owner, error, giveUp, clock.instant());
        } catch (StoreUnavailableException storeDown) {
            log.warn("record_failure_failed", "provider", provider, "eventKey", record.key().dedupKey());
        }
        metrics.count(giveUp ? "processing_failed_final" : "processing_failed", provider);
        if (giveUp) {
            log.error("processing_failed", "provider", provider, "eventKey", record.key().dedupKey(),
                    "eventType", record.eventType(), "handler", handler.name(), "receiveCount", receiveCount,
                    "error", error, "final", true);
        } else {
            log.warn("processing_failed", "provider", provider, "eventKey", record.key().dedupKey(),
                    "eventType", record.eventType(), "handler", handler.name(), "receiveCount", receiveCount,
                    "error", error, "final", false);
        }
        return new ProcessingResult.RetryLater(error);
    }

    private ProcessingResult skipped(QueueMessage message, String why) {
        metrics.count("duplicate_delivery", message.key().provider());
        log.info("skipped", "provider", message.key().provider(), "eventKey", message.key().dedupKey(), "why", why);
        return new ProcessingResult.Skipped(why);
    }

    private static String describe(Exception e) {
        String text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
    }
}
