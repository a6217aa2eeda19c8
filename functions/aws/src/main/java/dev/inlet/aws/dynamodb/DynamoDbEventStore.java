package dev.inlet.aws.dynamodb;

import dev.inlet.core.publish.DomainEventJson;
import dev.inlet.core.publish.PendingPublish;
import dev.inlet.core.signature.Digests;
import dev.inlet.core.store.ClaimOutcome;
import dev.inlet.core.store.CreateOutcome;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventQuery;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventSource;
import dev.inlet.core.store.EventStatus;
import dev.inlet.core.store.EventStore;
import dev.inlet.core.store.OutboxShard;
import dev.inlet.core.store.StatusHistory;
import dev.inlet.core.store.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Event records in DynamoDB. Key: {@code pk = provider#dedupKey}, {@code sk = "event"}.
 *
 * <p>Cost: every update is billed at the item's full size, and a record is updated twice (PROCESSING,
 * PROCESSED). So the body stays inline only while the whole item fits in one write unit (1 KB): as
 * received when it fits so, gzip-compressed when only that fits. A larger body goes, once, into its own
 * content-addressed item ({@code sk = "body#<sha256>"}) that is never updated, and the record keeps a
 * reference.
 *
 * <p>From the put until the claim (and from a replay until the claim) a record carries {@code outboxShard},
 * the partition key of the sparse {@code outbox} index (sorted by {@code leaseUntil}) that the sweeper
 * reads; spreading records over {@link OutboxShard#SHARDS} shards keeps that index free of a hot partition.
 *
 * <p>Status history: the update that moves a record to a status also sets {@code at_<STATUS>} (epoch
 * millis) to the time it entered it, and a resend sets {@code lastResendAt}; RECEIVED is
 * {@code receivedAt}. At most one attribute per status, in writes that happen anyway
 * ({@link #enteredAt}).
 *
 * <p>Publishing: the write that marks a record PROCESSED also stores the domain events its run still has to
 * publish ({@code pendingEvents}, a JSON array encoded like a body, gzip when that saves, with
 * {@code pendingEncoding} and {@code pendingRun}, the run's claim owner); the write that marks them published
 * removes them, adds to {@code publishedCount} and sets {@code lastPublishedAt} (epoch millis). The receiver's
 * X-Ray trace header, when traced, is {@code traceHeader}, written once at the put.
 *
 * <p>Listing reads the {@code listing} index: partition {@code providerDay = provider#yyyy-mm-dd} (UTC),
 * sort {@code receivedAt}, projecting only attributes that never change after the put, so no status
 * update ever writes it ({@link ListingReader}).
 */
public final class DynamoDbEventStore implements EventStore {
    static final String PK = "pk";
    static final String SK = "sk";
    static final String EVENT_SK = "event";
    static final String BODY_SK_PREFIX = "body#";
    static final String OUTBOX_SHARD = "outboxShard";
    static final String BODY_HASH = "bodySha256";
    /**
     * A random token of the put that created the record (8 bytes). The SDK re-sends a put whose answer it
     * did not get (an attempt timeout under load, a dropped connection); if that first attempt had been
     * written, the re-sent one fails its condition on the record it wrote itself. The token tells the two
     * apart, so such a put is still Created (and its event is queued now), not a duplicate of itself.
     */
    static final String PUT_TOKEN = "putToken";
    /** When the sweeper (or a provider retry) last re-sent the record from the outbox (epoch millis). */
    static final String LAST_RESEND_AT = "lastResendAt";
    /** How the event came in, when not by webhook: {@code reconcile}. Written once, at create. */
    static final String SOURCE = "source";
    /** The receiver's X-Ray trace header, sent on with the record's messages. Written once, at create. */
    static final String TRACE_HEADER = "traceHeader";
    /** The domain events still to publish (encoded JSON array), their encoding, and the run that wrote them. */
    static final String PENDING_EVENTS = "pendingEvents";
    static final String PENDING_ENCODING = "pendingEncoding";
    static final String PENDING_RUN = "pendingRun";
    /** How many domain events were published for the record over its life, and when last (epoch millis). */
    static final String PUBLISHED_COUNT = "publishedCount";
    static final String LAST_PUBLISHED_AT = "lastPublishedAt";
    public static final int OUTBOX_SHARDS = OutboxShard.SHARDS;
    public static final String OUTBOX_INDEX = "outbox";
    public static final String LISTING_INDEX = "listing";
    static final String PROVIDER_DAY = "providerDay";
    /** The providers a listing without {@code --provider} merges; add yours here. */
    public static final List<String> PROVIDERS = List.of("rechat", "reusely", "reverb", "rheo");
    /** How far back a listing without a start looks by default: the default record retention. */
    public static final Duration DEFAULT_HORIZON = Duration.ofDays(30);
    private static final int WRITE_UNIT_BYTES = 1024;
    /** The inline body's two attribute names and the encoding's name: {@code body}, {@code bodyEncoding}, "identity". */
    private static final int INLINE_BODY_OVERHEAD = "body".length() + "bodyEncoding".length() + "identity".length();
    /**
     * What the record's normal life adds after the put, kept free so its updates stay within the write unit
     * the put used: the claim's {@code leaseOwner} (46 bytes) and {@code at_PROCESSING} (21), then
     * {@code at_PROCESSED} (20), {@code handledBy} (a handler name, about 25) and {@code processedCount} (17);
     * from the claim until the completion also the audit entry ({@code auditShard}, {@code auditAt}: 27).
     * An update is billed at the larger of the item's sizes before and after it; a body that would leave
     * less room goes into its own item (one put, never updated) instead of costing every update twice.
     */
    static final int UPDATE_HEADROOM = 160;
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
    private final Duration horizon;
    private final List<String> providers;

    public DynamoDbEventStore(DynamoDbClient dynamo, String table) {
        this(dynamo, table, DEFAULT_HORIZON, PROVIDERS);
    }

    /**
     * @param horizon how far back a listing without {@code from} looks (the record retention)
     * @param providers the providers a listing without a provider merges
     */
    public DynamoDbEventStore(DynamoDbClient dynamo, String table, Duration horizon, List<String> providers) {
        this.dynamo = dynamo;
        this.table = table;
        this.horizon = horizon;
        this.providers = List.copyOf(providers);
    }

    @Override
    public CreateOutcome create(EventRecord record, Instant now) {
        byte[] token = new byte[8];
        ThreadLocalRandom.current().nextBytes(token);
        return guarded("create", () -> {
            Map<String, AttributeValue> item = recordItem(record);
            item.put(PUT_TOKEN, bytes(token));
            // Inline when the whole item keeps its one write unit: as received if that fits (no compressor
            // on the request path when it would save nothing billed), else gzip-compressed if that fits.
            int room = WRITE_UNIT_BYTES - ItemSize.of(item) - INLINE_BODY_OVERHEAD - UPDATE_HEADROOM;
            BodyCodec.Encoded body = record.body().length <= room ? BodyCodec.identity(record.body())
                    : BodyCodec.encode(record.body());
            if (body.bytes().length <= room) {
                item.put("body", bytes(body.bytes()));
                item.put("bodyEncoding", s(body.encoding()));
            } else {
                // A large body is written once into its own item; skip that write for an obvious duplicate.
                Optional<Map<String, AttributeValue>> live = liveEventItem(record.key(), now);
                if (live.isPresent()) {
                    return existing(live.get());
                }
                String bodySk = BODY_SK_PREFIX + HexFormat.of().formatHex(item.get(BODY_HASH).b().asByteArray());
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
                if (e.hasItem() && writtenBy(e.item(), token)) {
                    return new CreateOutcome.Created();
                }
                if (e.hasItem()) {
                    return existing(e.item());
                }
                return existing(liveEventItem(record.key(), now)
                        .orElseThrow(() -> new StoreUnavailableException("record vanished during create", e)));
            }
        });
    }

    /** True when {@code item} was written by the put that carried {@code token}: this create's own earlier attempt. */
    private static boolean writtenBy(Map<String, AttributeValue> item, byte[] token) {
        AttributeValue written = item.get(PUT_TOKEN);
        return written != null && written.b() != null && MessageDigest.isEqual(written.b().asByteArray(), token);
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
                "SET leaseUntil = :lease, resends = if_not_exists(resends, :zero) + :one, " + LAST_RESEND_AT + " = :now",
                "attribute_exists(" + OUTBOX_SHARD + ") AND leaseUntil <= :now",
                Map.of(":lease", n(newLeaseUntil.toEpochMilli()), ":now", n(now.toEpochMilli()),
                        ":zero", n(0), ":one", n(1))));
    }

    @Override
    public ClaimOutcome claim(EventKey key, String owner, Instant now, Instant leaseUntil) {
        return guarded("claim", () -> {
            UpdateItemResponse response;
            try {
                response = dynamo.updateItem(r -> r.tableName(table).key(keyOf(key))
                        .updateExpression("SET #status = :processing, " + enteredAt(EventStatus.PROCESSING)
                                + " = :now, leaseUntil = :lease, leaseOwner = :owner, "
                                + "attempts = if_not_exists(attempts, :zero) + :one, "
                                + DynamoDbAuditIndex.AUDIT_SHARD + " = :auditShard, " + DynamoDbAuditIndex.AUDIT_AT
                                + " = :lease REMOVE " + OUTBOX_SHARD)
                        .conditionExpression("attribute_exists(pk) AND expiresAt > :nowSec AND ("
                                + "#status IN (:received, :queued) "
                                + "OR (#status = :processing AND leaseUntil <= :now))")
                        .expressionAttributeNames(Map.of("#status", "status"))
                        .expressionAttributeValues(withAuditShard(key, Map.of(
                                ":processing", s(EventStatus.PROCESSING.name()),
                                ":received", s(EventStatus.RECEIVED.name()),
                                ":queued", s(EventStatus.QUEUED.name()),
                                ":lease", n(leaseUntil.toEpochMilli()),
                                ":owner", s(owner),
                                ":zero", n(0), ":one", n(1),
                                ":now", n(now.toEpochMilli()),
                                ":nowSec", n(now.getEpochSecond()))))
                        .returnValues(ReturnValue.ALL_NEW)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            } catch (ConditionalCheckFailedException e) {
                if (e.hasItem() && claimedBy(e.item(), owner, leaseUntil)) {
                    // The SDK re-sent a claim whose answer it lost: the record holds this very claim.
                    return new ClaimOutcome.Claimed(toRecord(e.item()).withBody(loadBody(e.item())));
                }
                return refusedClaim(e.hasItem() ? e.item() : Map.of(), now);
            }
            Map<String, AttributeValue> item = response.attributes();
            return new ClaimOutcome.Claimed(toRecord(item).withBody(loadBody(item)));
        });
    }

    /**
     * The claim's values plus the record's audit shard: the claim enters the record into the
     * {@link DynamoDbAuditIndex audit index} (sorted by its lease's end) as it takes it out of the outbox.
     */
    private static Map<String, AttributeValue> withAuditShard(EventKey key, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> all = new HashMap<>(values);
        all.put(":auditShard", s(OutboxShard.of(key)));
        return all;
    }

    /** True when {@code item} is PROCESSING under exactly this claim (owners are unique per claim). */
    private static boolean claimedBy(Map<String, AttributeValue> item, String owner, Instant leaseUntil) {
        return item.containsKey("leaseOwner") && owner.equals(item.get("leaseOwner").s())
                && EventStatus.PROCESSING.name().equals(item.get("status").s())
                && num(item, "leaseUntil") == leaseUntil.toEpochMilli();
    }

    private ClaimOutcome refusedClaim(Map<String, AttributeValue> old, Instant now) {
        if (old.isEmpty() || Instant.ofEpochSecond(num(old, "expiresAt")).compareTo(now) <= 0) {
            return new ClaimOutcome.Missing();
        }
        EventStatus status = EventStatus.valueOf(old.get("status").s());
        return switch (status) {
            case PROCESSED -> new ClaimOutcome.AlreadyProcessed(pending(old));
            case PROCESSING -> new ClaimOutcome.Busy(Instant.ofEpochMilli(num(old, "leaseUntil")));
            default -> new ClaimOutcome.NotProcessable(status);
        };
    }

    @Override
    public boolean markProcessed(EventKey key, String owner, Instant now, String handledBy,
                                 Optional<PendingPublish> pending) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":processed", s(EventStatus.PROCESSED.name()),
                ":processing", s(EventStatus.PROCESSING.name()), ":owner", s(owner), ":now", n(now.toEpochMilli()),
                ":handler", s(handledBy), ":zero", n(0), ":one", n(1)));
        String pendingUpdate;
        if (pending.isPresent()) {
            BodyCodec.Encoded encoded = BodyCodec.encode(DomainEventJson.write(pending.get().events()));
            values.put(":pending", bytes(encoded.bytes()));
            values.put(":pendingEncoding", s(encoded.encoding()));
            values.put(":pendingRun", s(pending.get().run()));
            pendingUpdate = ", " + PENDING_EVENTS + " = :pending, " + PENDING_ENCODING + " = :pendingEncoding, "
                    + PENDING_RUN + " = :pendingRun REMOVE ";
        } else {
            pendingUpdate = " REMOVE " + PENDING_EVENTS + ", " + PENDING_ENCODING + ", " + PENDING_RUN + ", ";
        }
        return guarded("markProcessed", () -> conditionalUpdate(key,
                "SET #status = :processed, " + enteredAt(EventStatus.PROCESSED) + " = :now, handledBy = :handler, "
                        + "processedCount = if_not_exists(processedCount, :zero) + :one" + pendingUpdate
                        + "leaseOwner, lastError, " + DynamoDbAuditIndex.AUDIT_SHARD + ", " + DynamoDbAuditIndex.AUDIT_AT,
                "#status = :processing AND leaseOwner = :owner", values));
    }

    @Override
    public boolean markPublished(EventKey key, String run, int count, Instant now) {
        return guarded("markPublished", () -> conditionalUpdate(key,
                "SET " + PUBLISHED_COUNT + " = if_not_exists(" + PUBLISHED_COUNT + ", :zero) + :count, "
                        + LAST_PUBLISHED_AT + " = :now REMOVE " + PENDING_EVENTS + ", " + PENDING_ENCODING + ", "
                        + PENDING_RUN,
                PENDING_RUN + " = :run",
                Map.of(":zero", n(0), ":count", n(count), ":now", n(now.toEpochMilli()), ":run", s(run))));
    }

    /** The pending domain events an item holds, if any. */
    private static Optional<PendingPublish> pending(Map<String, AttributeValue> item) {
        AttributeValue events = item.get(PENDING_EVENTS);
        if (events == null || events.b() == null || !item.containsKey(PENDING_RUN)) {
            return Optional.empty();
        }
        return Optional.of(new PendingPublish(str(item, PENDING_RUN), DomainEventJson.read(
                BodyCodec.decode(str(item, PENDING_ENCODING), events.b().asByteArray()))));
    }

    @Override
    public void recordFailure(EventKey key, String owner, String error, boolean giveUp, Instant now) {
        EventStatus next = giveUp ? EventStatus.FAILED : EventStatus.QUEUED;
        guarded("recordFailure", () -> conditionalUpdate(key,
                "SET #status = :next, " + enteredAt(next) + " = :now, lastError = :error, leaseUntil = :zero "
                        + "REMOVE leaseOwner" + (giveUp ? ", " + DynamoDbAuditIndex.AUDIT_SHARD + ", "
                        + DynamoDbAuditIndex.AUDIT_AT : ""),
                "#status = :processing AND leaseOwner = :owner",
                Map.of(":next", s(next.name()), ":error", s(error), ":zero", n(0), ":now", n(now.toEpochMilli()),
                        ":processing", s(EventStatus.PROCESSING.name()), ":owner", s(owner))));
    }

    @Override
    public List<EventRecord> dueForSend(Instant now, int perShard) {
        return guarded("dueForSend", () -> {
            List<EventRecord> due = new ArrayList<>();
            for (int shard = 0; shard < OUTBOX_SHARDS; shard++) {
                String shardKey = OutboxShard.name(shard);
                dynamo.query(r -> r.tableName(table).indexName(OUTBOX_INDEX)
                                .keyConditionExpression(OUTBOX_SHARD + " = :shard AND leaseUntil <= :now")
                                .expressionAttributeValues(Map.of(":shard", s(shardKey), ":now", n(now.toEpochMilli())))
                                .limit(perShard))
                        .items().forEach(item -> due.add(outboxRecord(item)));
            }
            return due;
        });
    }

    /** The few attributes the outbox index projects: enough to send a record's pointer. */
    private static EventRecord outboxRecord(Map<String, AttributeValue> item) {
        return new EventRecord(new EventKey(str(item, "provider"), str(item, "dedupKey")), str(item, "eventType"),
                Instant.ofEpochMilli(num(item, "receivedAt")), Optional.empty(), new byte[0], Map.of(),
                EventStatus.RECEIVED, 0, Optional.empty(), Instant.ofEpochMilli(num(item, "leaseUntil")),
                Optional.empty(), Instant.MAX, 0, Optional.empty(), Optional.empty(), 0, (int) num(item, "resends"))
                .withTraceHeader(Optional.ofNullable(str(item, TRACE_HEADER)));
    }

    @Override
    public boolean markForReplay(EventKey key, Instant now, Instant leaseUntil) {
        return guarded("markForReplay", () -> conditionalUpdate(key,
                "SET #status = :queued, " + enteredAt(EventStatus.QUEUED) + " = :now, "
                        + "replayCount = if_not_exists(replayCount, :zero) + :one, lastReplayAt = :now, "
                        + OUTBOX_SHARD + " = :shard, leaseUntil = :lease, resends = :zero, attempts = :zero REMOVE leaseOwner",
                "expiresAt > :nowSec AND #status <> :quarantined AND NOT (#status = :processing AND leaseUntil > :now)",
                Map.of(":queued", s(EventStatus.QUEUED.name()), ":zero", n(0), ":one", n(1),
                        ":now", n(now.toEpochMilli()), ":nowSec", n(now.getEpochSecond()),
                        ":quarantined", s(EventStatus.QUARANTINED.name()),
                        ":processing", s(EventStatus.PROCESSING.name()),
                        ":shard", s(OutboxShard.of(key)), ":lease", n(leaseUntil.toEpochMilli()))));
    }

    @Override
    public Optional<EventRecord> find(EventKey key, Instant now) {
        return guarded("find", () -> liveEventItem(key, now).map(item -> toRecord(item).withBody(loadBody(item))));
    }

    @Override
    public Stream<EventRecord> stream(EventQuery query, Instant now) {
        return stream(query, now, ListingBudget.unlimited());
    }

    /** The same, examining at most {@code budget}'s index entries (for a listing that is repeated often). */
    public Stream<EventRecord> stream(EventQuery query, Instant now, ListingBudget budget) {
        // Day partitions are walked one by one: no record is received in the future, and none lives
        // past the longest retention EVENT_RETENTION_DAYS can express in practice (10 years).
        Instant latest = now.plus(Duration.ofDays(1));
        Instant to = query.to().filter(t -> t.isBefore(latest)).orElse(query.to().isPresent() ? latest
                : now.plusMillis(1));
        Instant earliest = now.minus(Duration.ofDays(3660));
        Instant from = query.from().map(f -> f.isAfter(earliest) ? f : earliest).orElse(now.minus(horizon));
        List<String> names = query.provider().map(List::of).orElse(providers);
        return new ListingReader(dynamo, table, names, from, to, query.limit(), query.eventType(), budget).stream(now)
                .filter(r -> query.status().map(st -> st == r.status()).orElse(true));
    }

    /** True when the condition held and the update was made (nothing is returned: the item may be large). */
    private boolean conditionalUpdate(EventKey key, String update, String condition,
                                      Map<String, AttributeValue> values) {
        try {
            boolean namesStatus = (update + condition).contains("#status");
            dynamo.updateItem(r -> r.tableName(table).key(keyOf(key))
                    .updateExpression(update)
                    .conditionExpression("attribute_exists(pk) AND " + condition)
                    .expressionAttributeNames(namesStatus ? Map.of("#status", "status") : null)
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
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

    static Map<String, AttributeValue> recordItem(EventRecord r) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(r.key().id()));
        item.put(SK, s(EVENT_SK));
        item.put("provider", s(r.key().provider()));
        item.put("dedupKey", s(r.key().dedupKey()));
        item.put("eventType", s(r.eventType()));
        item.put("receivedAt", n(r.receivedAt().toEpochMilli()));
        item.put(PROVIDER_DAY, s(providerDay(r.key().provider(), r.receivedAt())));
        r.providerTime().ifPresent(t -> item.put("providerTime", n(t.toEpochMilli())));
        item.put("status", s(r.status().name()));
        item.put("attempts", n(r.attempts()));
        r.lastError().ifPresent(e -> item.put("lastError", s(e)));
        item.put("leaseUntil", n(r.leaseUntil().toEpochMilli()));
        item.put("expiresAt", n(r.expiresAt().getEpochSecond()));
        item.put("bodyBytes", n(r.body().length));
        // Written once, at create: a later delivery under the same key compares its body with it (32 bytes).
        item.put(BODY_HASH, bytes(Digests.sha256(r.body())));
        if (!r.auditHeaders().isEmpty()) {
            Map<String, AttributeValue> audit = new HashMap<>();
            r.auditHeaders().forEach((k, v) -> audit.put(k, s(v)));
            item.put("audit", AttributeValue.fromM(audit));
        }
        r.traceHeader().ifPresent(t -> item.put(TRACE_HEADER, s(t)));
        if (r.source() != EventSource.WEBHOOK) {
            // Absent for webhooks (most records): a few bytes only on what reconciliation brought in.
            item.put(SOURCE, s(r.source().code()));
        }
        if (r.status() == EventStatus.RECEIVED) {
            item.put(OUTBOX_SHARD, s(OutboxShard.of(r.key())));
        }
        return item;
    }

    /** The listing index's partition: the provider and the UTC day the record was received. */
    static String providerDay(String provider, Instant receivedAt) {
        return provider + "#" + LocalDate.ofInstant(receivedAt, ZoneOffset.UTC);
    }

    static EventRecord toRecord(Map<String, AttributeValue> item) {
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
                (int) num(item, "processedCount"),
                (int) num(item, "resends"),
                history(item),
                EventSource.fromCode(str(item, SOURCE)),
                Optional.ofNullable(str(item, TRACE_HEADER)),
                pending(item),
                (int) num(item, PUBLISHED_COUNT));
    }

    /**
     * The attribute holding when a record last entered {@code status} (epoch millis), set by the update that
     * moves it there. One per status at most (RECEIVED and QUARANTINED are {@code receivedAt}), so the
     * history stays bounded and costs about 20 bytes per status reached, in writes that happen anyway.
     */
    static String enteredAt(EventStatus status) {
        return "at_" + status.name();
    }

    private static StatusHistory history(Map<String, AttributeValue> item) {
        Map<EventStatus, Instant> entered = new EnumMap<>(EventStatus.class);
        for (EventStatus status : EventStatus.values()) {
            if (item.containsKey(enteredAt(status))) {
                entered.put(status, Instant.ofEpochMilli(num(item, enteredAt(status))));
            }
        }
        return new StatusHistory(entered, item.containsKey(LAST_RESEND_AT)
                ? Optional.of(Instant.ofEpochMilli(num(item, LAST_RESEND_AT))) : Optional.empty(),
                item.containsKey(LAST_PUBLISHED_AT)
                        ? Optional.of(Instant.ofEpochMilli(num(item, LAST_PUBLISHED_AT))) : Optional.empty());
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
