package dev.inlet.local.console;

import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.dynamodb.DynamoDbEntityStore;
import dev.inlet.aws.dynamodb.DynamoDbEventStore;
import dev.inlet.aws.dynamodb.ListingBudget;
import dev.inlet.aws.lambda.Observability;
import dev.inlet.aws.sqs.SqsEventQueue;
import dev.inlet.aws.sqs.SqsRedrive;
import dev.inlet.core.config.Env;
import dev.inlet.core.entity.EntityKey;
import dev.inlet.core.entity.EntityState;
import dev.inlet.core.outbox.ReplayService;
import dev.inlet.core.processing.HandlerRegistry;
import dev.inlet.core.processing.ReceivedEvent;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventQuery;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStatus;
import dev.inlet.core.store.EventStore;
import dev.inlet.local.cli.EventFilter;
import dev.inlet.local.cli.StackTarget;
import dev.inlet.processor.Handlers;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Everything the console reads and changes, through the same classes and calls as the CLI:
 * {@code ./inlet events} ({@link EventStore#list}, the same {@link EventQuery} with its event type),
 * {@code ./inlet replay} ({@link ReplayService}),
 * {@code ./inlet entities} ({@link DynamoDbEntityStore#list}) and {@code ./inlet redrive}
 * ({@link SqsRedrive}). Listing and replay go through {@link #list} and the {@code replay} methods only:
 * when the CLI's queries or replay change, these few lines follow.
 */
public final class ConsoleData implements AutoCloseable {
    private final AwsClients clients;
    private final DynamoDbEventStore events;
    private final ReplayService replay;
    private final DynamoDbEntityStore entities;
    private final String queueUrl;
    private final String deadLetterQueueUrl;
    private final Clock clock;
    private final HandlerRegistry handlers;
    private final long examineAtMost;

    /** What the live list examines at most per refresh, in listing-index entries ({@link ListingBudget}). */
    public static final long EXAMINE_AT_MOST = 5_000;

    /** Events listed for a filter; {@code complete} is false when the listing stopped at its budget. */
    record Listing(List<EventRecord> records, boolean complete) {}

    /**
     * @param env a command's environment: {@link StackTarget#resolve} or the local stack's
     * @param examineAtMost listing-index entries one listing may examine ({@link #EXAMINE_AT_MOST})
     * @param interceptors on the SDK clients (tests count the calls)
     */
    public ConsoleData(Env env, Clock clock, long examineAtMost, ExecutionInterceptor... interceptors) {
        this.examineAtMost = examineAtMost;
        BackendSettings backend = BackendSettings.from(env);
        this.clients = new AwsClients(backend, interceptors);
        this.clock = clock;
        this.events = EventFilter.store(env, clients.dynamoDb(), backend.eventsTable());
        this.queueUrl = backend.requireQueueUrl();
        this.deadLetterQueueUrl = env.required("DEAD_LETTER_QUEUE_URL");
        Observability quiet = Observability.to((level, line) -> { }, clock);
        this.replay = new ReplayService(events, new SqsEventQueue(clients.sqs(), queueUrl), clock, quiet.log());
        this.entities = new DynamoDbEntityStore(clients.dynamoDb(), env.required("ENTITIES_TABLE"));
        // Only asked which entities an event names (EventHandler#entities): nothing is written through it.
        this.handlers = Handlers.defaults(entities, quiet.log(), quiet.metrics()).build();
    }

    /**
     * At most {@code query.limit()} events matching the query, newest first, without bodies: the event type
     * is part of the query, so the listing index filters it while paging and a rare type still fills the
     * page. The listing examines at most {@code examineAtMost} index entries (the page polls it every few
     * seconds), so a filter that matches little never pages through the whole retention window.
     */
    Listing list(EventQuery query) {
        ListingBudget budget = ListingBudget.of(examineAtMost);
        try (Stream<EventRecord> found = events.stream(query, clock.instant(), budget)) {
            List<EventRecord> records = found.limit(query.limit()).toList();
            return new Listing(records, records.size() >= query.limit() || !budget.ranOut());
        }
    }

    /**
     * The current state of the entities the event names, read by key (one BatchGetItem, never a scan):
     * the keys come from the event's handler ({@link dev.inlet.core.processing.EventHandler#entities}),
     * the same code that wrote them. An entity may since have taken a newer event's state.
     */
    List<EntityState> entitiesOf(EventRecord r) {
        if (r.status() == EventStatus.QUARANTINED) {
            return List.of();
        }
        List<EntityKey> keys;
        try {
            keys = handlers.find(r.key().provider(), r.eventType()).entities(new ReceivedEvent(r.key(), r.eventType(),
                    r.body(), r.receivedAt(), r.providerTime(), r.attempts()));
        } catch (Exception unreadable) {
            return List.of();
        }
        return entities.findAll(keys);
    }

    long examineAtMost() {
        return examineAtMost;
    }

    /** One event with its body. */
    Optional<EventRecord> find(EventKey key) {
        return events.find(key, clock.instant());
    }

    ReplayService.Outcome replay(EventKey key) {
        return replay.replay(key);
    }

    /**
     * Replays what {@link #list} shows for the same filter (at most {@code query.limit()}, as its dry run
     * counted; {@code ./inlet replay} is the tool for every match of a large range).
     */
    List<ReplayService.Outcome> replay(EventQuery query) {
        List<ReplayService.Outcome> out = new ArrayList<>();
        for (EventRecord r : list(query).records()) {
            out.add(replay.replay(r.key()));
        }
        return out;
    }

    /**
     * At most {@code limit} entities, read a page at a time as {@code ./inlet entities} reads them (the entities
     * table has no listing index, so this is a Scan bounded to about {@code limit} items, never the whole
     * table), in key order.
     */
    List<EntityState> entities(Optional<String> provider, int limit) {
        try (Stream<EntityState> found = entities.stream(provider, Optional.empty(), limit)) {
            return found.limit(limit).sorted(Comparator.comparing(e -> e.key().asString())).toList();
        }
    }

    /** Moves dead-lettered messages back to the events queue, as {@code ./inlet redrive}. */
    int redrive(int max) {
        return new SqsRedrive(clients.sqs(), deadLetterQueueUrl, queueUrl, replay).redrive(max);
    }

    /** Messages waiting in the dead-letter queue (visible and in flight; SQS's approximate count). */
    int deadLetterDepth() {
        Map<QueueAttributeName, String> attributes = clients.sqs().getQueueAttributes(r -> r
                .queueUrl(deadLetterQueueUrl).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
                + Integer.parseInt(attributes.getOrDefault(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
    }

    @Override
    public void close() {
        clients.dynamoDb().close();
        clients.sqs().close();
    }
}
