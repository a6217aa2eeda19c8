package dev.inlet.local.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.inlet.core.entity.ApplyOutcome;
import dev.inlet.core.entity.EntityKey;
import dev.inlet.core.entity.EntityState;
import dev.inlet.core.entity.EntityStore;
import dev.inlet.core.entity.EntityUpdate;
import dev.inlet.core.ingest.Headers;
import dev.inlet.core.ingest.RawRequest;
import dev.inlet.core.ingest.TimestampException;
import dev.inlet.core.ingest.UnreadableBodyException;
import dev.inlet.core.ingest.WebhookProvider;
import dev.inlet.core.json.Json;
import dev.inlet.core.observe.Log;
import dev.inlet.core.observe.Metrics;
import dev.inlet.core.processing.HandlerRegistry;
import dev.inlet.core.processing.ReceivedEvent;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.testing.CapturingSink;
import dev.inlet.core.testing.MutableClock;
import dev.inlet.local.samples.Samples;
import dev.inlet.processor.Handlers;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Any authentic body through every provider's envelope reader and, when it is JSON, through every
 * default business handler of that provider: a reader may only answer with an envelope, an unreadable
 * body or a timestamp rejection; a handler may never throw on an unexpected shape (unknown fields and
 * types never fail a batch).
 */
class BodyParserFuzzTest {
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-05-27T10:00:00Z"));
    private static final HandlerRegistry HANDLERS = Handlers.defaults(new NoopEntities(),
            new Log(new CapturingSink(), CLOCK), new Metrics(new CapturingSink(), CLOCK)).build();

    @FuzzTest(maxDuration = "30s")
    void anyAuthenticBody(byte[] body) throws Exception {
        for (String name : Receivers.NAMES) {
            WebhookProvider provider = Receivers.BY_NAME.get(name);
            Map<String, String> path = name.equals("reverb") ? Map.of("topic", "orders-create") : Map.of();
            try {
                provider.read(new RawRequest(body, Headers.empty(), path, "fuzz"));
            } catch (UnreadableBodyException | TimestampException expected) {
                // defined answers: quarantine, or a typed rejection
            }
        }
        try {
            Json.parse(body);
        } catch (java.io.IOException notJson) {
            return;
        }
        for (var samples : Samples.all()) {
            for (String type : samples.eventTypes()) {
                HANDLERS.find(samples.provider(), type).handle(new ReceivedEvent(new EventKey(samples.provider(),
                        "fuzz"), type, body, CLOCK.instant(), Optional.of(CLOCK.instant()), 1));
            }
        }
    }

    /** Accepts every update: the fuzz target checks the handlers, not the store. */
    private static final class NoopEntities implements EntityStore {
        @Override
        public ApplyOutcome apply(EntityUpdate update) {
            return new ApplyOutcome.Applied(Optional.empty(), EntityState.after(Optional.empty(), update));
        }

        @Override
        public Optional<EntityState> find(EntityKey key) {
            return Optional.empty();
        }

        @Override
        public List<EntityState> list(Optional<String> provider, Optional<String> type) {
            return List.of();
        }
    }
}
