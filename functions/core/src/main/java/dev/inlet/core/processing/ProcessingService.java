package dev.inlet.core.processing;

import dev.inlet.core.config.ProcessingSettings;
import dev.inlet.core.observe.Log;
import dev.inlet.core.observe.Metrics;
import dev.inlet.core.publish.BusUnavailableException;
import dev.inlet.core.publish.DomainEvent;
import dev.inlet.core.publish.DomainEvents;
import dev.inlet.core.publish.EventBus;
import dev.inlet.core.publish.PendingPublish;
import dev.inlet.core.queue.QueueMessage;
import dev.inlet.core.store.ClaimOutcome;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStatus;
import dev.inlet.core.store.EventStore;
import dev.inlet.core.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Processes one queue message: claim the record with a lease, run the handler for its provider and
 * event type, mark it PROCESSED. A duplicate message finds the record PROCESSED (or leased) and does
 * nothing, so SQS redelivery, sweeper resends and provider retries lead to one completed run.
 *
 * <p>A record decides its own fate: the claim counts its attempts (so only started runs count, never
 * how often SQS delivered the message), and once they have run out the record is FAILED with the reason
 * and the caller is told to park the message in the dead-letter queue ({@link ProcessingResult.DeadLetter}).
 * A message whose record is already FAILED (the processor stopped between the two) is parked too.
 *
 * <p>One run at a time: a handler that overruns HANDLER_TIMEOUT_SECONDS is abandoned by the batch but
 * keeps its claim (PROCESSING, lease running) until its thread ends, when its outcome is recorded as any
 * other, or until the lease runs out. {@link #abandonedHandlers()} tells the function how many such
 * threads are still alive, so the environment can be recycled.
 *
 * <p>Publishing (docs/events/README.md): the domain events a run collected ({@link ReceivedEvent#domainEvents()})
 * are stored on the record by the same write that marks it PROCESSED, then published to the {@link EventBus} in
 * chunks of {@link EventBus#BATCH_LIMIT}, then marked published. If the bus fails, the message is left for a
 * later receive ({@link ProcessingResult.RetryLater}); that receive finds the record PROCESSED with its events
 * pending and publishes them, without running the handler again. With the bus switched off nothing is stored
 * or published.
 */
public final class ProcessingService {
    private static final int MAX_ERROR_LENGTH = 500;

    private final EventStore store;
    private final HandlerRegistry handlers;
    private final EventBus bus;
    private final ProcessingSettings settings;
    private final Clock clock;
    private final Log log;
    private final Metrics metrics;
    private final Set<Thread> abandoned = ConcurrentHashMap.newKeySet();

    public ProcessingSettings settings() {
        return settings;
    }

    /** Publishing switched off ({@link EventBus#disabled()}): for tools, benchmarks and tests that publish nothing. */
    public ProcessingService(EventStore store, HandlerRegistry handlers, ProcessingSettings settings, Clock clock,
                             Log log, Metrics metrics) {
        this(store, handlers, EventBus.disabled(), settings, clock, log, metrics);
    }

    /** @param bus where the entity changes of completed runs are published */
    public ProcessingService(EventStore store, HandlerRegistry handlers, EventBus bus, ProcessingSettings settings,
                             Clock clock, Log log, Metrics metrics) {
        this.store = store;
        this.handlers = handlers;
        this.bus = bus;
        this.settings = settings;
        this.clock = clock;
        this.log = log;
        this.metrics = metrics;
    }

    /** Runs the claim path's read once without writing anything, for SnapStart to snapshot warm. */
    public void prime() {
        store.find(new EventKey("priming", "priming"), clock.instant());
        handlers.find("priming", "priming");
    }

    /** Handler threads that overran their bound and are still running (each keeps its record's claim). */
    public int abandonedHandlers() {
        abandoned.removeIf(t -> !t.isAlive());
        return abandoned.size();
    }

    public ProcessingResult process(QueueMessage message) {
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
            if (c.record().attempts() > settings.maxAttempts()) {
                return outOfAttempts(c.record(), owner);
            }
            return run(c.record(), owner, message.traceHeader().or(c.record()::traceHeader));
        }
        if (claim instanceof ClaimOutcome.Busy b) {
            log.info("claim_busy", "provider", provider, "eventKey", message.key().dedupKey(),
                    "leaseUntil", b.leaseUntil().toString());
            return new ProcessingResult.RetryLater("leased by another worker");
        }
        if (claim instanceof ClaimOutcome.NotProcessable n && n.status() == EventStatus.FAILED) {
            // FAILED, but its message is still here: the processor stopped between marking the record and
            // parking the message (or this is a duplicate of it). Park it now.
            log.warn("parked_failed_record", "provider", provider, "eventKey", message.key().dedupKey());
            return new ProcessingResult.DeadLetter("record is FAILED");
        }
        if (claim instanceof ClaimOutcome.NotProcessable n) {
            return skipped(message, "status " + n.status());
        }
        if (claim instanceof ClaimOutcome.AlreadyProcessed done && done.unpublished().isPresent()) {
            return publishLeftOver(message, done.unpublished().get());
        }
        return skipped(message, claim instanceof ClaimOutcome.AlreadyProcessed ? "already processed" : "no live record");
    }

    /**
     * The record is PROCESSED but its run's domain events were not all published (the bus failed, or the
     * processor stopped in between): publish them now; the handler does not run again.
     */
    private ProcessingResult publishLeftOver(QueueMessage message, PendingPublish pending) {
        if (!bus.enabled()) {
            log.warn("pending_not_published", "provider", message.key().provider(), "eventKey",
                    message.key().dedupKey(), "events", pending.events().size(), "why", "publishing is switched off");
            return new ProcessingResult.Skipped("already processed; publishing is switched off");
        }
        return publish(message.key(), pending, new ProcessingResult.Skipped("already processed; its pending "
                + pending.events().size() + " domain event(s) published now"));
    }

    private ProcessingResult run(EventRecord record, String owner, Optional<String> traceHeader) {
        String provider = record.key().provider();
        EventHandler handler = handlers.find(provider, record.eventType());
        Instant started = clock.instant();
        Claim claim = new Claim(owner, record.leaseUntil(), started.plus(settings.handlerTimeout()), clock);
        DomainEvents produced = new DomainEvents();
        ReceivedEvent event = new ReceivedEvent(record.key(), record.eventType(), record.body(),
                record.receivedAt(), record.providerTime(), record.attempts(), claim, produced);
        Completion completion = new Completion(record, owner, handler, produced, traceHeader);
        HandlerRun run = new HandlerRun(handler, event);
        run.start();
        try {
            run.get(settings.handlerTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (run.abandon(late -> lateOutcome(late, completion))) {
                return timedOut(record, handler, run);
            }
            return outcome(run, completion);          // it ended as the bound passed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(record, owner, handler, e);
        } catch (ExecutionException e) {
            return failed(record, owner, handler, cause(e));
        }
        return completed(completion);
    }

    /** What recording a run's completion needs: the claimed record, the claim's owner, and what the run produced. */
    private record Completion(EventRecord record, String owner, EventHandler handler, DomainEvents produced,
                              Optional<String> traceHeader) {}

    private ProcessingResult outcome(HandlerRun run, Completion c) {
        try {
            run.get();
            return completed(c);
        } catch (ExecutionException e) {
            return failed(c.record(), c.owner(), c.handler(), cause(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(c.record(), c.owner(), c.handler(), e);
        }
    }

    /**
     * The handler overran its bound. Its claim stays (no store write: the lease keeps every other run out),
     * and its thread is left running, not interrupted: an interrupt aborts an SDK call half-way, after its
     * request may have reached the other side, and turns a run that may still act into one that looks
     * ended. When it really ends, {@link #lateOutcome} records what it did. The message is left for a later receive,
     * which comes after the queue's visibility timeout, past the lease.
     */
    private ProcessingResult timedOut(EventRecord record, EventHandler handler, HandlerRun run) {
        String provider = record.key().provider();
        abandoned.add(run.thread());
        metrics.count("handler_timeout", provider);
        log.warn("handler_timed_out", "provider", provider, "eventKey", record.key().dedupKey(),
                "eventType", record.eventType(), "handler", handler.name(), "attempt", record.attempts(),
                "boundMillis", settings.handlerTimeout().toMillis(), "leaseUntil", record.leaseUntil().toString());
        return new ProcessingResult.RetryLater("handler timed out; it keeps its claim until it ends or the lease "
                + "runs out");
    }

    /** An abandoned handler's thread has ended: record its outcome as its owner. */
    private void lateOutcome(HandlerRun run, Completion c) {
        EventRecord record = c.record();
        String owner = c.owner();
        EventHandler handler = c.handler();
        abandoned.remove(run.thread());
        Thread.interrupted();    // whatever the handler left set must not abort the store call below
        String provider = record.key().provider();
        try {
            run.get();
            if (clock.instant().isBefore(record.leaseUntil())) {
                completed(c);
            } else {
                log.warn("late_completion_after_lease", "provider", provider, "eventKey", record.key().dedupKey(),
                        "handler", handler.name());
            }
        } catch (ExecutionException e) {
            failed(record, owner, handler, cause(e));
        } catch (InterruptedException | RuntimeException e) {
            failed(record, owner, handler, e);
        }
    }

    private ProcessingResult completed(Completion c) {
        EventRecord record = c.record();
        EventHandler handler = c.handler();
        String provider = record.key().provider();
        Optional<PendingPublish> pending = toPublish(c);
        boolean marked;
        try {
            marked = store.markProcessed(record.key(), c.owner(), clock.instant(), handler.name(), pending);
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
                "eventType", record.eventType(), "handler", handler.name(), "attempt", record.attempts(),
                "domainEvents", pending.map(p -> p.events().size()).orElse(0));
        ProcessingResult done = new ProcessingResult.Processed(handler.name());
        return pending.isPresent() ? publish(record.key(), pending.get(), done) : done;
    }

    /**
     * What the completed run leaves to publish: what an earlier run of the record applied and never published
     * (the record was replayed before its events went out), then this run's events, each under the trace of the
     * webhook that carried it. Nothing when the bus is switched off.
     */
    private Optional<PendingPublish> toPublish(Completion c) {
        if (!bus.enabled()) {
            return Optional.empty();
        }
        List<DomainEvent> events = new ArrayList<>();
        c.record().pending().ifPresent(earlier -> events.addAll(earlier.events()));
        for (DomainEvent e : c.produced().list()) {
            events.add(e.traceHeader().isPresent() ? e : e.withTraceHeader(c.traceHeader()));
        }
        return events.isEmpty() ? Optional.empty() : Optional.of(new PendingPublish(c.owner(), events));
    }

    /**
     * Publishes a record's pending events, {@link EventBus#BATCH_LIMIT} per call, then marks them published.
     * A bus failure leaves them pending and the message for a later receive; so does a failure to mark them
     * (they are published again then: delivery is at least once, consumers deduplicate by the event key).
     */
    private ProcessingResult publish(EventKey key, PendingPublish pending, ProcessingResult done) {
        String provider = key.provider();
        List<DomainEvent> events = pending.events();
        try {
            for (int from = 0; from < events.size(); from += EventBus.BATCH_LIMIT) {
                bus.publish(events.subList(from, Math.min(events.size(), from + EventBus.BATCH_LIMIT)));
            }
        } catch (BusUnavailableException e) {
            metrics.count("publish_failed", provider);
            log.warn("publish_failed", "provider", provider, "eventKey", key.dedupKey(), "events", events.size(),
                    "error", e.getMessage());
            return new ProcessingResult.RetryLater("bus unavailable: " + events.size()
                    + " domain event(s) stay pending on the record");
        }
        metrics.add("published", provider, events.size());
        boolean marked;
        try {
            marked = store.markPublished(key, pending.run(), events.size(), clock.instant());
        } catch (StoreUnavailableException e) {
            log.warn("mark_published_failed", "provider", provider, "eventKey", key.dedupKey(),
                    "events", events.size());
            return new ProcessingResult.RetryLater("published, but could not mark it: published again later");
        }
        log.info("published", "provider", provider, "eventKey", key.dedupKey(), "events", events.size(),
                "marked", marked);
        return done;
    }

    private ProcessingResult failed(EventRecord record, String owner, EventHandler handler, Exception e) {
        return giveUpOrRetry(record, owner, handler.name(), describe(e), record.attempts() >= settings.maxAttempts());
    }

    /**
     * Claimed with more attempts than allowed: the earlier runs ended without an outcome (the processor
     * stopped, or a handler timed out and its environment was recycled). Give up without running it again.
     */
    private ProcessingResult outOfAttempts(EventRecord record, String owner) {
        String error = "gave up after " + settings.maxAttempts() + " attempts: the last ended without an outcome "
                + "(handler timed out, or the processor stopped)" + record.lastError().map(e -> "; before: " + e).orElse("");
        return giveUpOrRetry(record, owner, handlers.find(record.key().provider(), record.eventType()).name(),
                error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH) : error, true);
    }

    private ProcessingResult giveUpOrRetry(EventRecord record, String owner, String handlerName, String error,
                                           boolean giveUp) {
        String provider = record.key().provider();
        try {
            store.recordFailure(record.key(), owner, error, giveUp, clock.instant());
        } catch (StoreUnavailableException storeDown) {
            // Nothing recorded: the claim runs out, and the next receive claims it again (one more attempt,
            // so a record that was out of attempts gives up then).
            log.warn("record_failure_failed", "provider", provider, "eventKey", record.key().dedupKey());
            return new ProcessingResult.RetryLater(error);
        }
        metrics.count(giveUp ? "processing_failed_final" : "processing_failed", provider);
        if (giveUp) {
            log.error("processing_failed", "provider", provider, "eventKey", record.key().dedupKey(),
                    "eventType", record.eventType(), "handler", handlerName, "attempt", record.attempts(),
                    "error", error, "final", true);
            return new ProcessingResult.DeadLetter(error);
        }
        log.warn("processing_failed", "provider", provider, "eventKey", record.key().dedupKey(),
                "eventType", record.eventType(), "handler", handlerName, "attempt", record.attempts(),
                "error", error, "final", false);
        return new ProcessingResult.RetryLater(error);
    }

    private ProcessingResult skipped(QueueMessage message, String why) {
        metrics.count("duplicate_delivery", message.key().provider());
        log.info("skipped", "provider", message.key().provider(), "eventKey", message.key().dedupKey(), "why", why);
        return new ProcessingResult.Skipped(why);
    }

    private static Exception cause(ExecutionException e) {
        return e.getCause() instanceof Exception cause ? cause : e;
    }

    private static String describe(Exception e) {
        String text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
    }
}
