package dev.inlet.local.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.dynamodb.DynamoDbEntityStore;
import dev.inlet.aws.dynamodb.DynamoDbEventStore;
import dev.inlet.aws.testing.ConsumedReads;
import dev.inlet.aws.testing.TestClients;
import dev.inlet.core.config.Env;
import dev.inlet.core.config.ProcessingSettings;
import dev.inlet.core.entity.EntityKey;
import dev.inlet.core.entity.EntityUpdate;
import dev.inlet.core.json.Json;
import dev.inlet.core.observe.Log;
import dev.inlet.core.observe.Metrics;
import dev.inlet.core.processing.ProcessingResult;
import dev.inlet.core.processing.ProcessingService;
import dev.inlet.core.queue.QueueMessage;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.testing.CapturingSink;
import dev.inlet.embedded.Backends;
import dev.inlet.embedded.LocalResources;
import dev.inlet.embedded.SamTemplate;
import dev.inlet.local.cli.ConsoleCommand;
import dev.inlet.processor.Handlers;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the console's reads cost, counted at the SDK boundary of its real data layer over HTTP, against
 * DynamoDB Local: opening an event reads its entities by key (never a scan of the entities table), and
 * the event-type filter is matched by the listing query, so a rare type is found behind a full page of
 * others, within a bounded number of index entries per refresh.
 */
class ConsoleReadsTest {
    private static final String TOKEN = "console-test-token-not-a-secret";
    private static final int ENTITIES = 2_000;
    private static final int COMMON = 400;

    private static final ConsumedReads calls = new ConsumedReads();
    private static ConsoleCommand.Served console;
    /** The same console with a listing budget smaller than what is stored. */
    private static ConsoleCommand.Served bounded;
    private static final int SMALL_BUDGET = 250;
    /** A browser's cookie jar: each console's one-time URL is opened once, in start(). */
    private static final HttpClient http = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager())
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private static EventKey opened;
    private static final List<String> rareIds = new ArrayList<>();

    @BeforeAll
    static void storeEventsAndEntities() throws Exception {
        LocalResources resources = LocalResources.create(SamTemplate.load(SamTemplate.locate()), Backends.shared(),
                "c" + Long.toHexString(System.nanoTime()) + "-", Optional.empty());
        Map<String, String> env = new HashMap<>(Backends.shared().awsEnvironment());
        env.put("EVENTS_TABLE", resources.ref("EventsTable").orElseThrow());
        env.put("EVENTS_QUEUE_URL", resources.ref("EventsQueue").orElseThrow());
        env.put("DEAD_LETTER_QUEUE_URL", resources.ref("EventsDeadLetterQueue").orElseThrow());
        env.put("ENTITIES_TABLE", resources.ref("EntitiesTable").orElseThrow());
        Clock clock = Clock.systemUTC();
        AwsClients clean = TestClients.of(BackendSettings.from(Env.of(env)));
        DynamoDbEventStore events = new DynamoDbEventStore(clean.dynamoDb(), env.get("EVENTS_TABLE"));
        DynamoDbEntityStore entities = new DynamoDbEntityStore(clean.dynamoDb(), env.get("ENTITIES_TABLE"));
        Instant now = clock.instant();

        // 2,000 Rheo items, then one event that sells one of them, run through the real processor.
        for (int i = 0; i < ENTITIES; i++) {
            entities.apply(new EntityUpdate(new EntityKey("rheo", "item", "SKU-" + i), "LISTED", Map.of(),
                    "listing.created", now.minus(Duration.ofHours(1)), "evt_bulk_" + i));
        }
        opened = new EventKey("rheo", "evt_sold_1234");
        events.create(EventRecord.received(opened, "item.sold", now.minusSeconds(30), Optional.empty(),
                rheoBody("evt_sold_1234", "item.sold", "SKU-1234"), Map.of(), now, now.plus(Duration.ofDays(30))), now);
        CapturingSink sink = new CapturingSink();
        ProcessingService processing = new ProcessingService(events, Handlers.defaults(entities, new Log(sink, clock),
                new Metrics(sink, clock)).build(), ProcessingSettings.from(Env.of(Map.of()), Duration.ofSeconds(5)), clock, new Log(sink, clock),
                new Metrics(sink, clock));
        assertTrue(processing.process(new QueueMessage(opened, "item.sold")) instanceof ProcessingResult.Processed);

        // Three rare events, older than a full page of common ones.
        for (int i = 0; i < 3; i++) {
            String id = "evt_rare_" + i;
            events.create(EventRecord.received(new EventKey("rheo", id), "listing.failed",
                    now.minus(Duration.ofMinutes(20)).plusSeconds(i), Optional.empty(),
                    rheoBody(id, "listing.failed", "SKU-R" + i), Map.of(), now, now.plus(Duration.ofDays(30))), now);
            rareIds.add(0, "rheo#" + id);
        }
        for (int i = 0; i < COMMON; i++) {
            String id = "evt_common_" + i;
            events.create(EventRecord.received(new EventKey("rheo", id), "item.images_ready",
                    now.minus(Duration.ofMinutes(10)).plusMillis(i), Optional.empty(),
                    rheoBody(id, "item.images_ready", "SKU-" + i), Map.of(), now, now.plus(Duration.ofDays(30))), now);
        }

        console = ConsoleCommand.serve(new ConsoleData(Env.of(env), clock, ConsoleData.EXAMINE_AT_MOST, calls),
                ConsoleAlarms.none(), "test stack", 0, clock, TOKEN);
        bounded = ConsoleCommand.serve(new ConsoleData(Env.of(env), clock, SMALL_BUDGET, calls),
                ConsoleAlarms.none(), "test stack", 0, clock, TOKEN);
        for (ConsoleCommand.Served served : List.of(console, bounded)) {
            HttpResponse<String> opened = http.send(HttpRequest.newBuilder(URI.create(served.console().oneTimeUrl()))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, opened.statusCode(), "the one-time URL opens the console");
        }
    }

    @AfterAll
    static void stop() {
        if (console != null) {
            console.close();
        }
        if (bounded != null) {
            bounded.close();
        }
    }

    @BeforeEach
    void resetCounts() {
        calls.reset();
    }

    @Test
    void openingAnEvent_amongTwoThousandEntities_readsItsEntityByKey_neverScans() throws Exception {
        JsonNode view = get("event?id=" + encode(opened.id()));

        JsonNode entity = single(view.path("entities"));
        assertEquals("SKU-1234", entity.path("id").asText());
        assertEquals("SOLD", entity.path("state").asText());
        assertTrue(entity.path("fromThisEvent").asBoolean(), entity.toString());
        assertEquals(List.of("GetItem", "BatchGetItem"), calls.operations(),
                "the event by key, then its entity by key: no Scan, no Query");
        assertTrue(calls.readUnits() <= 1.5, calls.readUnits() + " read units");
    }

    @Test
    void entityLinkBackToItsEvent_isAKeyLookupToo() throws Exception {
        JsonNode entity = single(get("event?id=" + encode(opened.id())).path("entities"));
        calls.reset();

        JsonNode back = get("event?id=" + encode(entity.path("provider").asText() + "#"
                + entity.path("lastDedupKey").asText()));

        assertEquals(opened.id(), back.path("event").path("id").asText());
        assertFalse(calls.operations().contains("Scan"), calls.operations().toString());
        assertFalse(calls.operations().contains("Query"), calls.operations().toString());
        assertTrue(calls.readUnits() <= 1.5, calls.readUnits() + " read units");
    }

    @Test
    void entitiesTab_amongTwoThousandEntities_readsAboutOnePage_andSaysItStopped() throws Exception {
        JsonNode page = get("entities?provider=rheo");

        assertEquals(ConsoleServer.ENTITIES_SHOWN, page.path("entities").size());
        assertTrue(page.path("capped").asBoolean(), "the tab says it shows only the first entities");
        // Reading the whole table (2,000 small items, three Scan pages) costs 38 read units here.
        assertTrue(calls.readUnits() < 20, calls.readUnits() + " read units for one tab: " + calls.operations());
    }

    @Test
    void eventTypeFilter_rarerThanThePage_stillFindsItsEvents_matchedByTheListingQuery() throws Exception {
        JsonNode page = get("events?type=listing.failed");

        List<String> ids = new ArrayList<>();
        page.path("events").forEach(e -> ids.add(e.path("id").asText()));
        assertEquals(rareIds, ids, "the three rare events, newest first, behind " + COMMON + " newer ones");
        assertFalse(calls.operations().contains("Scan"), calls.operations().toString());
        assertEquals(1, calls.operations().stream().filter("BatchGetItem"::equals).count(),
                "only the matching records are read from the table: " + calls.operations());
    }

    @Test
    void eventTypeFilter_ofACommonType_fillsThePageWithThatTypeOnly() throws Exception {
        JsonNode page = get("events?type=item.images_ready");

        assertEquals(page.path("limit").asInt(), page.path("events").size());
        page.path("events").forEach(e -> assertEquals("item.images_ready", e.path("eventType").asText()));
    }

    @Test
    void filterThatMatchesNothing_examinesAtMostItsBudget_andSaysTheListIsIncomplete() throws Exception {
        JsonNode page = get(bounded, "events?type=no.such.type");

        assertEquals(0, page.path("events").size());
        assertFalse(page.path("complete").asBoolean(), page.toString());
        long queries = calls.operations().stream().filter("Query"::equals).count();
        assertTrue(queries <= 6, queries + " index queries: one page per provider, one more, then the budget is spent");
        assertFalse(calls.operations().contains("BatchGetItem"), calls.operations().toString());
    }

    @Test
    void filterThatMatchesNothing_withinTheBudget_searchesTheWholeWindow_andSaysSo() throws Exception {
        JsonNode page = get("events?type=no.such.type");

        assertEquals(0, page.path("events").size());
        assertTrue(page.path("complete").asBoolean(), page.toString());
    }

    private static JsonNode single(JsonNode list) {
        assertEquals(1, list.size(), list.toString());
        return list.get(0);
    }

    private static JsonNode get(String call) throws Exception {
        return get(console, call);
    }

    private static JsonNode get(ConsoleCommand.Served server, String call) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(server.url() + "console/api/" + call))
                .header(ConsoleGuard.TOKEN_HEADER, TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return Json.mapper().readTree(answer.body());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static byte[] rheoBody(String eventId, String type, String sku) {
        return ("{\"eventId\":\"" + eventId + "\",\"timestamp\":\"2026-11-25T10:00:00Z\",\"eventType\":\"" + type
                + "\",\"data\":{\"externalId\":\"" + sku + "\",\"salePrice\":100,\"currency\":\"SEK\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
