package dev.inlet.aws.dynamodb;

import dev.inlet.core.entity.ApplyOutcome;
import dev.inlet.core.entity.EntityKey;
import dev.inlet.core.entity.EntityState;
import dev.inlet.core.entity.EntityStore;
import dev.inlet.core.entity.EntityUpdate;
import dev.inlet.core.store.StoreUnavailableException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Entity state in DynamoDB (table {@code EntitiesTable}, key {@code pk = provider#type#id}). The
 * entity's fields are top-level attributes {@code f_<name>}, set one by one, so an event that knows
 * only some fields keeps the others. One small conditional write per entity and event; a stale event
 * costs a second, smaller one that counts it ({@code ignoredStale}). The same event applied again (a
 * replay, a re-run after a lost lease) re-applies harmlessly rather than counting as stale. The write returns
 * the row as it was before it ({@code ALL_OLD}): the applied outcome's previous state, and with the update
 * the new one, without a read.
 */
public final class DynamoDbEntityStore implements EntityStore {
    private static final String FIELD_PREFIX = "f_";
    private static final Set<String> FIXED = Set.of("pk", "provider", "entityType", "entityId", "state",
            "lastEventType", "lastEventTime", "lastDedupKey", "version", "ignoredStale");

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbEntityStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public ApplyOutcome apply(EntityUpdate u) {
        Map<String, String> names = new HashMap<>(Map.of("#state", "state"));
        Map<String, AttributeValue> values = new HashMap<>();
        StringBuilder set = new StringBuilder("SET provider = :provider, entityType = :type, entityId = :id, "
                + "#state = :state, lastEventType = :eventType, lastEventTime = :time, lastDedupKey = :dedup, "
                + "version = if_not_exists(version, :zero) + :one");
        values.put(":provider", AttributeValue.fromS(u.key().provider()));
        values.put(":type", AttributeValue.fromS(u.key().type()));
        values.put(":id", AttributeValue.fromS(u.key().id()));
        values.put(":state", AttributeValue.fromS(u.state()));
        values.put(":eventType", AttributeValue.fromS(u.eventType()));
        values.put(":time", AttributeValue.fromN(Long.toString(u.eventTime().toEpochMilli())));
        values.put(":dedup", AttributeValue.fromS(u.dedupKey()));
        values.put(":zero", AttributeValue.fromN("0"));
        values.put(":one", AttributeValue.fromN("1"));
        int i = 0;
        for (Map.Entry<String, String> f : u.fields().entrySet()) {
            names.put("#f" + i, FIELD_PREFIX + f.getKey());
            values.put(":f" + i, AttributeValue.fromS(f.getValue()));
            set.append(", #f").append(i).append(" = :f").append(i);
            i++;
        }
        try {
            var response = dynamo.updateItem(r -> r.tableName(table).key(key(u.key()))
                    .updateExpression(set.toString())
                    .conditionExpression("attribute_not_exists(pk) OR lastEventTime < :time "
                            + "OR (lastEventTime = :time AND lastDedupKey <= :dedup)")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_OLD)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            Map<String, AttributeValue> old = response.hasAttributes() ? response.attributes() : Map.of();
            Optional<EntityState> previous = old.containsKey("state") ? Optional.of(state(old)) : Optional.empty();
            EntityState current = EntityState.after(previous, u);
            if (previous.isEmpty() && old.containsKey("ignoredStale")) {
                // A row that only counted stale events so far (no state yet): the count stays.
                current = new EntityState(current.key(), current.state(), current.fields(), current.lastEventType(),
                        current.lastEventTime(), current.lastDedupKey(), current.version(),
                        Long.parseLong(old.get("ignoredStale").n()));
            }
            return new ApplyOutcome.Applied(previous, current);
        } catch (ConditionalCheckFailedException stale) {
            Instant current = stale.hasItem() && stale.item().containsKey("lastEventTime")
                    ? Instant.ofEpochMilli(Long.parseLong(stale.item().get("lastEventTime").n())) : u.eventTime();
            countStale(u.key());
            return new ApplyOutcome.Stale(current);
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB entity update failed: " + e.getClass().getSimpleName(), e);
        }
    }

    private void countStale(EntityKey key) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(key))
                    .updateExpression("ADD ignoredStale :one")
                    .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB entity update failed: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public Optional<EntityState> find(EntityKey key) {
        try {
            Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(key))
                    .consistentRead(true)).item();
            return item == null || item.isEmpty() || !item.containsKey("state") ? Optional.empty()
                    : Optional.of(state(item));
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB entity read failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /** BatchGetItem rounds for the keys DynamoDB leaves unprocessed (throttling) before giving up. */
    private static final int UNPROCESSED_ROUNDS = 5;

    /** One BatchGetItem per 100 keys (eventually consistent: half a read unit per small entity). */
    @Override
    public List<EntityState> findAll(List<EntityKey> keys) {
        List<EntityKey> distinct = keys.stream().distinct().toList();
        Map<String, EntityState> found = new HashMap<>();
        try {
            for (int from = 0; from < distinct.size(); from += 100) {
                List<Map<String, AttributeValue>> chunk = distinct.subList(from, Math.min(distinct.size(), from + 100))
                        .stream().map(DynamoDbEntityStore::key).toList();
                Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(chunk).build());
                for (int round = 1; !request.isEmpty(); round++) {
                    if (round > UNPROCESSED_ROUNDS) {
                        throw new StoreUnavailableException("DynamoDB left entity keys unprocessed "
                                + UNPROCESSED_ROUNDS + " times (throttled)", null);
                    }
                    Map<String, KeysAndAttributes> pending = request;
                    BatchGetItemResponse response = dynamo.batchGetItem(r -> r.requestItems(pending));
                    response.responses().getOrDefault(table, List.of()).stream()
                            .filter(item -> item.containsKey("state"))
                            .forEach(item -> found.put(item.get("pk").s(), state(item)));
                    request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
                }
            }
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB entity read failed: " + e.getClass().getSimpleName(), e);
        }
        return distinct.stream().map(k -> found.get(k.asString())).filter(Objects::nonNull).toList();
    }

    @Override
    public List<EntityState> list(Optional<String> provider, Optional<String> type) {
        try (Stream<EntityState> all = stream(provider, type, 1000)) {
            return all.sorted((a, b) -> a.key().asString().compareTo(b.key().asString())).toList();
        }
    }

    /** A Scan a page at a time (provider and type filtered by DynamoDB), read as the stream is consumed. */
    @Override
    public Stream<EntityState> stream(Optional<String> provider, Optional<String> type, int pageSize) {
        StringBuilder filter = new StringBuilder("attribute_exists(#state)");
        Map<String, AttributeValue> values = new HashMap<>();
        provider.ifPresent(p -> {
            filter.append(" AND provider = :provider");
            values.put(":provider", AttributeValue.fromS(p));
        });
        type.ifPresent(t -> {
            filter.append(" AND entityType = :type");
            values.put(":type", AttributeValue.fromS(t));
        });
        Iterator<EntityState> pages = new Iterator<>() {
            private final ArrayDeque<EntityState> ready = new ArrayDeque<>();
            private Map<String, AttributeValue> start;
            private boolean done;

            @Override
            public boolean hasNext() {
                while (ready.isEmpty() && !done) {
                    ScanRequest.Builder req = ScanRequest.builder().tableName(table).limit(Math.max(1, pageSize))
                            .filterExpression(filter.toString()).expressionAttributeNames(Map.of("#state", "state"));
                    if (!values.isEmpty()) {
                        req.expressionAttributeValues(values);
                    }
                    if (start != null) {
                        req.exclusiveStartKey(start);
                    }
                    ScanResponse page;
                    try {
                        page = dynamo.scan(req.build());
                    } catch (SdkException e) {
                        throw new StoreUnavailableException("DynamoDB entity scan failed: "
                                + e.getClass().getSimpleName(), e);
                    }
                    page.items().forEach(item -> ready.add(state(item)));
                    start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                            ? page.lastEvaluatedKey() : null;
                    done = start == null;
                }
                return !ready.isEmpty();
            }

            @Override
            public EntityState next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return ready.poll();
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages, Spliterator.ORDERED), false);
    }

    private static EntityState state(Map<String, AttributeValue> item) {
        Map<String, String> fields = new HashMap<>();
        item.forEach((name, v) -> {
            if (name.startsWith(FIELD_PREFIX) && !FIXED.contains(name) && v.s() != null) {
                fields.put(name.substring(FIELD_PREFIX.length()), v.s());
            }
        });
        return new EntityState(new EntityKey(item.get("provider").s(), item.get("entityType").s(),
                item.get("entityId").s()), item.get("state").s(), fields, item.get("lastEventType").s(),
                Instant.ofEpochMilli(Long.parseLong(item.get("lastEventTime").n())), item.get("lastDedupKey").s(),
                Long.parseLong(item.get("version").n()),
                item.containsKey("ignoredStale") ? Long.parseLong(item.get("ignoredStale").n()) : 0);
    }

    private static Map<String, AttributeValue> key(EntityKey key) {
        return Map.of("pk", AttributeValue.fromS(key.asString()));
    }
}
