package dev.inlet.local;

import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.dynamodb.DynamoDbEntityStore;
import dev.inlet.aws.dynamodb.DynamoDbEventStore;
import dev.inlet.aws.lambda.Observability;
import dev.inlet.aws.sqs.SqsEventQueue;
import dev.inlet.aws.sqs.SqsRedrive;
import dev.inlet.core.config.Env;
import dev.inlet.core.entity.EntityState;
import dev.inlet.core.outbox.ReplayService;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventQuery;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Everything the console reads and changes, through the same classes and calls as the CLI:
 * {@code ./inlet events} ({@link EventStore#list}), {@code ./inlet replay} ({@link ReplayService}),
 * {@code ./inlet entities} ({@link DynamoDbEntityStore#list}) and {@code ./inlet redrive}
 * ({@link SqsRedrive}). Listing and replay go through {@link #list} and the {@code replay} methods only:
 * when the CLI's queries or replay change, these few lines follow.
 */
final class ConsoleData implements AutoCloseable {
    private final AwsClients clients;
    private final EventStore events;
    private final ReplayService replay;
    private final DynamoDbEntityStore entities;
    private final String queueUrl;
    private final String deadLetterQueueUrl;
    private final Clock clock;

    /** @param env a command's environment: {@link StackTarget#resolve} or the local stack's */
    ConsoleData(Env env, Clock clock) {
        BackendSettings backend = BackendSettings.from(env);
        this.clients = new AwsClients(backend);
        this.clock = clock;
        this.events = new DynamoDbEventStore(clients.dynamoDb(), backend.eventsTable());
        this.queueUrl = backend.requireQueueUrl();
        this.deadLetterQueueUrl = env.required("DEAD_LETTER_QUEUE_URL");
        this.replay = new ReplayService(events, new SqsEventQueue(clients.sqs(), queueUrl), clock,
                Observability.to((level, line) -> { }, clock).log());
        this.entities = new DynamoDbEntityStore(clients.dynamoDb(), env.required("ENTITIES_TABLE"));
    }

    /** Events matching the query (and the event type, when given), newest first, without bodies. */
    List<EventRecord> list(EventQuery query, Optional<String> eventType) {
        List<EventRecord> found = events.list(query, clock.instant());
        return eventType.isEmpty() ? found
                : found.stream().filter(r -> r.eventType().equals(eventType.get())).toList();
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
    List<ReplayService.Outcome> replay(EventQuery query, Optional<String> eventType) {
        List<ReplayService.Outcome> out = new ArrayList<>();
        for (EventRecord r : list(query, eventType)) {
            out.add(replay.replay(r.key()));
        }
        return out;
    }

    List<EntityState> entities(Optional<String> provider) {
        return entities.list(provider, Optional.empty());
    }

    /** Moves dead-lettered messages back to the events queue, as {@code ./inlet redrive}. */
    int redrive(int max) {
        return new SqsRedrive(clients.sqs(), deadLetterQueueUrl, queueUrl).redrive(max);
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
