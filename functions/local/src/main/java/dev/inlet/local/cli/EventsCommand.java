package dev.inlet.local.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.core.config.Env;
import dev.inlet.core.json.Json;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventQuery;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventSource;
import dev.inlet.core.store.EventStore;
import dev.inlet.core.store.StatusHistory;
import dev.inlet.core.store.StoreUnavailableException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code ./inlet events}: the stored events of a stack, newest first, printed as they are read. Reads
 * the listing index a page at a time (about {@code --limit} records), never the whole table.
 */
public final class EventsCommand {
    public static final String USAGE = "./inlet events [--provider P] [--status S] [--type T] [--from T] [--to T] [--limit N] "
            + "[--json] [--stack NAME]   |   ./inlet events --id <provider#dedupKey> [--json] [--stack NAME]";
    static final int DEFAULT_LIMIT = 50;

    private EventsCommand() {
    }

    public static int run(List<String> argv, PrintStream out, Clock clock, Env environment) {
        Set<String> options = new HashSet<>(EventFilter.OPTIONS);
        options.addAll(Set.of("limit", "stack", "id"));
        Args args = new Args(argv, options, Set.of("json"));
        if (args.option("id").isPresent() && (EventFilter.any(args) || args.option("limit").isPresent())) {
            throw new Args.UsageException("--id shows one event: no filter or --limit with it");
        }
        Optional<EventKey> id;
        try {
            id = args.option("id").map(EventKey::parse);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException("--id: " + e.getMessage());
        }
        EventQuery query = EventFilter.query(args, Math.max(1, args.intOption("limit", DEFAULT_LIMIT)));
        Env env = StackTarget.resolve(args.option("stack"), environment);
        BackendSettings backend = BackendSettings.from(env);
        try (var dynamo = new AwsClients(backend).dynamoDb()) {
            EventStore store = EventFilter.store(env, dynamo, backend.eventsTable());
            if (id.isPresent()) {
                return show(store, id.get(), args.has("json"), out, clock.instant());
            }
            return print(store, query, args.has("json"), out, clock.instant());
        } catch (StoreUnavailableException e) {
            throw new IllegalStateException("cannot read events from DynamoDB at "
                    + backend.dynamoEndpoint().map(Object::toString).orElse("AWS") + " (" + e.getMessage()
                    + "): is ./inlet local running?");
        }
    }

    /** Prints at most {@code query.limit()} records as the store yields them. */
    static int print(EventStore store, EventQuery query, boolean json, PrintStream out, Instant now) {
        String format = "%-24s  %-8s  %-24s  %-9s  %-11s  %-3s  %-3s  %s%n";
        int shown = 0;
        try (Stream<EventRecord> records = store.stream(query, now).limit(query.limit())) {
            for (var it = records.iterator(); it.hasNext(); shown++) {
                EventRecord r = it.next();
                if (json) {
                    out.println(json(r));
                    continue;
                }
                if (shown == 0) {
                    out.printf(format, "RECEIVED", "PROVIDER", "EVENT TYPE", "SOURCE", "STATUS", "TRY", "RPL", "DEDUP KEY");
                }
                out.printf(format, r.receivedAt(), r.key().provider(), r.eventType(), r.source().code(), r.status(),
                        r.attempts(),
                        r.replayCount(), r.key().dedupKey() + r.lastError().map(e -> "  (" + e + ")").orElse(""));
            }
        }
        if (shown == 0 && !json) {
            out.println("No events stored yet. Send one: ./inlet send rheo item.sold");
        }
        return 0;
    }

    /** One event (a GetItem): its fields and its stored status history in time order. */
    static int show(EventStore store, EventKey key, boolean json, PrintStream out, Instant now) {
        Optional<EventRecord> found = store.find(key, now);
        if (found.isEmpty()) {
            out.println("No live record " + key.id() + " (expired or never stored).");
            return 1;
        }
        EventRecord r = found.get();
        if (json) {
            out.println(json(r));
            return 0;
        }
        out.printf("%s  %s  %s%s%n", r.key().id(), r.eventType(), r.status(),
                r.source() == EventSource.WEBHOOK ? "" : "  (source " + r.source().code() + ")");
        out.println("  history: " + historyLine(r));
        r.lastError().ifPresent(e -> out.println("  last error: " + e));
        r.handledBy().ifPresent(h -> out.println("  handled by: " + h));
        return 0;
    }

    /** "received 12:00:01.123Z -> processing ... -> processed ... (attempts 1, resends 0, replays 0, processed 1)". */
    static String historyLine(EventRecord r) {
        StringBuilder b = new StringBuilder();
        for (StatusHistory.Step step : r.timeline()) {
            b.append(b.isEmpty() ? "" : " -> ").append(step.what()).append(' ').append(step.at());
        }
        return b + " (attempts " + r.attempts() + ", resends " + r.resends() + ", replays " + r.replayCount()
                + ", processed " + r.processedCount() + (r.publishedCount() > 0 || r.pending().isPresent()
                ? ", published " + r.publishedCount() + (r.pending().isPresent() ? ", some pending" : "") : "") + ")";
    }

    static String json(EventRecord r) {
        return node(r).toString();
    }

    /** One listed event as JSON (no body): the CLI's {@code --json} line and the console's row. */
    public static ObjectNode node(EventRecord r) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("id", r.key().id());
        n.put("provider", r.key().provider());
        n.put("dedupKey", r.key().dedupKey());
        n.put("eventType", r.eventType());
        n.put("source", r.source().code());
        n.put("status", r.status().name());
        n.put("receivedAt", r.receivedAt().toString());
        r.providerTime().ifPresent(t -> n.put("providerTime", t.toString()));
        n.put("attempts", r.attempts());
        n.put("replayCount", r.replayCount());
        n.put("processedCount", r.processedCount());
        r.lastError().ifPresent(e -> n.put("lastError", e));
        r.handledBy().ifPresent(h -> n.put("handledBy", h));
        r.lastReplayAt().ifPresent(t -> n.put("lastReplayAt", t.toString()));
        n.put("resends", r.resends());
        n.put("publishedCount", r.publishedCount());
        n.put("publishPending", r.pending().isPresent());
        ArrayNode history = n.putArray("history");
        for (StatusHistory.Step step : r.timeline()) {
            history.addObject().put("status", step.what()).put("at", step.at().toString());
        }
        return n;
    }
}
