package dev.inlet.local.console;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.core.config.Env;
import dev.inlet.core.json.Json;
import dev.inlet.core.store.EventRecord;
import dev.inlet.local.emulator.LocalBus;
import dev.inlet.local.emulator.PublishedEvent;
import dev.inlet.local.emulator.PublishedLog;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the console shows of publishing: the local bus's events (the "Published" tab, and on an event's
 * page the events it produced), and the trace id of an event, linked to the X-Ray console when the console
 * looks at a deployed stack.
 */
public final class ConsolePublished {
    private static final Pattern TRACE_ID = Pattern.compile("1-[0-9a-f]{8}-[0-9a-f]{24}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]");

    private final Optional<PublishedLog> log;
    private final Optional<String> xrayRegion;
    private final String note;

    private ConsolePublished(Optional<PublishedLog> log, Optional<String> xrayRegion, String note) {
        this.log = log;
        this.xrayRegion = xrayRegion;
        this.note = note;
    }

    /** The local stack's bus; none when publishing is switched off. */
    public static ConsolePublished local(Optional<LocalBus> bus) {
        return new ConsolePublished(bus.map(LocalBus::log), Optional.empty(),
                "Publishing is switched off (EVENT_BUS_NAME is empty): nothing is published.");
    }

    /** A deployed stack in {@code env}'s region: no list to read, trace ids link to X-Ray. */
    public static ConsolePublished deployed(Env env) {
        String region = env.optional("AWS_REGION").or(() -> env.optional("AWS_DEFAULT_REGION")).orElse("us-east-1");
        return new ConsolePublished(Optional.empty(),
                REGION.matcher(region).matches() ? Optional.of(region) : Optional.empty(),
                "This stack publishes to EventBridge, which keeps no list to read here: replay its event bus archive, "
                        + "or read the queue of a rule on its bus (docs/operations.md).");
    }

    /** Nothing known about publishing (tests of other parts). */
    public static ConsolePublished none() {
        return new ConsolePublished(Optional.empty(), Optional.empty(), "No bus to read.");
    }

    /** The newest {@code limit} published events, newest first. */
    ObjectNode list(int limit) {
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("available", log.isPresent());
        if (log.isEmpty()) {
            out.put("note", note);
            return out;
        }
        out.put("bus", log.get().name());
        out.put("kept", log.get().size());
        out.put("limit", limit);
        ArrayNode list = out.putArray("events");
        log.get().newest(limit).forEach(e -> list.add(node(e)));
        return out;
    }

    /** The event page's part: what the event published (locally), and its trace. */
    void describe(EventRecord r, ObjectNode page) {
        ObjectNode published = page.putObject("published");
        published.put("available", log.isPresent());
        if (log.isEmpty()) {
            published.put("note", note);
        } else {
            ArrayNode list = published.putArray("events");
            log.get().madeBy(r.key().id()).forEach(e -> list.add(node(e)));
        }
        traceId(traceHeader(r)).ifPresent(id -> {
            ObjectNode trace = page.putObject("trace");
            trace.put("id", id);
            traceUrl(id).ifPresent(url -> trace.put("url", url));
        });
    }

    /** The X-Ray console's page of the trace {@code id} (a {@link #traceId} result), for a deployed stack. */
    Optional<String> traceUrl(String id) {
        return xrayRegion.map(region -> "https://" + region + ".console.aws.amazon.com/cloudwatch/home?region=" + region
                + "#xray:traces/" + id);
    }

    /** The record's X-Ray trace header, as the receiver stored it. */
    static Optional<String> traceHeader(EventRecord r) {
        return r.traceHeader();
    }

    /** The {@code Root} of an X-Ray trace header ({@code Root=1-...;Parent=...;Sampled=1}), if it is one. */
    static Optional<String> traceId(Optional<String> header) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        for (String part : header.get().split(";")) {
            String p = part.strip();
            if (p.startsWith("Root=") && TRACE_ID.matcher(p.substring(5)).matches()) {
                return Optional.of(p.substring(5));
            }
        }
        return Optional.empty();
    }

    static ObjectNode node(PublishedEvent e) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("seq", e.seq());
        n.put("publishedAt", e.publishedAt().toString());
        n.put("source", e.event().source());
        n.put("detailType", e.event().detailType());
        n.put("time", e.event().time().toString());
        n.put("entity", e.entity());
        n.put("eventKey", e.event().eventKey());
        n.put("eventId", e.eventId());
        n.set("detail", e.detail());
        return n;
    }
}
