package dev.inlet.core.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.core.config.Env;
import dev.inlet.core.config.IntakeSettings;
import dev.inlet.core.entity.ApplyOutcome;
import dev.inlet.core.entity.EntityKey;
import dev.inlet.core.entity.EntityState;
import dev.inlet.core.entity.EntityStore;
import dev.inlet.core.entity.EntityUpdate;
import dev.inlet.core.ingest.Envelope;
import dev.inlet.core.ingest.IntakeService;
import dev.inlet.core.observe.Log;
import dev.inlet.core.observe.Metrics;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventSource;
import dev.inlet.core.testing.CapturingSink;
import dev.inlet.core.testing.InMemoryEventQueue;
import dev.inlet.core.testing.InMemoryEventStore;
import dev.inlet.core.testing.MutableClock;
import dev.inlet.core.testing.TestProvider;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Reconciler's window, cursor and "already known" rules, over in-memory stores and a scripted feed. */
class ReconcilerTest {
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final ReconcileSettings SETTINGS = new ReconcileSettings(Duration.ofMinutes(15),
            Duration.ofMinutes(5), Duration.ofDays(1), Duration.ofDays(7));

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryEventStore events = new InMemoryEventStore();
    private final InMemoryEventQueue queue = new InMemoryEventQueue();
    private final CapturingSink sink = new CapturingSink();
    private final Map<EntityKey, EntityState> entityRows = new HashMap<>();
    private final Map<String, Instant> cursors = new HashMap<>();
    private final List<Window> asked = new ArrayList<>();
    private List<List<Change>> pages = List.of(List.of());
    private RuntimeException failAfterFirstPage;

    private final ChangeFeed feed = new ChangeFeed() {
        public String provider() {
            return "test";
        }

        public String name() {
            return "things";
        }

        public void list(Window window, Pages out) {
            asked.add(window);
            for (int i = 0; i < pages.size(); i++) {
                if (i == 1 && failAfterFirstPage != null) {
                    throw failAfterFirstPage;
                }
                out.page(new Page(i + 1, pages.size(), pages.get(i)));
            }
        }
    };

    private final EntityStore entities = new EntityStore() {
        public ApplyOutcome apply(EntityUpdate update) {
            throw new UnsupportedOperationException("the reconciler never writes entity state");
        }

        public Optional<EntityState> find(EntityKey key) {
            return Optional.ofNullable(entityRows.get(key));
        }

        public List<EntityState> list(Optional<String> provider, Optional<String> type) {
            return List.copyOf(entityRows.values());
        }
    };

    private final CursorStore cursorStore = new CursorStore() {
        public Optional<Instant> read(String feedId) {
            return Optional.ofNullable(cursors.get(feedId));
        }

        public void advance(String feedId, Instant until) {
            cursors.merge(feedId, until, (a, b) -> a.isAfter(b) ? a : b);
        }
    };

    private Reconciler reconciler() {
        IntakeService intake = new IntakeService(new TestProvider(), events, queue, IntakeSettings.from(Env.of(Map.of())),
                clock, new Log(sink, clock), new Metrics(sink, clock));
        return new Reconciler(feed, intake, entities, events, cursorStore, SETTINGS, clock, new Log(sink, clock),
                new Metrics(sink, clock));
    }

    private static Change change(String id, String state, Instant at) {
        byte[] body = ("{\"id\":\"" + id + "\",\"state\":\"" + state + "\",\"at\":\"" + at + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        return new Change(new EntityKey("test", "thing", id), state, Optional.of(at),
                new Envelope("thing|" + id + "|" + at, "thing.updated", Optional.of(at)), body);
    }

    private void entity(String id, String state, Instant at) {
        EntityKey key = new EntityKey("test", "thing", id);
        entityRows.put(key, new EntityState(key, state, Map.of(), "thing.updated", at, "k", 1, 0));
    }

    @Test
    void theFirstRun_looksBackADay_endingTheSettleTimeBeforeNow_andThenMovesTheCursorThere() {
        reconciler().run(Reconciler.Request.scheduled(), Reconciler.Progress.NONE);

        Instant end = NOW.minus(Duration.ofMinutes(5));
        assertEquals(List.of(new Window(end.minus(Duration.ofDays(1)), end)), asked);
        assertEquals(end, cursors.get("test/things"));
    }

    @Test
    void aLaterRun_startsTheOverlapBeforeTheCursor() {
        cursors.put("test/things", NOW.minus(Duration.ofHours(1)));

        reconciler().run(Reconciler.Request.scheduled(), Reconciler.Progress.NONE);

        assertEquals(NOW.minus(Duration.ofHours(1)).minus(Duration.ofMinutes(15)), asked.get(0).from());
    }

    @Test
    void aCursorAMonthBehind_catchesUpAWeekPerRun() {
        Instant cursor = NOW.minus(Duration.ofDays(30));
        cursors.put("test/things", cursor);

        reconciler().run(Reconciler.Request.scheduled(), Reconciler.Progress.NONE);

        Window w = asked.get(0);
        assertEquals(Duration.ofDays(7), Duration.between(w.from(), w.until()));
        assertEquals(w.until(), cursors.get("test/things"), "the cursor moved a week on");
    }

    @Test
    void aListingThatFailsOnItsSecondPage_leavesTheCursor_butKeepsWhatTheFirstPageRecovered() {
        Instant cursor = NOW.minus(Duration.ofHours(1));
        cursors.put("test/things", cursor);
        pages = List.of(List.of(change("a", "paid", NOW.minus(Duration.ofMinutes(30)))),
                List.of(change("b", "paid", NOW.minus(Duration.ofMinutes(20)))));
        failAfterFirstPage = new FeedException(FeedException.Reason.RATE_LIMITED, "429 for too long");

        assertThrows(FeedException.class, () -> reconciler().run(Reconciler.Request.scheduled(),
                Reconciler.Progress.NONE));

        assertEquals(cursor, cursors.get("test/things"), "the incomplete window did not move the cursor");
        assertEquals(1, queue.sent().size(), "page one's change went through the intake");
    }

    @Test
    void aChangeTheEntityShowsAtThatStateOrNewer_isKnown_andTheRestIsRecoveredThroughTheIntake() {
        Instant t = NOW.minus(Duration.ofMinutes(30));
        entity("same", "shipped", t);
        entity("newer", "refunded", t.plusSeconds(60));
        entity("older", "paid", t.minusSeconds(60));
        pages = List.of(List.of(change("same", "shipped", t), change("newer", "shipped", t), change("older", "shipped", t),
                change("absent", "paid", t)));

        Reconciler.Summary s = reconciler().run(Reconciler.Request.scheduled(), Reconciler.Progress.NONE);

        assertEquals(4, s.seen());
        assertEquals(2, s.known());
        assertEquals(2, s.recovered());
        assertEquals(List.of("thing|older|" + t, "thing|absent|" + t),
                queue.sent().stream().map(m -> m.key().dedupKey()).toList());
        assertEquals(EventSource.RECONCILE, events.find(new EventKey("test", "thing|older|" + t), NOW).orElseThrow()
                .source());
        assertEquals(2, sink.count("\"Reconciled\":1"), "one Reconciled count per recovery: " + sink.all());
    }

    @Test
    void aRepeatedRun_findsTheStoredEvents_andRecoversNothingNew() {
        Instant t = NOW.minus(Duration.ofMinutes(30));
        pages = List.of(List.of(change("a", "paid", t)));
        reconciler().run(new Reconciler.Request(Optional.of(NOW.minus(Duration.ofHours(1))), Optional.empty(), false),
                Reconciler.Progress.NONE);

        Reconciler.Summary again = reconciler().run(new Reconciler.Request(Optional.of(NOW.minus(Duration.ofHours(1))),
                Optional.empty(), false), Reconciler.Progress.NONE);

        assertEquals(0, again.recovered());
        assertEquals(1, again.known());
        assertEquals(1, queue.sent().size());
    }

    @Test
    void aDryRun_writesNothing_andLeavesTheCursor() {
        pages = List.of(List.of(change("a", "paid", NOW.minus(Duration.ofMinutes(30)))));

        Reconciler.Summary s = reconciler().run(new Reconciler.Request(Optional.empty(), Optional.empty(), true),
                Reconciler.Progress.NONE);

        assertEquals(1, s.recovered(), "would recover");
        assertTrue(queue.sent().isEmpty());
        assertTrue(cursors.isEmpty());
        assertTrue(events.find(new EventKey("test", "thing|a|" + NOW.minus(Duration.ofMinutes(30))), NOW).isEmpty());
    }
}
