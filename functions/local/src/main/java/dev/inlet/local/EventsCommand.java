package dev.inlet.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.dynamodb.DynamoDbEventStore;
import dev.inlet.core.config.Env;
import dev.inlet.core.json.Json;
import dev.inlet.core.store.EventQuery;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStatus;
import dev.inlet.core.store.StoreUnavailableException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** {@code ./inlet events}: the stored events of the running local stack, newest first. */
final class EventsCommand {
    static final String USAGE = "./inlet events [--provider P] [--status S] [--limit N] [--json] [--stack NAME]";

    private EventsCommand() {
    }

    static int run(List<String> argv, PrintStream out, Clock clock) {
        Args args = new Args(argv, Set.of("provider", "status", "limit", "stack"), Set.of("json"));
        Optional<EventStatus> status = args.option("status").map(s -> {
            try {
                return EventStatus.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new Args.UsageException("--status must be one of " + List.of(EventStatus.values()));
            }
        });
        int limit = args.intOption("limit", 1000);
        Env env = StackTarget.resolve(args.option("stack"));
        BackendSettings backend = BackendSettings.from(env);
        List<EventRecord> records;
        try (var dynamo = new AwsClients(backend).dynamoDb()) {
            records = new DynamoDbEventStore(dynamo, backend.eventsTable()).list(new EventQuery(
                    args.option("provider"), status, Optional.empty(), Optional.empty(), limit), clock.instant());
        } catch (StoreUnavailableException e) {
            throw new IllegalStateException("cannot read events from DynamoDB at "
                    + backend.dynamoEndpoint().map(Object::toString).orElse("AWS") + " (" + e.getMessage()
                    + "): is ./inlet local running?");
        }
        if (args.has("json")) {
            records.forEach(r -> out.println(json(r)));
            return 0;
        }
        if (records.isEmpty()) {
            out.println("No events stored yet. Send one: ./inlet send rheo item.sold");
            return 0;
        }
        String format = "%-24s  %-8s  %-24s  %-11s  %-3s  %-3s  %s%n";
        out.printf(format, "RECEIVED", "PROVIDER", "EVENT TYPE", "STATUS", "TRY", "RPL", "DEDUP KEY");
        for (EventRecord r : records) {
            out.printf(format, r.receivedAt(), r.key().provider(), r.eventType(), r.status(), r.attempts(),
                    r.replayCount(),
                    r.key().dedupKey() + r.lastError().map(e -> "  (" + e + ")").orElse(""));
        }
        return 0;
    }

    static String json(EventRecord r) {
        return node(r).toString();
    }

    /** One listed event as JSON (no body): the CLI's {@code --json} line and the console's row. */
    static ObjectNode node(EventRecord r) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("id", r.key().id());
        n.put("provider", r.key().provider());
        n.put("dedupKey", r.key().dedupKey());
        n.put("eventType", r.eventType());
        n.put("status", r.status().name());
        n.put("receivedAt", r.receivedAt().toString());
        r.providerTime().ifPresent(t -> n.put("providerTime", t.toString()));
        n.put("attempts", r.attempts());
        n.put("replayCount", r.replayCount());
        n.put("processedCount", r.processedCount());
        r.lastError().ifPresent(e -> n.put("lastError", e));
        r.handledBy().ifPresent(h -> n.put("handledBy", h));
        r.lastReplayAt().ifPresent(t -> n.put("lastReplayAt", t.toString()));
        return n;
    }
}
