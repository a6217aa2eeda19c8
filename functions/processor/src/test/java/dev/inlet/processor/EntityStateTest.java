package dev.inlet.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.inlet.aws.dynamodb.DynamoDbEntityStore;
import dev.inlet.core.entity.ApplyOutcome;
import dev.inlet.core.entity.EntityKey;
import dev.inlet.core.entity.EntityState;
import dev.inlet.core.entity.EntityUpdate;
import dev.inlet.core.observe.Log;
import dev.inlet.core.observe.Metrics;
import dev.inlet.core.processing.HandlerRegistry;
import dev.inlet.core.processing.ReceivedEvent;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.testing.CapturingSink;
import dev.inlet.core.testing.MutableClock;
import dev.inlet.embedded.Backends;
import dev.inlet.embedded.LocalResources;
import dev.inlet.embedded.SamTemplate;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The default business handlers against the real entities table (DynamoDB Local). */
class EntityStateTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static DynamoDbEntityStore store;
    private static HandlerRegistry handlers;
    private static final CapturingSink SINK = new CapturingSink();

    @BeforeAll
    static void start() {
        LocalResources r = LocalResources.create(SamTemplate.load(SamTemplate.locate()), Backends.shared(),
                "t" + Long.toHexString(System.nanoTime()) + "-", Optional.of(2));
        store = new DynamoDbEntityStore(Backends.shared().dynamo(), r.ref("EntitiesTable").orElseThrow());
        MutableClock clock = new MutableClock(T0);
        handlers = Handlers.defaults(store, new Log(SINK, clock), new Metrics(SINK, clock)).build();
    }

    private static void handle(String provider, String type, String dedupKey, Instant time, String body)
            throws Exception {
        ReceivedEvent e = new ReceivedEvent(new EventKey(provider, dedupKey), type,
                body.getBytes(StandardCharsets.UTF_8), time, Optional.of(time), 1);
        handlers.find(provider, type).handle(e);
    }

    private static EntityState entity(String provider, String type, String id) {
        return store.find(new EntityKey(provider, type, id)).orElseThrow(() ->
                new AssertionError("no entity " + provider + "#" + type + "#" + id));
    }

    private static String rheo(String id, String type, Instant t, String extra) {
        return "{\"eventId\":\"" + id + "\",\"eventType\":\"" + type + "\",\"timestamp\":\"" + t + "\","
                + "\"data\":{\"externalId\":\"SKU-OOO\",\"rheoItemId\":\"r-1\"" + extra + "}}";
    }

    @Test
    void itemSold_thenALateListingCreated_leavesTheItemSold_andCountsTheLateOne() throws Exception {
        handle("rheo", "item.sold", "evt_2", T0.plusSeconds(60),
                rheo("evt_2", "item.sold", T0.plusSeconds(60), ",\"salePrice\":1250,\"currency\":\"SEK\""));
        handle("rheo", "listing.created", "evt_1", T0,
                rheo("evt_1", "listing.created", T0, ",\"traderaAdId\":612345678"));

        EntityState item = entity("rheo", "item", "SKU-OOO");
        assertEquals("SOLD", item.state());
        assertEquals("1250", item.fields().get("salePrice"));
        assertEquals(1, item.ignoredStale());
        assertEquals("item.sold", item.lastEventType());
    }

    @Test
    void rechatDealUpdatedOlderThanTheStoredOne_isIgnored() throws Exception {
        String deal = "{\"topic\":\"Deals\",\"event\":\"%s\",\"timestamp\":%d,\"payload\":{\"deal\":{\"id\":\"d-1\","
                + "\"title\":\"%s\"}}}";
        handle("rechat", "Deals.Updated", "h2", T0.plusSeconds(10),
                String.format(deal, "Updated", T0.plusSeconds(10).toEpochMilli(), "new title"));
        handle("rechat", "Deals.Updated", "h1", T0, String.format(deal, "Updated", T0.toEpochMilli(), "old title"));

        EntityState d = entity("rechat", "deal", "d-1");
        assertEquals("new title", d.fields().get("title"));
        assertEquals(1, d.version());
        assertEquals(1, d.ignoredStale());
    }

    @Test
    void reverbListingWithAnOlderUpdatedAt_isIgnored() throws Exception {
        String listing = "{\"id\":555,\"state\":{\"slug\":\"%s\"},\"inventory\":%d,\"updated_at\":\"%s\"}";
        handle("reverb", "listings/update", "l2", T0.plusSeconds(5),
                String.format(listing, "sold_out", 0, T0.plusSeconds(5)));
        handle("reverb", "listings/update", "l1", T0, String.format(listing, "live", 1, T0));

        EntityState l = entity("reverb", "listing", "555");
        assertEquals("sold_out", l.state());
        assertEquals("0", l.fields().get("inventory"));
    }

    @Test
    void laterEvent_keepsFieldsItDoesNotKnow() throws Exception {
        handle("rheo", "listing.created", "k1", T0, "{\"data\":{\"externalId\":\"SKU-KEEP\","
                + "\"traderaAdUrl\":\"https://www.tradera.com/item/1\"}}");
        handle("rheo", "item.sold", "k2", T0.plusSeconds(1), "{\"data\":{\"externalId\":\"SKU-KEEP\","
                + "\"salePrice\":99}}");

        EntityState item = entity("rheo", "item", "SKU-KEEP");
        assertEquals("SOLD", item.state());
        assertEquals("https://www.tradera.com/item/1", item.fields().get("traderaAdUrl"));
        assertEquals("99", item.fields().get("salePrice"));
    }

    @Test
    void racingProcessors_neverLoseTheNewestEvent() throws Exception {
        EntityKey key = new EntityKey("reusely", "offer", "race-1");
        List<Integer> order = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(7));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Callable<ApplyOutcome>> writes = new ArrayList<>();
        for (int i : order) {
            writes.add(() -> store.apply(new EntityUpdate(key, "status-" + i, Map.of("n", Integer.toString(i)),
                    "offer.status.updated", T0.plusSeconds(i), "dedup-" + i)));
        }
        int applied = 0;
        for (Future<ApplyOutcome> f : pool.invokeAll(writes)) {
            applied += f.get() instanceof ApplyOutcome.Applied ? 1 : 0;
        }
        pool.shutdown();

        EntityState e = store.find(key).orElseThrow();
        assertEquals("status-40", e.state());
        assertEquals(T0.plusSeconds(40), e.lastEventTime());
        assertEquals(applied, e.version());
        assertEquals(40 - applied, e.ignoredStale());
    }

    @Test
    void sameTimeTwoEvents_theGreaterDedupKeyWinsWhateverTheOrder() {
        EntityKey key = new EntityKey("rechat", "contact", "tie-1");
        store.apply(new EntityUpdate(key, "B", Map.of(), "Contacts.update", T0, "bbb"));
        assertInstanceOf(ApplyOutcome.Stale.class, store.apply(new EntityUpdate(key, "A", Map.of(),
                "Contacts.update", T0, "aaa")));

        assertEquals("B", store.find(key).orElseThrow().state());
    }

    @Test
    void theSameEventAppliedAgain_reAppliesHarmlessly_insteadOfCountingAsStale() {
        EntityKey key = new EntityKey("rheo", "item", "again-1");
        EntityUpdate update = new EntityUpdate(key, "SOLD", Map.of("salePrice", "5"), "item.sold", T0, "evt_again");
        store.apply(update);

        assertInstanceOf(ApplyOutcome.Applied.class, store.apply(update));

        EntityState s = store.find(key).orElseThrow();
        assertEquals("SOLD", s.state());
        assertEquals(0, s.ignoredStale());
    }

    @Test
    void contactsDeliveryWithFiftyContacts_updatesFiftyRows() throws Exception {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            data.append(i == 0 ? "" : ",").append("{\"id\":\"c50-").append(i).append("\",\"display_name\":\"C ")
                    .append(i).append("\"}");
        }
        handle("rechat", "Contacts.update", "fifty", T0, "{\"topic\":\"Contacts\",\"event\":\"update\",\"timestamp\":"
                + T0.toEpochMilli() + ",\"payload\":{\"data\":[" + data + "],\"references\":{},\"metadata\":{}}}");

        long rows = store.list(Optional.of("rechat"), Optional.of("contact")).stream()
                .filter(c -> c.key().id().startsWith("c50-")).filter(c -> c.state().equals("ACTIVE")).count();
        assertEquals(50, rows);
    }

    @Test
    void contactWithoutAnId_isLoggedAsNoEntity_andTheOthersOfItsDeliveryAreWritten() throws Exception {
        handle("rechat", "Contacts.update", "one-unnamed", T0, "{\"topic\":\"Contacts\",\"event\":\"update\","
                + "\"timestamp\":" + T0.toEpochMilli() + ",\"payload\":{\"data\":[{\"id\":\"named-1\"},"
                + "{\"display_name\":\"No Id\"},{\"id\":\"named-2\"}],\"references\":{},\"metadata\":{}}}");

        assertEquals("ACTIVE", entity("rechat", "contact", "named-1").state());
        assertEquals("ACTIVE", entity("rechat", "contact", "named-2").state());
        assertEquals(1, SINK.lines().stream().filter(l -> l.contains("\"event\":\"no_entity\"")
                && l.contains("one-unnamed") && l.contains("payload.data[].id")).count(), SINK.all());
    }

    @Test
    void notableEvents_logAWarningAndCountAMetric() throws Exception {
        handle("rheo", "listing.failed", "n1", T0, "{\"data\":{\"externalId\":\"SKU-N\",\"error\":\"category required\"}}");
        handle("reverb", "app/uninstalled", "n2", T0, "{\"shop_id\":77}");
        handle("reverb", "orders/update", "n3", T0, "{\"order_number\":\"9\",\"status\":\"refunded\"}");

        for (String reason : List.of("listing_failed", "app_uninstalled", "order_refunded")) {
            assertEquals(1, SINK.lines().stream().filter(l -> l.contains("\"level\":\"WARN\"")
                    && l.contains("\"event\":\"notable_event\"") && l.contains(reason)).count(), reason);
            assertEquals(1, SINK.lines().stream().filter(l -> l.contains("\"Name\":\"notable\"")
                    && l.contains("\"reason\":\"" + reason + "\"")).count(), reason);
        }
        assertEquals("DISCONNECTED", entity("reverb", "integration", "77").state());
        assertEquals("category required", entity("rheo", "item", "SKU-N").fields().get("error"));
    }

    @Test
    void unknownEventTypeOrUnreadablePayload_neverFailsTheEvent() throws Exception {
        handle("rheo", "item.teleported", "u1", T0, "{\"data\":{}}");
        handle("reusely", "offer.created", "u2", T0, "{\"object_id\":\"x\",\"data\":\"not an object\"}");
        handle("rechat", "Deals.Created", "u3", T0, "{\"payload\":{}}");

        assertEquals("unknown", entity("reusely", "offer", "x").state());
    }
}
