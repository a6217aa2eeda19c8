package dev.inlet.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.dynamodb.DynamoDbEntityStore;
import dev.inlet.core.config.Env;
import dev.inlet.core.entity.EntityState;
import dev.inlet.core.json.Json;
import dev.inlet.core.store.StoreUnavailableException;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/** {@code ./inlet entities}: the current state of every entity the providers told us about. */
final class EntitiesCommand {
    static final String USAGE = "./inlet entities [--provider P] [--type T] [--json] [--stack NAME]";

    private EntitiesCommand() {
    }

    static int run(List<String> argv, PrintStream out) {
        Args args = new Args(argv, Set.of("provider", "type", "stack"), Set.of("json"));
        Env env = StackTarget.resolve(args.option("stack"));
        BackendSettings backend = BackendSettings.from(env);
        List<EntityState> entities;
        try (var dynamo = new AwsClients(backend).dynamoDb()) {
            entities = new DynamoDbEntityStore(dynamo, env.required("ENTITIES_TABLE"))
                    .list(args.option("provider"), args.option("type"));
        } catch (StoreUnavailableException e) {
            throw new IllegalStateException("cannot read entities of " + StackTarget.describe(args.option("stack"))
                    + " (" + e.getMessage() + "): is ./inlet local running?");
        }
        if (args.has("json")) {
            entities.forEach(e -> out.println(json(e)));
            return 0;
        }
        if (entities.isEmpty()) {
            out.println("No entities yet. Send an event: ./inlet send rheo item.sold");
            return 0;
        }
        String format = "%-8s  %-11s  %-38s  %-14s  %-24s  %-3s  %s%n";
        out.printf(format, "PROVIDER", "TYPE", "ID", "STATE", "LAST EVENT", "VER", "FIELDS");
        for (EntityState e : entities) {
            out.printf(format, e.key().provider(), e.key().type(), e.key().id(), e.state(), e.lastEventType(),
                    e.version(), new TreeMap<>(e.fields()) + (e.ignoredStale() > 0
                            ? "  (" + e.ignoredStale() + " late event(s) ignored)" : ""));
        }
        return 0;
    }

    private static String json(EntityState e) {
        return node(e).toString();
    }

    /** One entity as JSON: the CLI's {@code --json} line and the console's row. */
    static ObjectNode node(EntityState e) {
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
