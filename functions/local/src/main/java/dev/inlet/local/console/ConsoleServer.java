package dev.inlet.local.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.inlet.core.entity.EntityState;
import dev.inlet.core.json.Json;
import dev.inlet.core.outbox.ReplayService;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventQuery;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStatus;
import dev.inlet.core.store.StoreUnavailableException;
import dev.inlet.local.cli.EntitiesCommand;
import dev.inlet.local.cli.EventsCommand;
import dev.inlet.local.emulator.LocalStack;
import dev.inlet.local.samples.ProviderSamples;
import dev.inlet.local.samples.Samples;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Inlet console over HTTP: the page and its two files from this module's resources, and a small
 * JSON API under {@code /console/api/} that the page polls and acts through. Served by
 * {@code ./inlet local} on the stack's own port and by {@code ./inlet console --stack NAME} on its own.
 */
public final class ConsoleServer implements HttpHandler, AutoCloseable {
    static final String API = "/console/api/";
    /** Filter replays and the last hour's counts read at most this many events, as the CLI's default. */
    static final int MAX_EVENTS = 1000;
    private static final int LIST_LIMIT = 200;
    /** Entities the entities tab shows at most, read a page at a time (no index lists them). */
    static final int ENTITIES_SHOWN = 200;
    /** Published events the Published tab shows at most, newest first. */
    static final int PUBLISHED_SHOWN = 200;
    private static final int BODY_SHOWN_BYTES = 256 * 1024;
    private static final Duration ALARMS_CACHED_FOR = Duration.ofSeconds(30);
    private static final Map<String, String> FILES = Map.of(
            "/console/console.js", "console.js",
            "/console/console.css", "console.css");

    private final ConsoleData data;
    private final ConsoleAlarms alarms;
    private final Optional<ConsoleSamples> samples;
    private final String target;
    private final ConsoleGuard guard;
    private final Clock clock;
    private final ConsolePublished published;
    private volatile ObjectNode cachedAlarms;
    private volatile Instant alarmsReadAt = Instant.MIN;

    /**
     * @param samples the "send a sample" action: local only
     * @param target what the page is looking at ("the local stack", "stack NAME")
     */
    public ConsoleServer(ConsoleData data, ConsoleAlarms alarms, Optional<ConsoleSamples> samples, String target,
                  ConsoleGuard guard, Clock clock) {
        this(data, alarms, samples, target, guard, clock, ConsolePublished.none());
    }

    /** @param published the published events and trace links the console shows */
    public ConsoleServer(ConsoleData data, ConsoleAlarms alarms, Optional<ConsoleSamples> samples, String target,
                  ConsoleGuard guard, Clock clock, ConsolePublished published) {
        this.published = published;
        this.data = data;
        this.alarms = alarms;
        this.samples = samples;
        this.target = target;
        this.guard = guard;
        this.clock = clock;
    }

    /** The console of the local stack, on the stack's own port, with "send a sample". */
    public static ConsoleServer forLocalStack(LocalStack stack, Clock clock) {
        ConsoleGuard guard = new ConsoleGuard(ConsoleGuard.newToken(), () -> stack.baseUrl().getPort());
        ConsoleServer console = new ConsoleServer(new ConsoleData(stack.commandEnvironment(), clock,
                ConsoleData.EXAMINE_AT_MOST),
                ConsoleAlarms.none(), Optional.of(new ConsoleSamples(stack.functionSettings(), stack.baseUrl(), clock)),
                "the local stack", guard, clock, ConsolePublished.local(stack.bus()));
        stack.serveOthers(console);
        return console;
    }

    /** A new one-time URL of this console (see {@link ConsoleGuard#oneTimeUrl()}). */
    public String oneTimeUrl() {
        return guard.oneTimeUrl();
    }

    @Override
    public void close() {
        data.close();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            if (!guard.admit(exchange)) {
                return; // answered: the one-time URL, or the login page for a request without a session
            }
            if (path.equals("/") || FILES.containsKey(path)) {
                Optional<String> refused = guard.refusePage(exchange.getRequestHeaders());
                if (refused.isPresent()) {
                    ConsoleHttp.sendJson(exchange, 403, ConsoleHttp.message(refused.get()));
                } else if (!method.equals("GET")) {
                    ConsoleHttp.sendJson(exchange, 405, ConsoleHttp.message("GET only"));
                } else {
                    page(exchange, path);
                }
            } else if (path.startsWith(API)) {
                Optional<String> refused = guard.refuseApi(method, exchange.getRequestHeaders());
                if (refused.isPresent()) {
                    ConsoleHttp.sendJson(exchange, 403, ConsoleHttp.message(refused.get()));
                } else {
                    api(exchange, method, path.substring(API.length()));
                }
            } else {
                ConsoleHttp.sendJson(exchange, 404, ConsoleHttp.message("Not Found"));
            }
        } catch (RuntimeException e) {
            System.err.println("console request failed: " + e.getClass().getName());
            ConsoleHttp.sendJson(exchange, 500, ConsoleHttp.message("Internal Server Error"));
        }
    }

    private void page(HttpExchange exchange, String path) throws IOException {
        String file = path.equals("/") ? "index.html" : FILES.get(path);
        String text = ConsoleHttp.resource(file);
        String type = file.endsWith(".js") ? "text/javascript" : file.endsWith(".css") ? "text/css" : "text/html";
        if (file.equals("index.html")) {
            text = text.replace("{{TOKEN}}", guard.token());
        }
        ConsoleHttp.send(exchange, 200, type + "; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    private void api(HttpExchange exchange, String method, String call) throws IOException {
        try {
            Map<String, String> query = ConsoleHttp.query(exchange.getRequestURI().getRawQuery());
            JsonNode result = switch (method + " " + call) {
                case "GET config" -> config();
                case "GET events" -> events(ConsoleFilter.of(query::get));
                case "GET event" -> event(EventKey.parse(query.get("id")));
                case "GET summary" -> summary();
                case "GET published" -> published.list(PUBLISHED_SHOWN);
                case "GET entities" -> entities(Optional.ofNullable(ConsoleHttp.blank(query.get("provider"))));
                case "POST replay" -> replayOne(EventKey.parse(ConsoleHttp.body(exchange).path("id").asText(null)));
                case "POST replay-filter" -> replayFilter(ConsoleHttp.body(exchange));
                case "POST redrive" -> redrive();
                case "POST send" -> send(ConsoleHttp.body(exchange));
                default -> null;
            };
            if (result == null) {
                ConsoleHttp.sendJson(exchange, 404, ConsoleHttp.message("no such console call: " + method + " " + call));
            } else {
                ConsoleHttp.sendJson(exchange, 200, result);
            }
        } catch (IllegalArgumentException e) {
            ConsoleHttp.sendJson(exchange, 400, ConsoleHttp.message(e.getMessage()));
        } catch (IllegalStateException | StoreUnavailableException
                 | software.amazon.awssdk.core.exception.SdkException e) {
            ConsoleHttp.sendJson(exchange, 503, ConsoleHttp.message("cannot reach " + target + " (" + e.getClass().getSimpleName() + ")"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ConsoleHttp.sendJson(exchange, 503, ConsoleHttp.message("interrupted"));
        }
    }

    private ObjectNode config() {
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("target", target);
        out.put("canSend", samples.isPresent());
        ArrayNode providers = out.putArray("providers");
        for (ProviderSamples p : Samples.all()) {
            ObjectNode n = providers.addObject();
            n.put("provider", p.provider());
            p.eventTypes().forEach(n.putArray("eventTypes")::add);
        }
        ArrayNode statuses = out.putArray("statuses");
        for (EventStatus s : EventStatus.values()) {
            statuses.add(s.name());
        }
        return out;
    }

    private ObjectNode events(ConsoleFilter filter) {
        ConsoleData.Listing listing = data.list(filter.query(clock.instant(), LIST_LIMIT));
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("limit", LIST_LIMIT);
        out.put("complete", listing.complete());
        out.put("examinedAtMost", data.examineAtMost());
        ArrayNode list = out.putArray("events");
        listing.records().forEach(r -> list.add(EventsCommand.node(r)));
        return out;
    }

    /** One event: its record, stored status history, audit headers, body, and the entities it names (by key). */
    private ObjectNode event(EventKey key) {
        Optional<EventRecord> found = data.find(key);
        ObjectNode out = Json.mapper().createObjectNode();
        if (found.isEmpty()) {
            out.put("found", false);
            return out;
        }
        EventRecord r = found.get();
        out.put("found", true);
        out.set("event", EventsCommand.node(r));
        ObjectNode audit = out.putObject("auditHeaders");
        new TreeMap<>(r.auditHeaders()).forEach(audit::put);
        out.set("body", ConsoleBody.describe(r.body(), BODY_SHOWN_BYTES));
        ArrayNode entities = out.putArray("entities");
        for (EntityState e : data.entitiesOf(r)) {
            entities.add(EntitiesCommand.node(e).put("fromThisEvent", e.lastDedupKey().equals(r.key().dedupKey())));
        }
        published.describe(r, out);
        return out;
    }

    private ObjectNode summary() {
        Instant now = clock.instant();
        ConsoleData.Listing listing = data.list(new EventQuery(Optional.empty(), Optional.empty(),
                Optional.of(now.minus(Duration.ofHours(1))), Optional.empty(), MAX_EVENTS));
        List<EventRecord> lastHour = listing.records();
        ObjectNode out = Json.mapper().createObjectNode();
        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        for (EventRecord r : lastHour) {
            counts.computeIfAbsent(r.key().provider(), p -> new TreeMap<>()).merge(r.status().name(), 1, Integer::sum);
        }
        ObjectNode byProvider = out.putObject("lastHour");
        counts.forEach((provider, statuses) -> {
            ObjectNode n = byProvider.putObject(provider);
            statuses.forEach(n::put);
        });
        out.put("lastHourCapped", lastHour.size() >= MAX_EVENTS || !listing.complete());
        out.put("deadLetterDepth", data.deadLetterDepth());
        out.set("alarms", alarms());
        return out;
    }

    private ObjectNode alarms() {
        ObjectNode out = Json.mapper().createObjectNode();
        if (!alarms.available()) {
            out.put("available", false);
            out.put("note", "No CloudWatch alarms locally; deployed stacks show theirs here.");
            return out;
        }
        Instant now = clock.instant();
        if (cachedAlarms != null && now.isBefore(alarmsReadAt.plus(ALARMS_CACHED_FOR))) {
            return cachedAlarms;
        }
        out.put("available", true);
        try {
            ArrayNode list = out.putArray("inAlarm");
            for (ConsoleAlarms.Alarm a : alarms.inAlarm()) {
                ObjectNode n = list.addObject();
                n.put("name", a.name());
                n.put("reason", a.reason());
                n.put("since", a.since());
            }
        } catch (IllegalStateException e) {
            out.put("available", false);
            out.put("note", "Cannot read the alarms with the AWS CLI; check it is configured for this stack.");
        }
        cachedAlarms = out;
        alarmsReadAt = now;
        return out;
    }

    private ObjectNode entities(Optional<String> provider) {
        ObjectNode out = Json.mapper().createObjectNode();
        ArrayNode list = out.putArray("entities");
        List<EntityState> shown = data.entities(provider, ENTITIES_SHOWN);
        shown.forEach(e -> list.add(EntitiesCommand.node(e)));
        out.put("capped", shown.size() >= ENTITIES_SHOWN);
        out.put("shownAtMost", ENTITIES_SHOWN);
        return out;
    }

    private ObjectNode replayOne(EventKey key) {
        return outcome(data.replay(key));
    }

    /** Without {@code confirm}: the dry run (how many would be replayed). With it: the replay. */
    private ObjectNode replayFilter(JsonNode request) {
        ConsoleFilter filter = ConsoleFilter.of(name -> request.path(name).isValueNode() ? request.path(name).asText() : null);
        EventQuery query = filter.query(clock.instant(), MAX_EVENTS);
        ObjectNode out = Json.mapper().createObjectNode();
        if (!request.path("confirm").asBoolean(false)) {
            ConsoleData.Listing listing = data.list(query);
            List<EventRecord> matching = listing.records();
            long quarantined = matching.stream().filter(r -> r.status() == EventStatus.QUARANTINED).count();
            out.put("dryRun", true);
            out.put("matching", matching.size());
            out.put("replayable", matching.size() - quarantined);
            out.put("capped", matching.size() >= MAX_EVENTS || !listing.complete());
            return out;
        }
        List<ReplayService.Outcome> outcomes = data.replay(query);
        out.put("dryRun", false);
        out.put("replayed", outcomes.stream().filter(ReplayService.Outcome::replayed).count());
        out.put("skipped", outcomes.stream().filter(o -> !o.replayed()).count());
        return out;
    }

    private ObjectNode redrive() {
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("moved", data.redrive(10_000));
        return out;
    }

    private ObjectNode send(JsonNode request) throws IOException, InterruptedException {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("samples are sent to the local stack only");
        }
        return samples.get().send(request.path("provider").asText(""), request.path("eventType").asText(""),
                request.path("tamper").asBoolean(false));
    }

    private static ObjectNode outcome(ReplayService.Outcome o) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("id", o.key().id());
        n.put("replayed", o.replayed());
        n.put("why", o.why());
        return n;
    }
}
