package dev.inlet.local.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.dynamodb.DynamoDbEntityStore;
import dev.inlet.core.config.Env;
import dev.inlet.core.entity.EntityState;
import dev.inlet.core.entity.EntityStore;
import dev.inlet.core.json.Json;
import dev.inlet.core.store.StoreUnavailableException;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code ./inlet entities}: the current state of the entities the providers told us about, printed a page
 * at a time as they are read (in table order), never all of them in memory.
 */
public final class EntitiesCommand {
    public static final String USAGE = "./inlet entities [--provider P] [--type T] [--limit N] [--json] [--stack NAME]";
    static final int PAGE = 100;

    private EntitiesCommand() {
    }

    public static int run(List<String> argv, PrintStream out, Env environment) {
        Args args = new Args(argv, Set.of("provider", "type", "limit", "stack"), Set.of("json"));
        Env env = StackTarget.resolve(args.option("stack"), environment);
        BackendSettings backend = BackendSettings.from(env);
        int limit = args.intOption("limit", 0);
        try (var dynamo = new AwsClients(backend).dynamoDb()) {
            return print(new DynamoDbEntityStore(dynamo, env.required("ENTITIES_TABLE")), args.option("provider"),
                    args.option("type"), limit, args.has("json"), out);
        } catch (StoreUnavailableException e) {
            throw new IllegalStateException("cannot read entities of " + StackTarget.describe(args.option("stack"))
                    + " (" + e.getMessage() + "): is ./inlet local running?");
        }
    }

    /** @param limit at most this many (0: all), printed as they are read */
    static int print(EntityStore store, Optional<String> provider, Optional<String> type, int limit, boolean json,
                     PrintStream out) {
        String format = "%-8s  %-11s  %-38s  %-14s  %-24s  %-3s  %s%n";
        int shown = 0;
        try (Stream<EntityState> entities = store.stream(provider, type, limit > 0 ? Math.min(limit, PAGE) : PAGE)) {
            Stream<EntityState> bounded = limit > 0 ? entities.limit(limit) : entities;
            for (var it = bounded.iterator(); it.hasNext(); shown++) {
                EntityState e = it.next();
                if (json) {
                    out.println(json(e));
                    continue;
                }
                if (shown == 0) {
                    out.printf(format, "PROVIDER", "TYPE", "ID", "STATE", "LAST EVENT", "VER", "FIELDS");
                }
                out.printf(format, e.key().provider(), e.key().type(), e.key().id(), e.state(), e.lastEventType(),
                        e.version(), new TreeMap<>(e.fields()) + (e.ignoredStale() > 0
                                ? "  (" + e.ignoredStale() + " late event(s) ignored)" : ""));
            }
        }
        if (shown == 0 && !json) {
            out.println("No entities yet. Send an event: ./inlet send rheo item.sold");
        }
        return 0;
    }

    private static String json(EntityState e) {
        return node(e).toString();
    }

    /** One entity as JSON: the CLI's {@code --json} line and the console's row. */
    public static ObjectNode node(EntityState e) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("provider", e.key().provider());
        n.put("type", e.key().type());
        n.put("id", e.key().id());
        n.put("state", e.state());
        ObjectNode fields = n.putObject("fields");
        new TreeMap<>(e.fields()).forEach(fields::put);
        n.put("lastEventType", e.lastEventType());
        n.put("lastEventTime", e.lastEventTime().toString());
        n.put("lastDedupKey", e.lastDedupKey());
        n.put("version", e.version());
        n.put("ignoredStale", e.ignoredStale());
        return n;
    }
}
