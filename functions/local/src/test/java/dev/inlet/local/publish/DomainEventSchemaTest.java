package dev.inlet.local.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.aws.dynamodb.DynamoDbEntityStore;
import dev.inlet.aws.dynamodb.DynamoDbEventStore;
import dev.inlet.aws.lambda.HttpApiEvent;
import dev.inlet.core.config.Env;
import dev.inlet.core.config.ProcessingSettings;
import dev.inlet.core.ingest.Envelope;
import dev.inlet.core.ingest.Headers;
import dev.inlet.core.ingest.RawRequest;
import dev.inlet.core.observe.Log;
import dev.inlet.core.observe.Metrics;
import dev.inlet.core.processing.ProcessingResult;
import dev.inlet.core.processing.ProcessingService;
import dev.inlet.core.publish.DomainEvent;
import dev.inlet.core.queue.QueueMessage;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.testing.CapturingSink;
import dev.inlet.core.testing.Checks;
import dev.inlet.core.testing.RecordingBus;
import dev.inlet.embedded.Backends;
import dev.inlet.embedded.LocalResources;
import dev.inlet.embedded.SamTemplate;
import dev.inlet.local.emulator.EnvFile;
import dev.inlet.local.samples.ProviderSamples;
import dev.inlet.local.samples.SampleRequest;
import dev.inlet.local.samples.Samples;
import dev.inlet.processor.Handlers;
import dev.inlet.processor.publish.DetailTypes;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every published event matches its detail-type's schema in docs/events/: every webhook of events/ and every
 * provider sample runs through the real default handlers (DynamoDB Local entity and event tables) into a
 * recording bus, then is replayed once (so each detail-type is seen with and without a previous state); and
 * the detail-types published, the documented set ({@link DetailTypes#ALL}) and the schema files are the same.
 */
class DomainEventSchemaTest {
    private final RecordingBus bus = new RecordingBus();
    private final Clock clock = Clock.systemUTC();
    private final String run = Long.toHexString(System.nanoTime());

    @Test
    void everyPublishedEvent_matchesItsDetailTypesSchema_andEveryDetailTypeHasASchemaAndAnEvent() throws Exception {
        LocalResources resources = LocalResources.create(SamTemplate.load(SamTemplate.locate()), Backends.shared(),
                "t" + run + "-", Optional.of(2));
        DynamoDbEventStore events = new DynamoDbEventStore(Backends.shared().dynamo(),
                resources.ref("EventsTable").orElseThrow());
        CapturingSink sink = new CapturingSink();
        Log log = new Log(sink, clock);
        Metrics metrics = new Metrics(sink, clock);
        ProcessingService processing = new ProcessingService(events, Handlers.defaults(new DynamoDbEntityStore(
                Backends.shared().dynamo(), resources.ref("EntitiesTable").orElseThrow()), log, metrics).build(), bus,
                new ProcessingSettings(Duration.ofSeconds(90), 5, Duration.ofSeconds(10), Duration.ofSeconds(5)),
                clock, log, metrics);

        List<EventKey> processed = new ArrayList<>();
        for (Webhook w : webhooks()) {
            Envelope envelope = Samples.of(w.provider()).orElseThrow().provider(w.env())
                    .read(new RawRequest(w.body(), Headers.of(w.headers()), w.pathParameters(), "schema-test"));
            EventKey key = new EventKey(w.provider(), envelope.dedupKey() + "-" + run);
            Instant now = clock.instant();
            events.create(EventRecord.received(key, envelope.eventType(), now, envelope.providerTime(), w.body(),
                    Map.of(), now.plusSeconds(30), now.plus(Duration.ofDays(1))), now);
            assertTrue(processing.process(new QueueMessage(key, envelope.eventType())) instanceof ProcessingResult.Processed,
                    w.name());
            processed.add(key);
        }
        for (EventKey key : processed) {
            Instant now = clock.instant();
            assertTrue(events.markForReplay(key, now, now.plusSeconds(30)), key.id());
            processing.process(new QueueMessage(key, events.find(key, now).orElseThrow().eventType()));
        }

        EventSchemas schemas = EventSchemas.load();
        List<DomainEvent> published = bus.events();
        List<String> problems = new ArrayList<>();
        published.forEach(e -> problems.addAll(schemas.problems(e)));
        assertEquals(List.of(), problems, "every event matches its schema");

        Set<String> publishedTypes = new TreeSet<>(published.stream().map(DomainEvent::detailType).toList());
        assertEquals(new TreeSet<>(DetailTypes.ALL), publishedTypes, "every documented detail-type is published");
        assertEquals(new TreeSet<>(DetailTypes.ALL), new TreeSet<>(schemas.detailTypes()),
                "one schema per detail-type, and none for a detail-type never published");
        for (String type : DetailTypes.ALL) {
            assertTrue(Files.exists(EventSchemas.directory().resolve(DetailTypes.schemaFile(type))),
                    "the schema of " + type + " is " + DetailTypes.schemaFile(type));
            assertTrue(published.stream().anyMatch(e -> e.detailType().equals(type) && e.detail().contains(
                    "\"previous\":null")) || published.stream().filter(e -> e.detailType().equals(type)).count() > 1,
                    type + " is seen with a previous state and without");
        }
    }

    @Test
    void aDetailThatBreaksTheContract_isReported_asIsADetailTypeWithoutSchema() {
        EventSchemas schemas = EventSchemas.load();
        String detail = "{\"entity\":{\"provider\":\"rheo\",\"type\":\"item\",\"id\":\"SKU-1\"},\"previous\":null,"
                + "\"current\":{\"status\":\"SOLD\",\"fields\":{\"salePrice\":\"1250\"}},\"version\":1,"
                + "\"eventKey\":\"rheo#evt_1\",\"eventType\":\"item.sold\",\"providerTime\":null,"
                + "\"receivedAt\":\"2026-11-25T10:00:00Z\"}";

        List<String> noCurrency = schemas.problems(new DomainEvent("inlet.rheo", "Rheo Item Sold", detail, "rheo#evt_1",
                Instant.EPOCH, Optional.empty()));
        List<String> wrongSource = schemas.problems(new DomainEvent("inlet.reverb", "Rheo Item Sold",
                detail.replace("\"1250\"}", "\"1250\",\"currency\":\"SEK\"}"), "rheo#evt_1", Instant.EPOCH,
                Optional.empty()));
        List<String> versionZero = schemas.problems(new DomainEvent("inlet.rheo", "Rheo Item Sold",
                detail.replace("\"1250\"}", "\"1250\",\"currency\":\"SEK\"}").replace("\"version\":1", "\"version\":0"),
                "rheo#evt_1", Instant.EPOCH, Optional.empty()));
        List<String> unknown = schemas.problems(new DomainEvent("inlet.rheo", "Rheo Item Teleported", detail,
                "rheo#evt_1", Instant.EPOCH, Optional.empty()));

        assertFalse(noCurrency.isEmpty(), "an amount without its currency");
        assertTrue(noCurrency.stream().anyMatch(p -> p.contains("currency")), noCurrency.toString());
        assertTrue(wrongSource.stream().anyMatch(p -> p.contains("source")), wrongSource.toString());
        assertTrue(versionZero.stream().anyMatch(p -> p.contains("version")), "checked through common.schema.json: "
                + versionZero);
        assertEquals(List.of("no schema in docs/events/ for detail-type \"Rheo Item Teleported\""), unknown);
    }

    /** A signed webhook: a file of events/, or a provider sample. */
    private record Webhook(String name, String provider, Env env, byte[] body, Map<String, String> headers,
                           Map<String, String> pathParameters) {}

    private List<Webhook> webhooks() throws Exception {
        List<Webhook> out = new ArrayList<>();
        Path events = SamTemplate.locate().resolveSibling("events");
        EnvFile envFile = EnvFile.load(events.resolve("env.json"));
        for (ProviderSamples samples : Samples.all()) {
            String provider = samples.provider();
            Env env = Env.of(envFile.forFunction(receiverOf(provider)));
            try (Stream<Path> files = Files.list(events.resolve(provider))) {
                for (Path file : Checks.nonEmpty(files.filter(p -> p.toString().endsWith(".json")).sorted().toList(),
                        "event file in events/" + provider)) {
                    HttpApiEvent e = HttpApiEvent.read(new ByteArrayInputStream(Files.readAllBytes(file)));
                    byte[] body = e.isBase64Encoded() ? java.util.Base64.getDecoder().decode(e.body())
                            : e.body().getBytes(StandardCharsets.UTF_8);
                    out.add(new Webhook(file.toString(), provider, env, body, e.headers(), e.pathParameters()));
                }
            }
            for (String type : samples.eventTypes()) {
                SampleRequest r = samples.build(type, env, clock.instant(), "schema-" + run + "-" + type);
                out.add(new Webhook(provider + " sample " + type, provider, env, r.body(), r.headers(),
                        r.pathParameters()));
            }
        }
        return out;
    }

    private static String receiverOf(String provider) {
        return Character.toUpperCase(provider.charAt(0)) + provider.substring(1) + "ReceiverFunction";
    }
}
