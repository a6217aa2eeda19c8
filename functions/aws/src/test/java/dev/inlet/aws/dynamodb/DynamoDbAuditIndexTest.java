package dev.inlet.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.LocalTables;
import dev.inlet.aws.testing.ConsumedReads;
import dev.inlet.core.observe.Log;
import dev.inlet.core.observe.Metrics;
import dev.inlet.core.outbox.StrandedAudit;
import dev.inlet.core.store.AuditIndex;
import dev.inlet.core.store.ClaimOutcome;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStatus;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The audit index against DynamoDB Local, on template.yaml's own table definition: who enters and leaves
 * it, the audit's conditional writes, what one run reads, and what the index costs per event.
 */
class DynamoDbAuditIndexTest {
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(90);
    private static final Duration WINDOW = Duration.ofSeconds(181);
    private static final ConsumedReads reads = new ConsumedReads();
    private static final ConsumedWrites writes = new ConsumedWrites();
    private static DynamoDbEventStore store;
    private static DynamoDbAuditIndex index;

    @BeforeAll
    static void start() {
        var resources = LocalTables.create();
        DynamoDbClient dynamo = new AwsClients(BackendSettings.from(LocalTables.env(resources)), reads, writes)
                .dynamoDb();
        String table = resources.ref("EventsTable").orElseThrow();
        store = new DynamoDbEventStore(dynamo, table);
        index = new DynamoDbAuditIndex(dynamo, table);
    }

    private static EventKey key(String id) {
        return new EventKey("rheo", id);
    }

    private static void received(String id) {
        byte[] body = ("{\"eventId\":\"" + id + "\",\"data\":\"" + "x".repeat(400) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        store.create(EventRecord.received(key(id), "item.sold", T0, Optional.of(T0), body, Map.of("user-agent", "t"),
                T0.plusSeconds(30), T0.plus(Duration.ofDays(30))), T0);
    }

    /** Claimed at T0 + 1 s; the attempt failed: QUEUED, out of the outbox. */
    private static void failedOnce(String id) {
        received(id);
        Instant at = T0.plusSeconds(1);
        assertInstanceOf(ClaimOutcome.Claimed.class, store.claim(key(id), "w1", at, at.plus(LEASE)));
        store.recordFailure(key(id), "w1", "boom", false, at.plusSeconds(2));
    }

    private static Instant ownerlessAfter() {
        return T0.plusSeconds(1).plus(LEASE).plus(WINDOW);
    }

    private static StrandedAudit audit(Instant now, List<String> lines) {
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        Log.Sink sink = (level, line) -> lines.add(line);
        return new StrandedAudit(index, WINDOW, 100, clock, new Log(sink, clock), new Metrics(sink, clock));
    }

    private static boolean due(String id, Instant notAfter) {
        return index.dueForAudit(notAfter, 100).stream().anyMatch(d -> d.key().equals(key(id)));
    }

    @Test
    void claim_entersTheAuditIndexAtItsLeasesEnd_completionAndGivingUpLeaveIt_aRetryStays() {
        received("life-ok");
        assertFalse(due("life-ok", T0.plus(Duration.ofDays(1))), "a record in the outbox is not in the audit index");
        store.claim(key("life-ok"), "w1", T0, T0.plus(LEASE));
        assertEquals(Optional.of(T0.plus(LEASE)), index.dueForAudit(T0.plus(LEASE), 100).stream()
                .filter(d -> d.key().equals(key("life-ok"))).map(AuditIndex.Due::auditAt).findFirst());
        assertFalse(due("life-ok", T0.plus(LEASE).minusMillis(1)), "sorted by the lease's end");
        store.markProcessed(key("life-ok"), "w1", T0.plusSeconds(2), "h");
        assertFalse(due("life-ok", T0.plus(Duration.ofDays(1))), "PROCESSED leaves it");

        failedOnce("life-retry");
        assertTrue(due("life-retry", ownerlessAfter()), "QUEUED for a retry stays: only its message owns it now");

        received("life-gave-up");
        store.claim(key("life-gave-up"), "w1", T0, T0.plus(LEASE));
        store.recordFailure(key("life-gave-up"), "w1", "boom", true, T0.plusSeconds(2));
        assertFalse(due("life-gave-up", T0.plus(Duration.ofDays(1))), "FAILED leaves it");
    }

    @Test
    void ownerlessRecord_isReturnedToTheOutbox_sentByTheSweepersQuery_andProcessedOnItsNextClaim() {
        failedOnce("stranded-1");
        Instant now = ownerlessAfter().plusSeconds(1);
        List<String> lines = new ArrayList<>();

        StrandedAudit.Report report = audit(now, lines).run(now.plusSeconds(10), false);

        assertEquals(List.of(key("stranded-1")), report.stranded().stream()
                .filter(f -> f.action() == StrandedAudit.Action.RETURNED).map(StrandedAudit.Finding::key)
                .filter(k -> k.dedupKey().startsWith("stranded-")).toList());
        EventRecord r = store.find(key("stranded-1"), now).orElseThrow();
        assertEquals(EventStatus.QUEUED, r.status());
        assertEquals(Optional.of(now), r.history().at(EventStatus.QUEUED), "the return is in its status history");
        assertTrue(store.dueForSend(now, 100).stream().anyMatch(d -> d.key().equals(key("stranded-1"))),
                "the sweeper's own outbox query finds it");
        assertFalse(due("stranded-1", now), "out of the audit index");
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"StrandedRecovered\":1")), String.join("\n", lines));
        assertInstanceOf(ClaimOutcome.Claimed.class, store.claim(key("stranded-1"), "w2", now, now.plus(LEASE)));
        assertTrue(store.markProcessed(key("stranded-1"), "w2", now.plusSeconds(1), "h"));
        assertEquals(EventStatus.PROCESSED, store.find(key("stranded-1"), now).orElseThrow().status());
    }

    @Test
    void returnToOutbox_losesToAClaimThatCameFirst_andToAReplay() {
        failedOnce("race-claim");
        failedOnce("race-replay");
        Instant now = ownerlessAfter().plusSeconds(1);
        AuditIndex.Entry claimed = index.inspect(key("race-claim")).orElseThrow();
        AuditIndex.Entry replayed = index.inspect(key("race-replay")).orElseThrow();
        store.claim(key("race-claim"), "w2", now, now.plus(LEASE));
        store.markForReplay(key("race-replay"), now, now.plusSeconds(30));

        assertFalse(index.returnToOutbox(claimed, now), "the claim's lease is live");
        assertFalse(index.returnToOutbox(replayed, now), "the replay put it in the outbox");
        assertEquals(Optional.of("w2"), store.find(key("race-claim"), now).orElseThrow().leaseOwner());
        assertFalse(index.drop(claimed), "not even its old entry: the claim wrote a new one");
    }

    @Test
    void deferAndDrop_areConditionalOnTheEntryTheAuditSaw() {
        failedOnce("entry-1");
        AuditIndex.Entry seen = index.inspect(key("entry-1")).orElseThrow();
        Instant later = ownerlessAfter().plus(Duration.ofMinutes(5));

        assertTrue(index.defer(seen, later));
        assertFalse(index.defer(seen, later.plusSeconds(1)), "the entry moved: the old view is stale");
        assertFalse(due("entry-1", later.minusMillis(1)));
        AuditIndex.Entry moved = index.inspect(key("entry-1")).orElseThrow();
        assertEquals(later, moved.auditAt());
        assertTrue(index.drop(moved));
        assertTrue(index.inspect(key("entry-1")).isEmpty(), "no entry, nothing to inspect");
    }

    @Test
    void aRun_readsOnePagePerShardAndOnlyTheDueRecords_neverScans_whateverTheTableHolds() {
        // given 60 finished events and 2 stranded ones
        for (int i = 0; i < 60; i++) {
            String id = String.format("done-%03d", i);
            received(id);
            store.claim(key(id), "w1", T0, T0.plus(LEASE));
            store.markProcessed(key(id), "w1", T0.plusSeconds(1), "h");
        }
        failedOnce("scan-1");
        failedOnce("scan-2");
        Instant now = ownerlessAfter().plusSeconds(1);
        reads.reset();

        // when (a dry run: other tests' records may be due too, so count only reads)
        StrandedAudit.Report report = audit(now, new ArrayList<>()).run(now.plusSeconds(10), true);

        // then
        List<String> ops = reads.operations();
        double units = reads.reset();
        assertFalse(ops.contains("Scan"), ops.toString());
        assertEquals(16, ops.stream().filter("Query"::equals).count(), "one query per shard");
        assertEquals(report.examined(), ops.stream().filter("GetItem"::equals).count(), "one read per due entry");
        assertTrue(report.examined() < 20, "the finished records are not read: " + report.examined());
        assertTrue(report.stranded().stream().anyMatch(f -> f.key().equals(key("scan-1"))));
        assertTrue(units <= 16 * 0.5 + report.examined() * 1.0, units + " read units");
    }

    @Test
    void theIndexCostsOneWriteUnitWhenARecordEntersItAndOneWhenItLeaves_nothingAtThePut() {
        writes.reset();
        received("wcu-1");
        Map<String, Double> put = writes.reset();
        store.claim(key("wcu-1"), "w1", T0, T0.plus(LEASE));
        Map<String, Double> claim = writes.reset();
        store.markProcessed(key("wcu-1"), "w1", T0.plusSeconds(1), "h");
        Map<String, Double> done = writes.reset();

        System.out.println("write units: put " + put + ", claim " + claim + ", completion " + done);
        assertEquals(0.0, put.getOrDefault("audit", 0.0));
        assertEquals(1.0, claim.get("audit"), "enters: " + claim);
        assertEquals(1.0, done.get("audit"), "leaves: " + done);
        assertEquals(1.0, claim.get("table"), "the claim's update stays one unit: " + claim);
        assertEquals(1.0, done.get("table"), "the completion's update stays one unit: " + done);
        double total = put.values().stream().mapToDouble(Double::doubleValue).sum()
                + claim.values().stream().mapToDouble(Double::doubleValue).sum()
                + done.values().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(8.0, total, "events table per event (the entity update adds 1): " + put + claim + done);
    }

    /** Asks every put and update for its consumed capacity (INDEXES) and adds it up per table and index. */
    static final class ConsumedWrites implements ExecutionInterceptor {
        private final List<ConsumedCapacity> seen = new CopyOnWriteArrayList<>();

        @Override
        public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutItemRequest p) {
                return p.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build();
            }
            if (context.request() instanceof UpdateItemRequest u) {
                return u.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build();
            }
            return context.request();
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            SdkResponse r = context.response();
            ConsumedCapacity c = r instanceof PutItemResponse p ? p.consumedCapacity()
                    : r instanceof UpdateItemResponse u ? u.consumedCapacity() : null;
            if (c != null) {
                seen.add(c);
            }
        }

        /** Units per "table" and per index name since the last reset. */
        Map<String, Double> reset() {
            Map<String, Double> out = new LinkedHashMap<>();
            for (ConsumedCapacity c : seen) {
                if (c.table() != null) {
                    out.merge("table", c.table().capacityUnits(), Double::sum);
                }
                if (c.globalSecondaryIndexes() != null) {
                    c.globalSecondaryIndexes().forEach((name, cap) -> out.merge(name, cap.capacityUnits(), Double::sum));
                }
            }
            seen.clear();
            return out;
        }
    }
}
