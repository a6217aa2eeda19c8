package dev.inlet.aws.dynamodb;

import static dev.inlet.aws.dynamodb.DynamoDbEventStore.OUTBOX_SHARD;
import static dev.inlet.aws.dynamodb.DynamoDbEventStore.keyOf;
import static dev.inlet.aws.dynamodb.DynamoDbEventStore.n;
import static dev.inlet.aws.dynamodb.DynamoDbEventStore.num;
import static dev.inlet.aws.dynamodb.DynamoDbEventStore.s;
import static dev.inlet.aws.dynamodb.DynamoDbEventStore.str;

import dev.inlet.core.store.AuditIndex;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventStatus;
import dev.inlet.core.store.OutboxShard;
import dev.inlet.core.store.StoreUnavailableException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The {@code audit} index of the events table: sparse, keys only, partition {@code auditShard} (the record's
 * {@link OutboxShard}, so no partition is hot), sort {@code auditAt} (epoch millis). The claim sets both in
 * the update that takes the record out of the outbox ({@link DynamoDbEventStore#claim}); completion and
 * giving up remove them in the update they make anyway. Cost: a record enters the index once and leaves it
 * once, one index write each (an entry is under 100 bytes); a run reads one page per shard and then only
 * the records whose entry is due.
 */
public final class DynamoDbAuditIndex implements AuditIndex {
    public static final String AUDIT_INDEX = "audit";
    static final String AUDIT_SHARD = "auditShard";
    static final String AUDIT_AT = "auditAt";
    /** When the audit last returned the record to the outbox (epoch millis): a trace for the bug hunt. */
    static final String LAST_RECOVERED_AT = "lastRecoveredAt";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbAuditIndex(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public List<Due> dueForAudit(Instant notAfter, int perShard) {
        return guarded("dueForAudit", () -> {
            List<Due> due = new ArrayList<>();
            for (int shard = 0; shard < OutboxShard.SHARDS; shard++) {
                String shardKey = OutboxShard.name(shard);
                dynamo.query(r -> r.tableName(table).indexName(AUDIT_INDEX)
                                .keyConditionExpression(AUDIT_SHARD + " = :shard AND " + AUDIT_AT + " <= :at")
                                .expressionAttributeValues(Map.of(":shard", s(shardKey),
                                        ":at", n(notAfter.toEpochMilli())))
                                .limit(perShard))
                        .items().forEach(item -> due.add(new Due(EventKey.parse(str(item, DynamoDbEventStore.PK)),
                                Instant.ofEpochMilli(num(item, AUDIT_AT)))));
            }
            return due;
        });
    }

    @Override
    public Optional<Entry> inspect(EventKey key) {
        return guarded("inspect", () -> {
            Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(keyOf(key))
                    .consistentRead(true)).item();
            if (item == null || item.isEmpty() || !item.containsKey(AUDIT_AT)) {
                return Optional.empty();
            }
            return Optional.of(new Entry(DynamoDbEventStore.toRecord(item), item.containsKey(OUTBOX_SHARD),
                    Instant.ofEpochMilli(num(item, AUDIT_AT))));
        });
    }

    @Override
    public boolean returnToOutbox(Entry seen, Instant now) {
        EventKey key = seen.record().key();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":queued", s(EventStatus.QUEUED.name()));
        values.put(":seen", s(seen.record().status().name()));
        values.put(":seenAt", n(seen.auditAt().toEpochMilli()));
        values.put(":shard", s(OutboxShard.of(key)));
        values.put(":now", n(now.toEpochMilli()));
        values.put(":nowSec", n(now.getEpochSecond()));
        return update("returnToOutbox", key,
                "SET #status = :queued, " + DynamoDbEventStore.enteredAt(EventStatus.QUEUED) + " = :now, "
                        + OUTBOX_SHARD + " = :shard, leaseUntil = :now, " + LAST_RECOVERED_AT + " = :now "
                        + "REMOVE " + AUDIT_SHARD + ", " + AUDIT_AT + ", leaseOwner",
                "expiresAt > :nowSec AND #status = :seen AND " + AUDIT_AT + " = :seenAt AND attribute_not_exists("
                        + OUTBOX_SHARD + ") AND leaseUntil <= :now",
                values);
    }

    @Override
    public boolean drop(Entry seen) {
        return update("drop", seen.record().key(), "REMOVE " + AUDIT_SHARD + ", " + AUDIT_AT,
                AUDIT_AT + " = :seenAt", Map.of(":seenAt", n(seen.auditAt().toEpochMilli())));
    }

    @Override
    public boolean defer(Entry seen, Instant notBefore) {
        return update("defer", seen.record().key(), "SET " + AUDIT_AT + " = :at", AUDIT_AT + " = :seenAt",
                Map.of(":seenAt", n(seen.auditAt().toEpochMilli()), ":at", n(notBefore.toEpochMilli())));
    }

    private boolean update(String operation, EventKey key, String update, String condition,
                           Map<String, AttributeValue> values) {
        return guarded(operation, () -> {
            try {
                boolean namesStatus = (update + condition).contains("#status");
                dynamo.updateItem(r -> r.tableName(table).key(keyOf(key)).updateExpression(update)
                        .conditionExpression("attribute_exists(pk) AND " + condition)
                        .expressionAttributeNames(namesStatus ? Map.of("#status", "status") : null)
                        .expressionAttributeValues(values));
                return true;
            } catch (ConditionalCheckFailedException e) {
                return false;
            }
        });
    }

    private static <T> T guarded(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB audit " + operation + " failed: "
                    + e.getClass().getSimpleName(), e);
        }
    }
}
