package dev.inlet.processor.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.inlet.core.entity.ApplyOutcome;
import dev.inlet.core.entity.EntityKey;
import dev.inlet.core.entity.EntityState;
import dev.inlet.core.entity.EntityStore;
import dev.inlet.core.entity.EntityUpdate;
import dev.inlet.core.observe.Log;
import dev.inlet.core.observe.Metrics;
import dev.inlet.core.processing.HandlerRegistry;
import dev.inlet.core.processing.ReceivedEvent;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.testing.CapturingSink;
import dev.inlet.core.testing.MutableClock;
import dev.inlet.processor.Handlers;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SaleNotifierTest {
    @Test
    void itemSold_isShipped_andTheDefaultEntityUpdateStillRuns() throws Exception {
        List<String> shipped = new ArrayList<>();
        List<EntityUpdate> updates = new ArrayList<>();
        EntityStore entities = new EntityStore() {
            public ApplyOutcome apply(EntityUpdate u) { updates.add(u);
                return new ApplyOutcome.Applied(Optional.empty(), EntityState.after(Optional.empty(), u)); }
            public Optional<EntityState> find(EntityKey key) { return Optional.empty(); }
            public List<EntityState> list(Optional<String> p, Optional<String> t) { return List.of(); }
        };
        MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
        HandlerRegistry handlers = Handlers.defaults(entities, new Log(new CapturingSink(), clock),
                        new Metrics(new CapturingSink(), clock))
                .also("rheo", "item.sold", new SaleNotifier((sku, price) -> shipped.add(sku + " " + price)))
                .build();
        byte[] body = "{\"eventId\":\"evt_9\",\"eventType\":\"item.sold\",\"data\":{\"externalId\":\"SKU-7\",\"salePrice\":1250}}"
                .getBytes(StandardCharsets.UTF_8);

        handlers.find("rheo", "item.sold").handle(new ReceivedEvent(new EventKey("rheo", "evt_9"), "item.sold", body,
                clock.instant(), Optional.of(clock.instant()), 1));

        assertEquals(List.of("SKU-7 1250"), shipped);
        assertEquals("SOLD", updates.get(0).state());
    }
}
