package dev.inlet.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.LocalTables;
import dev.inlet.aws.testing.TestClients;
import dev.inlet.core.store.ClaimOutcome;
import dev.inlet.core.store.CreateOutcome;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventQuery;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStatus;
import dev.inlet.core.store.StoreUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.exception.RetryableException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The DynamoDB adapter against DynamoDB Local, on template.yaml's own table definition. */
class DynamoDbEventStoreTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static AwsClients clients;
    private static DynamoDbClient dynamo;
    private static String table;
    private static DynamoDbEventStore store;

    @BeforeAll
    static void start() {
        var resources = LocalTables.create();
        clients = TestClients.of(BackendSettings.from(LocalTables.env(resources)));
        dynamo = clients.dynamoDb();
        table = resources.ref("EventsTable").orElseThrow();
        store = new DynamoDbEventStore(dynamo, table);
    }

    @AfterAll
    static void stop() {
        if (dynamo != null) {
            dynamo.close();
        }
    }

    private static EventRecord record(String id, byte[] body) {
        return EventRecord.received(new EventKey("test", id), "thing.done", NOW, Optional.of(NOW), body,
                Map.of("user-agent", "tests"), NOW.plusSeconds(30), NOW.plus(Duration.ofDays(30)));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void create_thenCreateAgain_returnsTheExistingRecord() {
        EventRecord r = record("dup-1", utf8("{\"a\":1}"));

        assertInstanceOf(CreateOutcome.Created.class, store.create(r, NOW));
        CreateOutcome again = store.create(r, NOW);

        CreateOutcome.Existing existing = assertInstanceOf(CreateOutcome.Existing.class, again);
        assertEquals(EventStatus.RECEIVED, existing.existing().status());
        assertEquals("thing.done", existing.existing().eventType());
    }

    @Test
    void createAgain_returnsTheStoredBodysHash_inOneCall_forInlineAndSeparateBodies() {
        byte[] small = utf8("{\"a\":1}");
        byte[] large = new byte[20_000];
        new Random(7).nextBytes(large);
        store.create(record("hash-small", small), NOW);
        store.create(record("hash-large", large), NOW);
        CountingInterceptor calls = new CountingInterceptor();
        AwsClients counted = TestClients.of(clients.settings(), calls);
        DynamoDbEventStore countedStore = new DynamoDbEventStore(counted.dynamoDb(), table);

        CreateOutcome.Existing smallAgain = assertInstanceOf(CreateOutcome.Existing.class,
                countedStore.create(record("hash-small", utf8("{\"a\":2}")), NOW));
        int afterSmall = calls.count;
        CreateOutcome.Existing largeAgain = assertInstanceOf(CreateOutcome.Existing.class,
                countedStore.create(record("hash-large", utf8("{\"other\":true}")), NOW));

        assertEquals(Optional.of(dev.inlet.core.signature.Digests.sha256Hex(small)), smallAgain.bodySha256());
        assertEquals(Optional.of(dev.inlet.core.signature.Digests.sha256Hex(large)), largeAgain.bodySha256());
        assertEquals(1, afterSmall, "the failed conditional put returns the old item: no read of the body");
        assertEquals(2, calls.count, "one call each");
        counted.dynamoDb().close();
    }

    /** Counts the DynamoDB calls a client makes. */
    private static final class CountingInterceptor implements ExecutionInterceptor {
        volatile int count;

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            count++;
        }
    }

    @Test
    void largestAllowedBody_incompressible_underTheLongestKey_fitsOneItem() {
        byte[] body = new byte[DynamoDbEventStore.MAX_BODY_BYTES];
        new Random(11).nextBytes(body);
        String longestId = "k".repeat(2048 - "test#".length());
        EventRecord r = EventRecord.received(new EventKey("test", longestId), "thing.done", NOW, Optional.empty(),
                body, Map.of(), NOW.plusSeconds(30), NOW.plus(Duration.ofDays(30)));

        assertInstanceOf(CreateOutcome.Created.class, store.create(r, NOW));
        assertArrayEquals(body, store.find(r.key(), NOW).orElseThrow().body());
    }

    @Test
    void twentyConcurrentCreates_leaveExactlyOneCreated() throws Exception {
        EventRecord r = record("race-1", utf8("{\"a\":1}"));
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Callable<CreateOutcome>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(() -> store.create(r, NOW));
        }
        long created = 0;
        for (Future<CreateOutcome> f : pool.invokeAll(calls)) {
            if (f.get() instanceof CreateOutcome.Created) {
                created++;
            }
        }
        pool.shutdown();

        assertEquals(1, created);
    }

    @Test
    void smallBody_staysInlineAndComesBackByteForByte() {
        byte[] body = utf8("{\"eventId\":\"evt_small\",\"data\":{\"x\":\"" + "y".repeat(300) + "\"}}");
        store.create(record("small-1", body), NOW);

        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                .key(DynamoDbEventStore.keyOf(new EventKey("test", "small-1")))).item();

        assertTrue(item.containsKey("body"), "inline while the whole item fits one write unit");
        assertTrue(DynamoDbEventStore.ItemSize.of(item) <= 1024);
        assertArrayEquals(body, store.find(new EventKey("test", "small-1"), NOW).orElseThrow().body());
    }

    @Test
    void inlineBody_isKeptAsReceivedWhenThatFits_andCompressedOnlyWhenOnlyThatFits() {
        byte[] fits = utf8("{\"eventId\":\"evt_plain\",\"data\":{\"x\":\"" + "y".repeat(300) + "\"}}");
        byte[] fitsOnlyCompressed = utf8("{\"eventId\":\"evt_packed\",\"data\":{\"x\":\"" + "y".repeat(900) + "\"}}");
        store.create(record("plain-1", fits), NOW);
        store.create(record("packed-1", fitsOnlyCompressed), NOW);

        Map<String, AttributeValue> plain = dynamo.getItem(r -> r.tableName(table)
                .key(DynamoDbEventStore.keyOf(new EventKey("test", "plain-1")))).item();
        Map<String, AttributeValue> packed = dynamo.getItem(r -> r.tableName(table)
                .key(DynamoDbEventStore.keyOf(new EventKey("test", "packed-1")))).item();

        assertEquals("identity", plain.get("bodyEncoding").s());
        assertArrayEquals(fits, plain.get("body").b().asByteArray());
        assertEquals("gzip", packed.get("bodyEncoding").s(), "inline, compressed, rather than a second item");
        assertTrue(DynamoDbEventStore.ItemSize.of(packed) <= 1024);
        assertArrayEquals(fitsOnlyCompressed, store.find(new EventKey("test", "packed-1"), NOW).orElseThrow().body());
    }

    @Test
    void bodyThatWouldFillTheItemAtThePut_goesIntoItsOwnItem_soClaimAndCompleteStayWithinOneWriteUnit() {
        EventKey key = new EventKey("test", "edge-1");
        int recordWithoutBody = DynamoDbEventStore.ItemSize.of(DynamoDbEventStore.recordItem(record("edge-1",
                new byte[0])));
        byte[] body = new byte[1024 - recordWithoutBody - 60];   // fits one write unit at the put, not after
        new Random(11).nextBytes(body);
        store.create(record("edge-1", body), NOW);

        store.claim(key, "a-lease-owner-as-long-as-a-uuid-0000000", NOW, NOW.plusSeconds(60));
        assertTrue(store.markProcessed(key, "a-lease-owner-as-long-as-a-uuid-0000000", NOW.plusMillis(40),
                "RheoItemHandler"));

        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                .key(DynamoDbEventStore.keyOf(key))).item();
        assertTrue(DynamoDbEventStore.ItemSize.of(item) <= 1024, DynamoDbEventStore.ItemSize.of(item) + " bytes");
        assertArrayEquals(body, store.find(key, NOW).orElseThrow().body());
    }

    @Test
    void largeBody_goesIntoItsOwnItem_soRecordUpdatesStayAtOneWriteUnit() {
        byte[] body = new byte[20_000];
        new Random(7).nextBytes(body);
        store.create(record("large-1", body), NOW);

        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                .key(DynamoDbEventStore.keyOf(new EventKey("test", "large-1")))).item();

        assertFalse(item.containsKey("body"));
        assertTrue(DynamoDbEventStore.ItemSize.of(item) <= 1024);
        assertArrayEquals(body, store.find(new EventKey("test", "large-1"), NOW).orElseThrow().body());
        ClaimOutcome.Claimed claimed = assertInstanceOf(ClaimOutcome.Claimed.class,
                store.claim(new EventKey("test", "large-1"), "w1", NOW, NOW.plusSeconds(60)));
        assertArrayEquals(body, claimed.record().body());
    }

    @Test
    void claim_isExclusiveWhileTheLeaseLives_andCanBeTakenOverAfter() {
        EventKey key = new EventKey("test", "claim-1");
        store.create(record("claim-1", utf8("{}")), NOW);

        assertInstanceOf(ClaimOutcome.Claimed.class, store.claim(key, "w1", NOW, NOW.plusSeconds(60)));
        assertInstanceOf(ClaimOutcome.Busy.class, store.claim(key, "w2", NOW.plusSeconds(59), NOW.plusSeconds(120)));
        ClaimOutcome.Claimed takeover = assertInstanceOf(ClaimOutcome.Claimed.class,
                store.claim(key, "w2", NOW.plusSeconds(61), NOW.plusSeconds(121)));

        assertEquals(2, takeover.record().attempts());
        assertFalse(store.markProcessed(key, "w1", NOW.plusSeconds(62), "H"), "w1 lost its lease");
        assertTrue(store.markProcessed(key, "w2", NOW.plusSeconds(62), "H"));
        assertInstanceOf(ClaimOutcome.AlreadyProcessed.class, store.claim(key, "w3", NOW.plusSeconds(63),
                NOW.plusSeconds(123)));
        assertEquals(Optional.of("H"), store.find(key, NOW).orElseThrow().handledBy());
    }

    @Test
    void failedAttempt_releasesTheLease_andTheLastOneMarksFailedWithTheReason() {
        EventKey key = new EventKey("test", "fail-1");
        store.create(record("fail-1", utf8("{}")), NOW);

        store.claim(key, "w1", NOW, NOW.plusSeconds(60));
        store.recordFailure(key, "w1", "IllegalStateException: boom", false, NOW);
        assertEquals(EventStatus.QUEUED, store.find(key, NOW).orElseThrow().status());

        store.claim(key, "w2", NOW, NOW.plusSeconds(60));
        store.recordFailure(key, "w2", "IllegalStateException: boom again", true, NOW);
        EventRecord failed = store.find(key, NOW).orElseThrow();
        assertEquals(EventStatus.FAILED, failed.status());
        assertEquals(Optional.of("IllegalStateException: boom again"), failed.lastError());
        assertEquals(new ClaimOutcome.NotProcessable(EventStatus.FAILED), store.claim(key, "w3", NOW,
                NOW.plusSeconds(60)), "a FAILED record is not run again by a stray message");
        assertTrue(store.markForReplay(key, NOW, NOW.plusSeconds(30)));
        var again = assertInstanceOf(ClaimOutcome.Claimed.class, store.claim(key, "w4", NOW, NOW.plusSeconds(60)),
                "put back in line on purpose (redrive, replay), it runs again");
        assertEquals(1, again.record().attempts(), "with a fresh set of attempts");
    }

    @Test
    void intakeLease_canBeTakenOverOnlyAfterItExpires() {
        EventKey key = new EventKey("test", "lease-1");
        store.create(record("lease-1", utf8("{}")), NOW);

        assertFalse(store.takeOverIntakeLease(key, NOW.plusSeconds(29), NOW.plusSeconds(59)));
        assertTrue(store.takeOverIntakeLease(key, NOW.plusSeconds(30), NOW.plusSeconds(60)));
        assertFalse(store.takeOverIntakeLease(key, NOW.plusSeconds(31), NOW.plusSeconds(61)), "taken once only");
    }

    @Test
    void expiredRecord_countsAsAbsent_evenBeforeDynamoDbTtlDeletesIt() {
        EventKey key = new EventKey("test", "exp-1");
        store.create(record("exp-1", utf8("{}")), NOW);
        Instant later = NOW.plus(Duration.ofDays(31));

        assertTrue(store.find(key, later).isEmpty());
        assertInstanceOf(ClaimOutcome.Missing.class, store.claim(key, "w", later, later.plusSeconds(60)));
        assertInstanceOf(CreateOutcome.Created.class, store.create(
                EventRecord.received(key, "thing.done", later, Optional.empty(), utf8("{}"), Map.of(),
                        later.plusSeconds(30), later.plus(Duration.ofDays(30))), later));
    }

    @Test
    void list_filtersByProviderAndStatus() {
        store.create(record("list-1", utf8("{}")), NOW);

        List<EventRecord> received = store.list(new EventQuery(Optional.of("test"), Optional.of(EventStatus.RECEIVED),
                Optional.empty(), Optional.empty(), 1000), NOW);

        assertTrue(received.stream().anyMatch(r -> r.key().dedupKey().equals("list-1")));
        assertTrue(store.list(new EventQuery(Optional.of("nobody"), Optional.empty(), Optional.empty(),
                Optional.empty(), 1000), NOW).isEmpty());
    }

    @Test
    void sdkFailure_becomesStoreUnavailable() {
        ExecutionInterceptor down = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                throw SdkClientException.create("injected: DynamoDB unreachable");
            }
        };
        var broken = TestClients.of(clients.settings(), down).dynamoDb();

        assertThrows(StoreUnavailableException.class,
                () -> new DynamoDbEventStore(broken, table).create(record("down-1", utf8("{}")), NOW));
        assertTrue(store.find(new EventKey("test", "down-1"), NOW).isEmpty());
    }

    @Test
    void aPutRetriedAfterItsAnswerWasLost_isCreated_notADuplicateOfItself() {
        // Given a first attempt that DynamoDB writes but whose answer never reaches the SDK (as when an
        // attempt times out under load), so the SDK sends the same put again.
        AtomicInteger puts = new AtomicInteger();
        ExecutionInterceptor answerLostOnce = new ExecutionInterceptor() {
            @Override
            public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
                if (context.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("").endsWith(".PutItem")
                        && puts.incrementAndGet() == 1) {
                    throw RetryableException.builder().message("injected: the put's answer was lost")
                            .cause(new IOException("connection reset")).build();
                }
            }
        };
        var flaky = new AwsClients(clients.settings(), answerLostOnce).dynamoDb();

        // When the record is created through it
        CreateOutcome outcome = new DynamoDbEventStore(flaky, table).create(record("lost-answer-1", utf8("{}")), NOW);

        // Then the re-sent put that found its own record reports Created (the caller queues the event now),
        // while a second delivery of the same key is still a duplicate.
        assertEquals(2, puts.get(), "the SDK re-sent the put");
        assertInstanceOf(CreateOutcome.Created.class, outcome);
        assertInstanceOf(CreateOutcome.Existing.class, store.create(record("lost-answer-1", utf8("{}")), NOW));
    }

    @Test
    void aClaimRetriedAfterItsAnswerWasLost_isClaimed_notBusyWithItself() {
        // Given a record, and a claim whose first attempt DynamoDB applies but whose answer is lost
        store.create(record("lost-claim-1", utf8("{}")), NOW);
        AtomicInteger updates = new AtomicInteger();
        ExecutionInterceptor answerLostOnce = new ExecutionInterceptor() {
            @Override
            public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
                if (context.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("").endsWith(".UpdateItem")
                        && updates.incrementAndGet() == 1) {
                    throw RetryableException.builder().message("injected: the claim's answer was lost")
                            .cause(new IOException("connection reset")).build();
                }
            }
        };
        var flaky = new DynamoDbEventStore(new AwsClients(clients.settings(), answerLostOnce).dynamoDb(), table);
        EventKey key = new EventKey("test", "lost-claim-1");

        // When it claims, then another worker tries
        ClaimOutcome mine = flaky.claim(key, "w1", NOW, NOW.plusSeconds(60));
        ClaimOutcome theirs = store.claim(key, "w2", NOW.plusSeconds(1), NOW.plusSeconds(61));

        // Then the re-sent claim holds the record; the other worker finds it busy
        assertEquals(2, updates.get(), "the SDK re-sent the claim");
        assertEquals(1, assertInstanceOf(ClaimOutcome.Claimed.class, mine).record().attempts());
        assertInstanceOf(ClaimOutcome.Busy.class, theirs);
    }
}
