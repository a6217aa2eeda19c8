package dev.inlet.local;

import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.dynamodb.DynamoDbEventStore;
import dev.inlet.aws.lambda.Observability;
import dev.inlet.aws.sqs.SqsEventQueue;
import dev.inlet.aws.sqs.SqsRedrive;
import dev.inlet.core.config.Env;
import dev.inlet.core.outbox.ReplayService;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventQuery;
import dev.inlet.core.store.EventStatus;
import dev.inlet.core.store.StoreUnavailableException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** {@code ./inlet replay} and {@code ./inlet redrive}: re-run stored events through the processor on purpose. */
final class ReplayCommand {
    static final String REPLAY_USAGE = "./inlet replay --id <provider#dedupKey> | --provider P [--from T] [--to T] "
            + "[--status S]   [--stack NAME]";
    static final String REDRIVE_USAGE = "./inlet redrive [--max N] [--stack NAME]";

    private ReplayCommand() {
    }

    static int replay(List<String> argv, PrintStream out, Clock clock) {
        Args args = new Args(argv, Set.of("id", "provider", "from", "to", "status", "stack", "limit"), Set.of());
        Optional<String> stack = args.option("stack");
        Env env = StackTarget.resolve(stack);
        BackendSettings backend = BackendSettings.from(env);
        AwsClients clients = new AwsClients(backend);
        ReplayService replay = new ReplayService(new DynamoDbEventStore(clients.dynamoDb(), backend.eventsTable()),
                new SqsEventQueue(clients.sqs(), backend.requireQueueUrl()), clock,
                Observability.to((level, line) -> { }, clock).log());
        List<ReplayService.Outcome> outcomes;
        try {
            if (args.option("id").isPresent()) {
                EventKey key;
                try {
                    key = EventKey.parse(args.option("id").get());
                } catch (IllegalArgumentException e) {
                    throw new Args.UsageException("--id looks like provider#dedupKey, e.g. rheo#evt_123");
                }
                outcomes = List.of(replay.replay(key));
            } else if (args.option("provider").isPresent()) {
                outcomes = replay.replay(new EventQuery(args.option("provider"), status(args), instant(args, "from"),
                        instant(args, "to"), args.intOption("limit", 1000)));
            } else {
                throw new Args.UsageException("replay needs --id, or --provider with optional --from/--to/--status");
            }
        } catch (StoreUnavailableException e) {
            throw new IllegalStateException("cannot reach the events table of " + StackTarget.describe(stack)
                    + " (" + e.getMessage() + ")");
        }
        int replayed = 0;
        for (ReplayService.Outcome o : outcomes) {
            out.println((o.replayed() ? "replayed " : "skipped  ") + o.key() + "  " + o.why());
            replayed += o.replayed() ? 1 : 0;
        }
        out.println(replayed + " of " + outcomes.size() + " event(s) queued for processing again on "
                + StackTarget.describe(stack) + ".");
        return outcomes.isEmpty() || replayed > 0 ? 0 : 1;
    }

    static int redrive(List<String> argv, PrintStream out) {
        Args args = new Args(argv, Set.of("max", "stack"), Set.of());
        Optional<String> stack = args.option("stack");
        Env env = StackTarget.resolve(stack);
        BackendSettings backend = BackendSettings.from(env);
        int moved;
        try (var sqs = new AwsClients(backend).sqs()) {
            moved = new SqsRedrive(sqs, env.required("DEAD_LETTER_QUEUE_URL"), backend.requireQueueUrl())
                    .redrive(args.intOption("max", 10_000));
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw new IllegalStateException("cannot reach the queues of " + StackTarget.describe(stack) + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        out.println("Moved " + moved + " message(s) from the dead-letter queue back to the events queue of "
                + StackTarget.describe(stack) + ".");
        return 0;
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
