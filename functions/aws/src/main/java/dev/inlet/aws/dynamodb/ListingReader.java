package dev.inlet.aws.dynamodb;

import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.StoreUnavailableException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Newest-first listing over the {@code listing} index, read as it is consumed: day partitions from the
 * newest down, within a day the providers' pages merged by {@code receivedAt}, each chunk of index
 * entries then read from the table with one BatchGetItem (eventually consistent) for the attributes that
 * change (status, attempts ...). Holds at most a page per provider and one chunk in memory.
 */
final class ListingReader {
    private static final int BATCH_GET_LIMIT = 100;
    private static final int QUERY_LIMIT = 1000;

    private final DynamoDbClient dynamo;
    private final String table;
    private final List<String> providers;
    private final Instant from;
    private final Instant to;
    private final int pageSize;
    private final Optional<String> eventType;
    private final ListingBudget budget;

    /**
     * @param from inclusive
     * @param to exclusive
     * @param pageSize about how many records the caller wants: the size of each Query page and of each
     *                 table read. A Query is billed by bytes (4 KB per read unit), and index entries are
     *                 small, so a full page per provider costs no more than a share of one would
     * @param eventType when present, only entries of this type: a FilterExpression on each index Query
     *                  (the index projects {@code eventType}), so the type is matched before any record is
     *                  read and pages keep coming until enough match or the range ends
     */
    ListingReader(DynamoDbClient dynamo, String table, List<String> providers, Instant from, Instant to,
                  int pageSize, Optional<String> eventType, ListingBudget budget) {
        this.eventType = eventType;
        this.budget = budget;
        this.dynamo = dynamo;
        this.table = table;
        this.providers = List.copyOf(providers);
        this.from = from;
        this.to = to;
        this.pageSize = Math.max(1, Math.min(pageSize, QUERY_LIMIT));
    }

    Stream<EventRecord> stream(Instant now) {
        if (!from.isBefore(to) || providers.isEmpty()) {
            return Stream.empty();
        }
        Iterator<EventRecord> records = new Records(new Entries(now), now);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(records,
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /** Index entries, newest first, across days and providers. */
    private final class Entries implements Iterator<Map<String, AttributeValue>> {
        private final Instant now;
        private final LocalDate last = LocalDate.ofInstant(from, ZoneOffset.UTC);
        private LocalDate day;
        private boolean opened;
        private final PriorityQueue<ProviderPages> heads = new PriorityQueue<>(
                Comparator.comparingLong((ProviderPages p) -> receivedAt(p.peek())).reversed());

        Entries(Instant now) {
            this.now = now;
            this.day = LocalDate.ofInstant(to.minusMillis(1), ZoneOffset.UTC);
        }

        @Override
        public boolean hasNext() {
            while (true) {
                if (!opened) {
                    for (String provider : providers) {
                        ProviderPages pages = new ProviderPages(provider, day, now);
                        if (pages.peek() != null) {
                            heads.add(pages);
                        }
                    }
                    opened = true;
                }
                if (!heads.isEmpty()) {
                    return true;
                }
                if (!day.isAfter(last)) {
                    return false;
                }
                day = day.minusDays(1);
                opened = false;
            }
        }

        @Override
        public Map<String, AttributeValue> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ProviderPages pages = heads.poll();
            Map<String, AttributeValue> item = pages.take();
            if (pages.peek() != null) {
                heads.add(pages);
            }
            return item;
        }
    }

    /** One provider's entries of one day, a Query page at a time. */
    private final class ProviderPages {
        private final String partition;
        private final Instant now;
        private final ArrayDeque<Map<String, AttributeValue>> buffer = new ArrayDeque<>();
        private Map<String, AttributeValue> startKey;
        private boolean done;

        ProviderPages(String provider, LocalDate day, Instant now) {
            this.partition = provider + "#" + day;
            this.now = now;
        }

        Map<String, AttributeValue> peek() {
            while (buffer.isEmpty() && !done) {
                fetch();
            }
            return buffer.peek();
        }

        Map<String, AttributeValue> take() {
            peek();
            return buffer.poll();
        }

        private void fetch() {
            if (budget.ranOut()) {
                done = true;
                return;
            }
            int limit = pageSize;
            Map<String, AttributeValue> start = startKey;
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":pd", DynamoDbEventStore.s(partition),
                    ":from", DynamoDbEventStore.n(from.toEpochMilli()),
                    ":to", DynamoDbEventStore.n(to.toEpochMilli() - 1)));
            eventType.ifPresent(t -> values.put(":type", DynamoDbEventStore.s(t)));
            QueryResponse page = call(() -> dynamo.query(r -> {
                r.tableName(table).indexName(DynamoDbEventStore.LISTING_INDEX)
                        .keyConditionExpression(DynamoDbEventStore.PROVIDER_DAY
                                + " = :pd AND receivedAt BETWEEN :from AND :to")
                        .expressionAttributeValues(values)
                        .scanIndexForward(false).limit(limit);
                if (eventType.isPresent()) {
                    r.filterExpression("eventType = :type");
                }
                if (start != null) {
                    r.exclusiveStartKey(start);
                }
            }));
            for (Map<String, AttributeValue> item : page.items()) {
                if (DynamoDbEventStore.num(item, "expiresAt") > now.getEpochSecond()) {
                    buffer.add(item);
                }
            }
            budget.spend(page.scannedCount() == null ? page.count() : page.scannedCount());
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            done = startKey == null;
        }
    }

    /** Full records (without bodies) for the entries, one BatchGetItem per chunk, in the entries' order. */
    private final class Records implements Iterator<EventRecord> {
        private final Entries entries;
        private final Instant now;
        private final ArrayDeque<EventRecord> ready = new ArrayDeque<>();

        Records(Entries entries, Instant now) {
            this.entries = entries;
            this.now = now;
        }

        @Override
        public boolean hasNext() {
            while (ready.isEmpty() && entries.hasNext()) {
                List<Map<String, AttributeValue>> chunk = new ArrayList<>();
                while (chunk.size() < Math.min(pageSize, BATCH_GET_LIMIT) && entries.hasNext()) {
                    chunk.add(entries.next());
                }
                Map<String, Map<String, AttributeValue>> byPk = read(chunk);
                for (Map<String, AttributeValue> entry : chunk) {
                    Map<String, AttributeValue> item = byPk.get(DynamoDbEventStore.str(entry, DynamoDbEventStore.PK));
                    if (item != null && DynamoDbEventStore.num(item, "expiresAt") > now.getEpochSecond()) {
                        ready.add(DynamoDbEventStore.toRecord(item));
                    }
                }
            }
            return !ready.isEmpty();
        }

        @Override
        public EventRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.poll();
        }

        private Map<String, Map<String, AttributeValue>> read(List<Map<String, AttributeValue>> chunk) {
            List<Map<String, AttributeValue>> keys = new ArrayList<>();
            for (Map<String, AttributeValue> entry : chunk) {
                keys.add(Map.of(DynamoDbEventStore.PK, entry.get(DynamoDbEventStore.PK),
                        DynamoDbEventStore.SK, entry.get(DynamoDbEventStore.SK)));
            }
            Map<String, Map<String, AttributeValue>> out = new HashMap<>();
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(keys).build());
            while (!request.isEmpty()) {
                Map<String, KeysAndAttributes> pending = request;
                BatchGetItemResponse response = call(() -> dynamo.batchGetItem(r -> r.requestItems(pending)));
                response.responses().getOrDefault(table, List.of())
                        .forEach(item -> out.put(DynamoDbEventStore.str(item, DynamoDbEventStore.PK), item));
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            }
            return out;
        }
    }

    private static long receivedAt(Map<String, AttributeValue> item) {
        return DynamoDbEventStore.num(item, "receivedAt");
    }

    private static <T> T call(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB list failed: " + e.getClass().getSimpleName(), e);
        }
    }
}
