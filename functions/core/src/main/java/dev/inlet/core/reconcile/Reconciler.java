package dev.inlet.core.reconcile;

import dev.inlet.core.entity.EntityState;
import dev.inlet.core.entity.EntityStore;
import dev.inlet.core.ingest.IntakeResult;
import dev.inlet.core.ingest.IntakeService;
import dev.inlet.core.observe.Log;
import dev.inlet.core.observe.Metrics;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventSource;
import dev.inlet.core.store.EventStore;
import dev.inlet.core.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Finds what the webhooks missed: lists one feed's changes in a window and sends each change that
 * neither the entity state nor the events table shows through the intake, the webhooks' own door (same
 * dedup, record, queue, processor and stale protection), marked {@code reconcile}, counted as
 * {@code Reconciled} (alarmed: each one is a lost webhook).
 *
 * <p>The window: from the cursor minus an overlap (the first time: a lookback) until now minus a settle
 * time. The cursor moves to the window's end only after the window was read completely and every
 * change in it was stored, so a failed run is simply repeated by the next one. A window with an explicit
 * end (an operator looking at the past) never moves it.
 */
public final class Reconciler {
    /** What to read: an explicit start and end, or the cursor's window; a dry run writes nothing. */
    public record Request(Optional<Instant> since, Optional<Instant> until, boolean dryRun) {
        public static Request scheduled() {
            return new Request(Optional.empty(), Optional.empty(), false);
        }
    }

    /** Told of each page and each change as the run goes (the CLI prints it; the Lambda ignores it). */
    public interface Progress {
        Progress NONE = new Progress() { };

        default void window(Window window, Optional<Instant> cursor) { }

        default void page(Page page) { }

        default void change(Change change, Outcome outcome) { }
    }

    /** The run's counts; {@code cursor} is where the cursor stands after it (moved or not). */
    public record Summary(Window window, int pages, int seen, int known, int recovered, int refused,
                          boolean dryRun, Optional<Instant> cursor, boolean cursorMoved) {}

    private final ChangeFeed feed;
    private final IntakeService intake;
    private final EntityStore entities;
    private final EventStore events;
    private final CursorStore cursors;
    private final ReconcileSettings settings;
    private final Clock clock;
    private final Log log;
    private final Metrics metrics;

    public Reconciler(ChangeFeed feed, IntakeService intake, EntityStore entities, EventStore events,
                      CursorStore cursors, ReconcileSettings settings, Clock clock, Log log, Metrics metrics) {
        if (!feed.provider().equals(intake.provider().name())) {
            throw new IllegalArgumentException("the feed and the intake must be the same provider's");
        }
        this.feed = feed;
        this.intake = intake;
        this.entities = entities;
        this.events = events;
        this.cursors = cursors;
        this.settings = settings;
        this.clock = clock;
        this.log = log;
        this.metrics = metrics;
    }

    /** The cursor's key: {@code reverb/orders}. */
    public String feedId() {
        return feed.provider() + "/" + feed.name();
    }

    /**
     * One run.
     *
     * @throws FeedException the provider's API could not be read completely; the cursor did not move
     * @throws StoreUnavailableException DynamoDB failed; the cursor did not move
     */
    public Summary run(Request request, Progress progress) {
        Instant now = clock.instant();
        Optional<Instant> cursor = cursors.read(feedId());
        Window window = window(request, cursor, now);
        progress.window(window, cursor);
        log.info("reconcile_started", "provider", feed.provider(), "feed", feed.name(), "from", window.from(),
                "until", window.until(), "dryRun", request.dryRun());
        int[] counts = new int[5]; // pages, seen, known, recovered, refused
        feed.list(window, page -> {
            counts[0]++;
            progress.page(page);
            for (Change change : page.changes()) {
                counts[1]++;
                Outcome outcome = reconcile(change, request.dryRun());
                switch (outcome) {
                    case KNOWN_STATE, ALREADY_STORED -> counts[2]++;
                    case RECOVERED, WOULD_RECOVER -> counts[3]++;
                    case REFUSED -> counts[4]++;
                }
                progress.change(change, outcome);
            }
        });
        // Only a window that ends at the cursor's own end (not an explicit --until, which looks at the past),
        // starts no later than the cursor and was stored completely moves it.
        boolean move = !request.dryRun() && counts[4] == 0 && request.until().isEmpty()
                && cursor.map(c -> !window.from().isAfter(c) && window.until().isAfter(c)).orElse(true);
        if (move) {
            cursors.advance(feedId(), window.until());
        }
        Optional<Instant> after = move ? Optional.of(window.until()) : cursor;
        Summary summary = new Summary(window, counts[0], counts[1], counts[2], counts[3], counts[4],
                request.dryRun(), after, move);
        log.info("reconcile_finished", "provider", feed.provider(), "feed", feed.name(), "from", window.from(),
                "until", window.until(), "pages", summary.pages(), "seen", summary.seen(), "known", summary.known(),
                (request.dryRun() ? "wouldRecover" : "recovered"), summary.recovered(), "refused", summary.refused(),
                "cursorMoved", move);
        return summary;
    }

    /** The explicit window, or the cursor's (overlapping it), ending a settle time before now, at most maxWindow long. */
    Window window(Request request, Optional<Instant> cursor, Instant now) {
        Instant end = request.until().orElse(now.minus(settings.settle()));
        Instant from = request.since().orElseGet(() -> cursor.map(c -> c.minus(settings.overlap()))
                .orElse(end.minus(settings.lookback())));
        Instant until = end;
        if (request.until().isEmpty() && from.plus(settings.maxWindow()).isBefore(until)) {
            until = from.plus(settings.maxWindow());
        }
        if (!from.isBefore(until)) {
            throw new IllegalArgumentException("the window is empty: --since " + from + " is not before --until "
                    + until);
        }
        return new Window(from, until);
    }

    private Outcome reconcile(Change change, boolean dryRun) {
        if (entityShows(change)) {
            return Outcome.KNOWN_STATE;
        }
        EventKey key = new EventKey(feed.provider(), change.envelope().dedupKey());
        if (dryRun) {
            return events.find(key, clock.instant()).isPresent() ? Outcome.ALREADY_STORED : Outcome.WOULD_RECOVER;
        }
        IntakeResult result = intake.admit(change.envelope(), change.body(), EventSource.RECONCILE,
                "reconcile-" + feedId());
        if (result instanceof IntakeResult.Accepted) {
            metrics.count("Reconciled", feed.provider());
            log.warn("reconciled", "provider", feed.provider(), "entity", change.entity().asString(),
                    "state", change.state(), "eventKey", key.dedupKey(), "eventType", change.envelope().eventType());
            return Outcome.RECOVERED;
        }
        if (result instanceof IntakeResult.Duplicate) {
            return Outcome.ALREADY_STORED;
        }
        if (result instanceof IntakeResult.Unavailable) {
            throw new StoreUnavailableException("the events table refused the write of " + key.id(), null);
        }
        log.warn("reconcile_refused", "provider", feed.provider(), "entity", change.entity().asString(),
                "reason", result.code());
        return Outcome.REFUSED;
    }

    /** The entity state shows the object at this state, or a newer one (the processor would ignore it). */
    private boolean entityShows(Change change) {
        Optional<EntityState> found = entities.find(change.entity());
        if (found.isEmpty()) {
            return false;
        }
        EntityState state = found.get();
        if (change.changedAt().isEmpty()) {
            return state.state().equals(change.state());
        }
        Instant at = change.changedAt().get();
        return state.lastEventTime().isAfter(at) || state.lastEventTime().equals(at) && state.state().equals(change.state());
    }
}
