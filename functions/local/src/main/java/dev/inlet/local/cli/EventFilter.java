package dev.inlet.local.cli;

import dev.inlet.aws.dynamodb.DynamoDbEventStore;
import dev.inlet.core.config.Env;
import dev.inlet.core.store.EventQuery;
import dev.inlet.core.store.EventStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The event filter options that {@code events}, {@code replay} and the console share: --provider --status
 * --type --from --to. The event type is matched by the store while it pages (see {@link EventQuery}).
 */
public final class EventFilter {
    static final List<String> OPTIONS = List.of("provider", "status", "type", "from", "to");

    private EventFilter() {
    }

    static EventQuery query(Args args, int limit) {
        return new EventQuery(args.option("provider"), status(args), args.option("type"), instant(args, "from"),
                instant(args, "to"), limit);
    }

    static boolean any(Args args) {
        return OPTIONS.stream().anyMatch(o -> args.option(o).isPresent());
    }

    /** The stack's event store; a listing without --from looks back over the stack's record retention. */
    public static DynamoDbEventStore store(Env env, DynamoDbClient dynamo, String table) {
        return new DynamoDbEventStore(dynamo, table, Duration.ofDays(env.positiveInt("EVENT_RETENTION_DAYS", 30)),
                DynamoDbEventStore.PROVIDERS);
    }

    private static Optional<EventStatus> status(Args args) {
        return args.option("status").map(s -> {
            try {
                return EventStatus.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new Args.UsageException("--status must be one of " + List.of(EventStatus.values()));
            }
        });
    }

    private static Optional<Instant> instant(Args args, String name) {
        return args.option(name).map(v -> {
            try {
                return Instant.parse(v);
            } catch (DateTimeParseException e) {
                throw new Args.UsageException("--" + name + " must be an ISO-8601 instant, e.g. 2026-11-25T10:00:00Z");
            }
        });
    }
}
