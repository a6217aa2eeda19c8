package dev.inlet.aws.dynamodb;

import dev.inlet.core.signature.Digests;
import dev.inlet.core.store.ClaimOutcome;
import dev.inlet.core.store.CreateOutcome;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventQuery;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStatus;
import dev.inlet.core.store.EventStore;
import dev.inlet.core.store.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Event records in DynamoDB. Key: {@code pk = provider#dedupKey}, {@code sk = "event"}.
 *
 * <p>Cost: every update is billed at the item's full size, and a record is updated three times (QUEUED,
 * PROCESSING, PROCESSED). So the body stays inline (gzip-compressed when that helps) only while the
 * whole item fits in one write unit (1 KB); a larger body goes, once, into its own content-addressed
 * item ({@code sk = "body#<sha256>"}) that is never updated, and the record keeps a reference.
 *
 * <p>While a record is RECEIVED it carries {@code outboxShard}, the partition key of the sparse
 * {@code outbox} index (sorted by {@code leaseUntil}) that the sweeper reads; spreading records over
 * {@value #OUTBOX_SHARDS} shards keeps that index free of a hot partition.
 */
public final class DynamoDbEventStore implements EventStore {
    static final String PK = "pk";
    static final String SK = "sk";
    static final String EVENT_SK = "event";
    static final String BODY_SK_PREFIX = "body#";
    static final String OUTBOX_SHARD = "outboxShard";
    static final String BODY_HASH = "bodySha256";
    public static final int OUTBOX_SHARDS = 16;
    public static final String OUTBOX_INDEX = "outbox";
    private static final int WRITE_UNIT_BYTES = 1024;
    /**
     * The largest body one record can keep. A body over 1 KB lives in its own item, stored as binary
     * (raw bytes, not base64; gzip only when smaller), and a DynamoDB item holds at most 400 KB,
     * attribute names included. That item's other attributes: {@code pk} (at most 2,048 bytes, DynamoDB's
     * own limit for a partition key), {@code sk} ({@code body#} + 64 hex), the encoding and the expiry:
     * under 2.2 KB. 4 KB are kept back for them.
     */
    public static final int MAX_BODY_BYTES = 400 * 1024 - 4 * 1024;
    public static final String MAX_BODY_REASON = "a larger body could not be stored in one DynamoDB item (400 KB, "
            + "with the key and the other attributes)";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbEventStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public CreateOutcome create(EventRecord record, Instant now) {
        return guarded("create", () -> {
            Map<String, AttributeValue> item = recordItem(record);
            BodyCodec.Encoded body = BodyCodec.encode(record.body());
            if (ItemSize.of(item) + "body".length() + body.bytes().length <= WRITE_UNIT_BYTES) {
                item.put("body", bytes(body.bytes()));
                item.put("bodyEncoding", s(body.encoding()));
            } else {
                // A large body is written once into its own item; skip that write for an obvious duplicate.
                Optional<Map<String, AttributeValue>> live = liveEventItem(record.key(), now);
                if (live.isPresent()) {
                    return existing(live.get());
                }
                String bodySk = BODY_SK_PREFIX + Digests.sha256Hex(record.body());
                Map<String, AttributeValue> bodyItem = new HashMap<>();
                bodyItem.put(PK, s(record.key().id()));
                bodyItem.put(SK, s(bodySk));
                bodyItem.put("body", bytes(body.bytes()));
                bodyItem.put("bodyEncoding", s(body.encoding()));
                bodyItem.put("expiresAt", n(record.expiresAt().getEpochSecond()));
                dynamo.putItem(r -> r.tableName(table).item(bodyItem));
                item.put("bodyRef", s(bodySk));
            }
            try {
                dynamo.putItem(r -> r.tableName(table).item(item)
                        .conditionExpression("attribute_not_exists(pk) OR expiresAt <= :now")
                        .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond())))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                return new CreateOutcome.Created();
            } catch (ConditionalCheckFailedException e) {
                if (e.hasItem()) {
                    return existing(e.item());
                }
                return existing(liveEventItem(record.key(), now)
                        .orElseThrow(() -> new StoreUnavailableException("record vanished during create", e)));
            }
        });
    }

    /** The record that holds the key, with the hash of its body as stored at its create (no body read). */
    private CreateOutcome.Existing existing(Map<String, AttributeValue> item) {
        AttributeValue hash = item.get(BODY_HASH);
        return new CreateOutcome.Existing(toRecord(item), hash == null || hash.b() == null ? Optional.empty()
                : Optional.of(HexFormat.of().formatHex(hash.b().asByteArray())));
    }

    @Override
    public boolean takeOverIntakeLease(EventKey key, Instant now, Instant newLeaseUntil) {
        return guarded("takeOverIntakeLease", () -> conditionalUpdate(key,
                "SET leaseUntil = :lease",
                "#status = :received AND leaseUntil <= :now",
                Map.of(":lease", n(newLeaseUntil.toEpochMilli()), ":received", s(EventStatus.RECEIVED.name()),
                        ":now", n(now.toEpochMilli()))).isPresent());
    }

    @Override
    public void markQueued(EventKey key) {
        guarded("markQueued", () -> conditionalUpdate(key,
                "SET #status = :queued REMOVE " + OUTBOX_SHARD,
                "#status = :received",
                Map.of(":queued", s(EventStatus.QUEUED.name()), ":received", s(EventStatus.RECEIVED.name()))));
    }

    @Override
    public ClaimOutcome claim(EventKey key, String owner, Instant now, Instant leaseUntil) {
        return guarded("claim", () -> {
            UpdateItemResponse response;
            try {
                response = dynamo.updateItem(r -> r.tableName(table).key(keyOf(key))
                        .updateExpression("SET #status = :processing, leaseUntil = :lease, leaseOwner = :owner, "
                                + "attempts = if_not_exists(attempts, :zero) + :one REMOVE " + OUTBOX_SHARD)
                        .conditionExpression("attribute_exists(pk) AND expiresAt > :nowSec AND ("
                                + "#status IN (:received, :queued, :failed) "
                                + "OR (#status = :processing AND leaseUntil <= :now))")
                        .expressionAttributeNames(Map.of("#status", "status"))
                        .expressionAttributeValues(Map.of(
                                ":processing", s(EventStatus.PROCESSING.name()),
                                ":received", s(EventStatus.RECEIVED.name()),
                                ":queued", s(EventStatus.QUEUED.name()),
                                ":failed", s(EventStatus.FAILED.name()),
                                ":lease", n(leaseUntil.toEpochMilli()),
                                ":owner", s(owner),
                                ":zero", n(0), ":one", n(1),
                                ":now", n(now.toEpochMilli()),
                                ":nowSec", n(now.getEpochSecond())))
                        .returnValues(ReturnValue.ALL_NEW)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            } catch (ConditionalCheckFailedException e) {
                return refusedClaim(e.hasItem() ? e.item() : Map.of(), now);
            }
            Map<String, AttributeValue> item = response.attributes();
            return new ClaimOutcome.Claimed(toRecord(item).withBody(loadBody(item)));
        });
    }

    private ClaimOutcome refusedClaim(Map<String, AttributeValue> old, Instant now) {
        if (old.isEmpty() || Instant.ofEpochSecond(num(old, "expiresAt")).compareTo(now) <= 0) {
            return new ClaimOutcome.Missing();
        }
        EventStatus status = EventStatus.valueOf(old.get("status").s());
        return switch (status) {
            case PROCESSED -> new ClaimOutcome.AlreadyProcessed();
            case PROCESSING -> new ClaimOutcome.Busy(Instant.ofEpochMilli(num(old, "leaseUntil")));
            default -> new ClaimOutcome.NotProcessable(status);
        };
    }

    @Override
    public boolean markProcessed(EventKey key, String owner, Instant now, String handledBy) {
        return guarded("markProcessed", () -> conditionalUpdate(key,
                "SET #status = :processed, processedAt = :now, handledBy = :handler, "
                        + "processedCount = if_not_exists(processedCount, :zero) + :one REMOVE leaseOwner, lastError",
                "#status = :processing AND leaseOwner = :owner",
                Map.of(":processed", s(EventStatus.PROCESSED.name()), ":processing", s(EventStatus.PROCESSING.name()),
                        ":owner", s(owner), ":now", n(now.toEpochMilli()), ":handler", s(handledBy),
                        ":zero", n(0), ":one", n(1))).isPresent());
    }

    @Override
    public void recordFailure(EventKey key, String owner, String error, boolean giveUp) {
        EventStatus next = giveUp ? EventStatus.FAILED : EventStatus.QUEUED;
        guarded("recordFailure", () -> conditionalUpdate(key,
                "SET #status = :next, lastError = :error, leaseUntil = :zero REMOVE leaseOwner",
                "#status = :processing AND leaseOwner = :owner",
                Map.of(":next", s(next.name()), ":error", s(error), ":zero", n(0),
                        ":processing", s(EventStatus.PROCESSING.name()), ":owner", s(owner))));
    }

    @Override
    public List<EventRecord> dueForSend(Instant now, int limit) {
        return guarded("dueForSend", () -> {
            List<EventRecord> due = new ArrayList<>();
            for (int shard = 0; shard < OUTBOX_SHARDS && due.size() < limit; shard++) {
                String shardKey = String.format("%02d", shard);
                int remaining = limit - due.size();
                dynamo.query(r -> r.tableName(table).indexName(OUTBOX_INDEX)
                                .keyConditionExpression(OUTBOX_SHARD + " = :shard AND leaseUntil <= :now")
                                .expressionAttributeValues(Map.of(":shard", s(shardKey), ":now", n(now.toEpochMilli())))
                                .limit(remaining))
                        .items().forEach(item -> due.add(outboxRecord(item)));
            }
            due.sort(Comparator.comparing(EventRecord::leaseUntil));
            return due;
        });
    }

    /** The few attributes the outbox index projects: enough to send a record's pointer. */
    private static EventRecord outboxRecord(Map<String, AttributeValue> item) {
        return new EventRecord(new EventKey(str(item, "provider"), str(item, "dedupKey")), str(item, "eventType"),
                Instant.ofEpochMilli(num(item, "receivedAt")), Optional.empty(), new byte[0], Map.of(),
                EventStatus.RECEIVED, 0, Optional.empty(), Instant.ofEpochMilli(num(item, "leaseUntil")),
                Optional.empty(), Instant.MAX, 0, Optional.empty(), Optional.empty(), 0);
    }

    @Override
    public boolean markForReplay(EventKey key, Instant now) {
        return guarded("markForReplay", () -> conditionalUpdate(key,
                "SET #status = :queued, replayCount = if_not_exists(replayCount, :zero) + :one, lastReplayAt = :now "
                        + "REMOVE leaseOwner, " + OUTBOX_SHARD,
                "expiresAt > :nowSec AND #status <> :quarantined AND NOT (#status = :processing AND leaseUntil > :now)",
                Map.of(":queued", s(EventStatus.QUEUED.name()), ":zero", n(0), ":one", n(1),
                        ":now", n(now.toEpochMilli()), ":nowSec", n(now.getEpochSecond()),
                        ":quarantined", s(EventStatus.QUARANTINED.name()),
                        ":processing", s(EventStatus.PROCESSING.name()))).isPresent());
    }

    @Override
    public Optional<EventRecord> find(EventKey key, Instant now) {
        return guarded("find", () -> liveEventItem(key, now).map(item -> toRecord(item).withBody(loadBody(item))));
    }

    @Override
    public List<EventRecord> list(EventQuery query, Instant now) {
        return guarded("list", () -> {
            StringBuilder filter = new StringBuilder("sk = :event AND expiresAt > :nowSec");
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":event", s(EVENT_SK));
            values.put(":nowSec", n(now.getEpochSecond()));
            query.provider().ifPresent(p -> {
                filter.append(" AND provider = :provider");
                values.put(":provider", s(p));
            });
            query.status().ifPresent(st -> {
                filter.append(" AND #status = :status");
                values.put(":status", s(st.name()));
            });
            query.from().ifPresent(f -> {
                filter.append(" AND receivedAt >= :from");
                values.put(":from", n(f.toEpochMilli()));
            });
            query.to().ifPresent(t -> {
                filter.append(" AND receivedAt < :to");
                values.put(":to", n(t.toEpochMilli()));
            });
            List<EventRecord> out = new ArrayList<>();
            Map<String, AttributeValue> start = null;
            do {
                ScanRequest.Builder req = ScanRequest.builder().tableName(table)
                        .filterExpression(filter.toString())
                        .expressionAttributeValues(values);
                if (query.status().isPresent()) {
                    req.expressionAttributeNames(Map.of("#status", "status"));
                }
                if (start != null) {
                    req.exclusiveStartKey(start);
                }
                ScanResponse page = dynamo.scan(req.build());
                page.items().forEach(i -> out.add(toRecord(i)));
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                        ? page.lastEvaluatedKey() : null;
            } while (start != null);
            out.sort(Comparator.comparing(EventRecord::receivedAt).reversed());
            return out.size() > query.limit() ? List.copyOf(out.subList(0, query.limit())) : out;
        });
    }

    private Optional<Map<String, AttributeValue>> conditionalUpdate(EventKey key, String update, String condition,
                                                                    Map<String, AttributeValue> values) {
        try {
            return Optional.of(dynamo.updateItem(r -> r.tableName(table).key(keyOf(key))
                    .updateExpression(update)
                    .conditionExpression("attribute_exists(pk) AND " + condition)
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)).attributes());
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    private Optional<Map<String, AttributeValue>> liveEventItem(EventKey key, Instant now) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(keyOf(key))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty() || num(item, "expiresAt") <= now.getEpochSecond()) {
            return Optional.empty();
        }
        return Optional.of(item);
    }

    private byte[] loadBody(Map<String, AttributeValue> item) {
        if (item.containsKey("body")) {
            return BodyCodec.decode(str(item, "bodyEncoding"), item.get("body").b().asByteArray());
        }
        if (!item.containsKey("bodyRef")) {
            return new byte[0];
        }
        Map<String, AttributeValue> bodyItem = dynamo.getItem(r -> r.tableName(table)
                .key(Map.of(PK, item.get(PK), SK, item.get("bodyRef"))).consistentRead(true)).item();
        if (bodyItem == null || !bodyItem.containsKey("body")) {
            throw new StoreUnavailableException("body item missing for " + str(item, PK), null);
        }
        return BodyCodec.decode(str(bodyItem, "bodyEncoding"), bodyItem.get("body").b().asByteArray());
    }

    private static Map<String, AttributeValue> recordItem(EventRecord r) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(r.key().id()));
        item.put(SK, s(EVENT_SK));
        item.put("provider", s(r.key().provider()));
        item.put("dedupKey", s(r.key().dedupKey()));
        item.put("eventType", s(r.eventType()));
        item.put("receivedAt", n(r.receivedAt().toEpochMilli()));
        r.providerTime().ifPresent(t -> item.put("providerTime", n(t.toEpochMilli())));
        item.put("status", s(r.status().name()));
        item.put("attempts", n(r.attempts()));
        r.lastError().ifPresent(e -> item.put("lastError", s(e)));
        item.put("leaseUntil", n(r.leaseUntil().toEpochMilli()));
        item.put("expiresAt", n(r.expiresAt().getEpochSecond()));
        item.put("bodyBytes", n(r.body().length));
        // Written once, at create: a later delivery under the same key compares its body with it (32 bytes).
        item.put(BODY_HASH, bytes(HexFormat.of().parseHex(Digests.sha256Hex(r.body()))));
        if (!r.auditHeaders().isEmpty()) {
            Map<String, AttributeValue> audit = new HashMap<>();
            r.auditHeaders().forEach((k, v) -> audit.put(k, s(v)));
            item.put("audit", AttributeValue.fromM(audit));
        }
        if (r.status() == EventStatus.RECEIVED) {
            int shard = Math.floorMod(r.key().id().hashCode(), OUTBOX_SHARDS);
            item.put(OUTBOX_SHARD, s(String.format("%02d", shard)));
        }
        return item;
    }

    EventRecord toRecord(Map<String, AttributeValue> item) {
        Map<String, String> audit = new HashMap<>();
        if (item.containsKey("audit")) {
            item.get("audit").m().forEach((k, v) -> audit.put(k, v.s()));
        }
        return new EventRecord(
                new EventKey(str(item, "provider"), str(item, "dedupKey")),
                str(item, "eventType"),
                Instant.ofEpochMilli(num(item, "receivedAt")),
                item.containsKey("providerTime") ? Optional.of(Instant.ofEpochMilli(num(item, "providerTime")))
                        : Optional.empty(),
                new byte[0],
                audit,
                EventStatus.valueOf(str(item, "status")),
                (int) num(item, "attempts"),
                Optional.ofNullable(str(item, "lastError")),
                Instant.ofEpochMilli(num(item, "leaseUntil")),
                Optional.ofNullable(str(item, "leaseOwner")),
                Instant.ofEpochSecond(num(item, "expiresAt")),
                (int) num(item, "replayCount"),
                Optional.ofNullable(str(item, "handledBy")),
                item.containsKey("lastReplayAt") ? Optional.of(Instant.ofEpochMilli(num(item, "lastReplayAt")))
                        : Optional.empty(),
                (int) num(item, "processedCount"));
    }

    private <T> T guarded(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB " + operation + " failed: " + e.getClass().getSimpleName(),
                    e);
        }
    }

    static Map<String, AttributeValue> keyOf(EventKey key) {
        return Map.of(PK, s(key.id()), SK, s(EVENT_SK));
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    static AttributeValue bytes(byte[] v) {
        return AttributeValue.fromB(SdkBytes.fromByteArray(v));
    }

    static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    static long num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    /** DynamoDB's item size rule: attribute name bytes plus value bytes (numbers: about 1 byte per 2 digits). */
    static final class ItemSize {
        private ItemSize() {
        }

        static int of(Map<String, AttributeValue> item) {
            int size = 0;
            for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
                size += e.getKey().getBytes(StandardCharsets.UTF_8).length + valueSize(e.getValue());
            }
            return size;
        }

        private static int valueSize(AttributeValue v) {
            if (v.s() != null) {
                return v.s().getBytes(StandardCharsets.UTF_8).length;
            }
            if (v.n() != null) {
                return v.n().length() / 2 + 2;
            }
            if (v.b() != null) {
                return v.b().asByteArray().length;
            }
            if (v.hasM()) {
                return 3 + of(v.m()) + v.m().size();
            }
            return 1;
        }
    }
}
