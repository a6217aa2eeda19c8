package dev.inlet.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.LocalTables;
import dev.inlet.aws.testing.ConsumedReads;
import dev.inlet.aws.testing.TestClients;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventQuery;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Listing scales with what is shown, not with the table: 20,000 records in DynamoDB Local, and the read
 * capacity DynamoDB reports (ReturnConsumedCapacity, asked for by an SDK interceptor, so the adapter runs
 * as shipped) for the newest 20. One item's worth is an eventually consistent read of one item of up to
 * 4 KB: 0.5 read units.
 */
class ListingCapacityTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final int RECORDS = 20_000;
    private static final List<String> PROVIDERS = DynamoDbEventStore.PROVIDERS;
    private static final double ITEM_WORTH = 0.5;
    private static final ConsumedReads capacity = new ConsumedReads();
    private static DynamoDbClient measured;
    private static String table;

    static String id(int i) {
        return String.format("l%05d", i);
    }

    /** Record i was received i x 43 s before NOW: 20,000 records over 10 days, newest first by i. */
    static EventRecord record(int i) {
        Instant at = NOW.minusSeconds(43L * i);
        byte[] body = ("{\"id\":\"" + id(i) + "\",\"data\":\"" + "x".repeat(300) + "\"}").getBytes(StandardCharsets.UTF_8);
        return EventRecord.received(new EventKey(PROVIDERS.get(i % PROVIDERS.size()), id(i)), "thing.done", at,
                Optional.of(at), body, Map.of(), at.plusSeconds(30), NOW.plus(Duration.ofDays(30)));
    }

    @BeforeAll
    static void load() {
        var resources = LocalTables.create();
        table = resources.ref("EventsTable").orElseThrow();
        BackendSettings settings = BackendSettings.from(LocalTables.env(resources));
        DynamoDbClient loader = TestClients.of(settings).dynamoDb();
        List<WriteRequest> batch = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            Map<String, AttributeValue> item = DynamoDbEventStore.recordItem(record(i));
            BodyCodec.Encoded body = BodyCodec.encode(record(i).body());
            item.put("body", DynamoDbEventStore.bytes(body.bytes()));
            item.put("bodyEncoding", DynamoDbEventStore.s(body.encoding()));
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            if (batch.size() == 25 || i == RECORDS - 1) {
                List<WriteRequest> chunk = List.copyOf(batch);
                var left = loader.batchWriteItem(r -> r.requestItems(Map.of(table, chunk))).unprocessedItems();
                assertTrue(left.isEmpty(), "DynamoDB Local took every item");
                batch.clear();
            }
        }
        measured = TestClients.of(settings, capacity).dynamoDb();
    }

    private static DynamoDbEventStore store() {
        return new DynamoDbEventStore(measured, table);
    }

    @Test
    void newestTwentyOfAllProviders_readAtMostTwentyFiveItemsWorth_inOrder() {
        capacity.reset();

        List<EventRecord> newest = store().list(new EventQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 20), NOW);

        double units = capacity.reset();
        assertEquals(java.util.stream.IntStream.range(0, 20).mapToObj(ListingCapacityTest::id).toList(),
                newest.stream().map(r -> r.key().dedupKey()).toList());
        assertEquals(EventStatus.RECEIVED, newest.get(0).status(), "status comes from the record itself");
        assertTrue(units > 0, "DynamoDB reported the capacity");
        assertTrue(units <= 25 * ITEM_WORTH, "read " + units + " RCU for 20 records out of " + RECORDS);
    }

    @Test
    void newestTwentyOfOneProvider_inAnOlderRange_readAtMostTwentyFiveItemsWorth() {
        capacity.reset();
        Instant to = NOW.minus(Duration.ofDays(5));

        List<EventRecord> page = store().list(new EventQuery(Optional.of("reverb"), Optional.empty(),
                Optional.of(to.minus(Duration.ofDays(1))), Optional.of(to), 20), NOW);

        double units = capacity.reset();
        assertEquals(20, page.size());
        assertTrue(page.stream().allMatch(r -> r.key().provider().equals("reverb") && r.receivedAt().isBefore(to)));
        for (int i = 1; i < page.size(); i++) {
            assertTrue(page.get(i - 1).receivedAt().isAfter(page.get(i).receivedAt()), "newest first");
        }
        assertTrue(units > 0, "DynamoDB reported the capacity (0 would make the bound below meaningless)");
        assertTrue(units <= 25 * ITEM_WORTH, "read " + units + " RCU");
    }

    @Test
    void streamingEveryRecord_seesEachOnceNewestFirst_andAFullScanCostsFarMore() {
        capacity.reset();
        long seen;
        Instant previous = Instant.MAX;
        try (Stream<EventRecord> all = store().stream(new EventQuery(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), 1000), NOW)) {
            var it = all.iterator();
            seen = 0;
            while (it.hasNext()) {
                EventRecord r = it.next();
                assertTrue(!r.receivedAt().isAfter(previous));
                previous = r.receivedAt();
                seen++;
            }
        }
        assertEquals(RECORDS, seen);
        double streamed = capacity.reset();
        assertTrue(streamed > 25 * ITEM_WORTH * 100, "all of it costs " + streamed + " RCU");
    }
}
