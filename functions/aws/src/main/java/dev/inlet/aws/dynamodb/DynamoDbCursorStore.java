package dev.inlet.aws.dynamodb;

import dev.inlet.core.reconcile.CursorStore;
import dev.inlet.core.store.StoreUnavailableException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Reconciliation cursors in the events table: one small item per feed, {@code pk = cursor#<provider>/<feed>},
 * {@code sk = cursor}, holding {@code until} (epoch millis). It has none of the indexes' keys, so it is in
 * neither the outbox nor the listing, and no event key can collide with it (those are keyed
 * {@code <provider>#...}, sk {@code event} or {@code body#...}). The write is conditional: a cursor never
 * moves backwards, whatever two runs do at once.
 */
public final class DynamoDbCursorStore implements CursorStore {
    static final String PREFIX = "cursor#";
    static final String SK = "cursor";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbCursorStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<Instant> read(String feed) {
        try {
            Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(feed))
                    .consistentRead(true)).item();
            if (item == null || !item.containsKey("until")) {
                return Optional.empty();
            }
            return Optional.of(Instant.ofEpochMilli(Long.parseLong(item.get("until").n())));
        } catch (SdkException e) {
            throw new StoreUnavailableException("reading the reconcile cursor failed: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public void advance(String feed, Instant until) {
        AttributeValue value = AttributeValue.fromN(Long.toString(until.toEpochMilli()));
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(feed))
                    .updateExpression("SET #until = :until, untilIso = :iso")
                    .conditionExpression("attribute_not_exists(#until) OR #until < :until")
                    .expressionAttributeNames(Map.of("#until", "until"))
                    .expressionAttributeValues(Map.of(":until", value, ":iso", AttributeValue.fromS(until.toString()))));
        } catch (ConditionalCheckFailedException alreadyFurther) {
            // another run moved it at least as far: nothing to do
        } catch (SdkException e) {
            throw new StoreUnavailableException("moving the reconcile cursor failed: " + e.getClass().getSimpleName(), e);
        }
    }

    private static Map<String, AttributeValue> key(String feed) {
        return Map.of(DynamoDbEventStore.PK, AttributeValue.fromS(PREFIX + feed),
                DynamoDbEventStore.SK, AttributeValue.fromS(SK));
    }
}
