package dev.inlet.local.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.inlet.core.json.Json;
import dev.inlet.core.publish.DomainEvent;
import dev.inlet.embedded.SamTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The published events' contract, docs/events/: one JSON Schema (draft 2020-12) per detail-type, each
 * describing the whole event as an EventBridge target receives it ({@code source}, {@code detail-type},
 * {@code detail}), plus {@code common.schema.json} they refer to. Checks an event against the schema of its
 * detail-type; an event whose detail-type has no schema is a problem too.
 *
 * <p>For any test that sees published events: a {@link DomainEvent} handed to a bus ({@link #problems(DomainEvent)}),
 * or the JSON of an event as EventBridge delivered it to a target, e.g. an SQS queue
 * ({@link #problemsOfDelivered(String)}).
 */
public final class EventSchemas {
    /** The shared definitions: not a detail-type of its own. */
    public static final String COMMON = "common.schema.json";
    /**
     * Where the schemas are read from as far as the validator knows: an address that can never be fetched
     * ({@code .invalid}), answered from docs/events/, so relative {@code $ref}s resolve and nothing goes out.
     */
    private static final String BASE = "https://inlet.invalid/events/";

    private final Map<String, Schema> byDetailType;

    private EventSchemas(Map<String, Schema> byDetailType) {
        this.byDetailType = byDetailType;
    }

    /** docs/events/ of this checkout (next to template.yaml). */
    public static Path directory() {
        return SamTemplate.locate().resolveSibling("docs").resolve("events");
    }

    /** Every {@code *.schema.json} of docs/events/ but the common one, by the detail-type its {@code title} names. */
    public static EventSchemas load() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemas(EventSchemas::read));
        Map<String, Schema> schemas = new TreeMap<>();
        try (Stream<Path> files = Files.list(directory())) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".schema.json")).sorted().toList()) {
                if (file.getFileName().toString().equals(COMMON)) {
                    continue;
                }
                String title = Json.parse(Files.readAllBytes(file)).path("title").asText("");
                if (title.isEmpty() || schemas.containsKey(title)) {
                    throw new IllegalStateException(file + ": a detail-type schema needs a title of its own");
                }
                schemas.put(title, registry.getSchema(SchemaLocation.of(BASE + file.getFileName())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new EventSchemas(schemas);
    }

    /** A schema's text for its address under {@link #BASE}; null for any other address. */
    private static String read(String iri) {
        if (!iri.startsWith(BASE)) {
            return null;
        }
        Path file = directory().resolve(iri.substring(BASE.length()));
        try {
            return Files.exists(file) ? Files.readString(file) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The detail-types that have a schema. */
    public List<String> detailTypes() {
        return List.copyOf(byDetailType.keySet());
    }

    /** What is wrong with an event as published: nothing when it matches its detail-type's schema. */
    public List<String> problems(DomainEvent event) {
        ObjectNode delivered = Json.object();
        delivered.put("source", event.source());
        delivered.put("detail-type", event.detailType());
        try {
            delivered.set("detail", Json.parse(event.detail()));
        } catch (IOException e) {
            return List.of(event.detailType() + " (" + event.eventKey() + "): detail is not JSON");
        }
        return check(event.detailType(), Json.write(delivered), event.eventKey());
    }

    /** The same, for an event as EventBridge delivers it to a target (its JSON envelope). */
    public List<String> problemsOfDelivered(String eventJson) {
        JsonNode node;
        try {
            node = Json.parse(eventJson);
        } catch (IOException e) {
            return List.of("delivered event is not JSON");
        }
        return check(node.path("detail-type").asText(""), eventJson, node.path("detail").path("eventKey").asText("?"));
    }

    /** Throws, listing every problem, unless the event matches its schema. */
    public void check(DomainEvent event) {
        List<String> problems = problems(event);
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join("\n", problems));
        }
    }

    private List<String> check(String detailType, String json, String eventKey) {
        Optional<Schema> schema = Optional.ofNullable(byDetailType.get(detailType));
        if (schema.isEmpty()) {
            return List.of("no schema in docs/events/ for detail-type \"" + detailType + "\"");
        }
        List<String> problems = new ArrayList<>();
        for (Error e : schema.get().validate(json, InputFormat.JSON)) {
            problems.add(detailType + " (" + eventKey + "): " + e);
        }
        return problems;
    }
}
