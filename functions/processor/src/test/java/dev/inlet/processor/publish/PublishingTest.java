package dev.inlet.processor.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.aws.dynamodb.DynamoDbEntityStore;
import dev.inlet.aws.dynamodb.DynamoDbEventStore;
import dev.inlet.aws.sqs.SqsDeadLetterQueue;
import dev.inlet.core.config.ProcessingSettings;
import dev.inlet.core.json.Json;
import dev.inlet.core.observe.Log;
import dev.inlet.core.observe.Metrics;
import dev.inlet.core.processing.HandlerRegistry;
import dev.inlet.core.processing.ProcessingResult;
import dev.inlet.core.processing.ProcessingService;
import dev.inlet.core.publish.DomainEvent;
import dev.inlet.core.publish.EventBus;
import dev.inlet.core.queue.QueueMessage;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStatus;
import dev.inlet.core.store.StatusHistory;
import dev.inlet.core.testing.CapturingSink;
import dev.inlet.core.testing.MutableClock;
import dev.inlet.core.testing.RecordingBus;
import dev.inlet.embedded.Backends;
import dev.inlet.embedded.LocalResources;
import dev.inlet.embedded.SamTemplate;
import dev.inlet.processor.Handlers;
import dev.inlet.processor.SqsBatchProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Publishing entity changes (docs/events/README.md), with the default handlers, on the real events and
 * entities tables (DynamoDB Local): what is published when, what the record remembers, and what a bus
 * failure, a redelivery and a replay do.
 */
class PublishingTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final String TRACE = "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1";
    private static DynamoDbEventStore events;
    private static DynamoDbEntityStore entities;
    private static String deadLetterUrl;

    private final MutableClock clock = new MutableClock(T0);
    private final CapturingSink sink = new CapturingSink();
    private final RecordingBus bus = new RecordingBus();
    private final AtomicInteger soldRuns = new AtomicInteger();
    /** Distinct ids per test: the tables are shared by the tests of the class. */
    private final String run = Long.toHexString(System.nanoTime());

    @BeforeAll
    static void start() {
        LocalResources r = LocalResources.create(SamTemplate.load(SamTemplate.locate()), Backends.shared(),
                "t" + Long.toHexString(System.nanoTime()) + "-", Optional.of(2));
        events = new DynamoDbEventStore(Backends.shared().dynamo(), r.ref("EventsTable").orElseThrow());
        entities = new DynamoDbEntityStore(Backends.shared().dynamo(), r.ref("EntitiesTable").orElseThrow());
        deadLetterUrl = r.ref("EventsDeadLetterQueue").orElseThrow();
    }

    private ProcessingService processing;

    @BeforeEach
    void wire() {
        processing = processing(bus);
    }

    private ProcessingService processing(EventBus with) {
        Log log = new Log(sink, clock);
        Metrics metrics = new Metrics(sink, clock);
        HandlerRegistry handlers = Handlers.defaults(entities, log, metrics)
                .also("rheo", "item.sold", event -> soldRuns.incrementAndGet()).build();
        return new ProcessingService(events, handlers, with,
                new ProcessingSettings(Duration.ofSeconds(90), 5, Duration.ofSeconds(10), Duration.ofSeconds(5)),
                clock, log, metrics);
    }

    private String sku() {
        return "SKU-" + run;
    }

    private EventKey key(String id) {
        return new EventKey("rheo", id + "-" + run);
    }

    /** Stores a Rheo event as intake does and returns the message that points at it. */
    private QueueMessage rheo(String id, String type, Instant at, String extra) {
        String body = "{\"eventId\":\"" + id + "-" + run + "\",\"eventType\":\"" + type + "\",\"timestamp\":\"" + at
                + "\",\"data\":{\"externalId\":\"" + sku() + "\",\"rheoItemId\":\"r-" + run + "\"" + extra + "}}";
        return stored(key(id), type, at, body);
    }

    private QueueMessage stored(EventKey key, String type, Instant at, String body) {
        Instant now = clock.instant();
        events.create(EventRecord.received(key, type, now, Optional.of(at), body.getBytes(StandardCharsets.UTF_8),
                Map.of(), now.plusSeconds(30), now.plus(Duration.ofDays(30))), now);
        return new QueueMessage(key, type);
    }

    private QueueMessage sold(String id, Instant at) {
        return rheo(id, "item.sold", at, ",\"salePrice\":1250,\"currency\":\"SEK\"");
    }

    private EventRecord record(EventKey key) {
        return events.find(key, clock.instant()).orElseThrow(() -> new AssertionError("no record " + key));
    }

    private static JsonNode detail(DomainEvent e) throws Exception {
        return Json.parse(e.detail());
    }

    @Test
    void appliedChange_publishesOneEvent_withThePreviousAndNewState_andTheRecordIsMarkedPublished() throws Exception {
        assertInstanceOf(ProcessingResult.Processed.class,
                processing.process(rheo("evt_listed", "listing.created", T0, ",\"traderaAdId\":612345678")));
        clock.advance(Duration.ofSeconds(5));
        bus.clear();

        QueueMessage sold = sold("evt_sold", T0.plusSeconds(60));
        assertInstanceOf(ProcessingResult.Processed.class, processing.process(sold));

        assertEquals(1, bus.events().size(), "one applied change, one event");
        DomainEvent published = bus.events().get(0);
        assertEquals("inlet.rheo", published.source());
        assertEquals("Rheo Item Sold", published.detailType());
        assertEquals(sold.key().id(), published.eventKey());
        assertEquals(T0.plusSeconds(60), published.time(), "the provider's time");
        JsonNode detail = detail(published);
        assertEquals("item", detail.path("entity").path("type").asText());
        assertEquals(sku(), detail.path("entity").path("id").asText());
        assertEquals("LISTED", detail.path("previous").path("status").asText());
        assertEquals("612345678", detail.path("previous").path("fields").path("traderaAdId").asText());
        assertEquals("SOLD", detail.path("current").path("status").asText());
        assertEquals("1250", detail.path("current").path("fields").path("salePrice").asText());
        assertEquals("SEK", detail.path("current").path("fields").path("currency").asText());
        assertEquals("r-" + run, detail.path("current").path("fields").path("rheoItemId").asText());
        assertEquals(2, detail.path("version").asLong());
        assertEquals(sold.key().id(), detail.path("eventKey").asText());
        assertEquals("item.sold", detail.path("eventType").asText());
        assertEquals(T0.plusSeconds(60).toString(), detail.path("providerTime").asText());
        assertEquals(T0.plusSeconds(5).toString(), detail.path("receivedAt").asText());

        EventRecord done = record(sold.key());
        assertEquals(EventStatus.PROCESSED, done.status());
        assertTrue(done.pending().isEmpty(), "nothing left to publish");
        assertEquals(1, done.publishedCount());
        assertEquals(Optional.of(clock.instant()), done.history().lastPublishedAt());
        List<StatusHistory.Step> timeline = done.timeline();
        assertEquals("published", timeline.get(timeline.size() - 1).what(), "the console's timeline: " + timeline);
        assertEquals(2, sink.lines().stream().filter(l -> l.contains("\"_aws\"") && l.contains("\"published\":1"))
                .count(), "the published metric counts each change's event (the listing's and the sale's)");
    }

    @Test
    void staleEvent_publishesNothing_andCompletes() {
        processing.process(sold("evt_new", T0.plusSeconds(60)));
        bus.clear();

        QueueMessage late = rheo("evt_old", "listing.created", T0, "");
        assertInstanceOf(ProcessingResult.Processed.class, processing.process(late));

        assertEquals(List.of(), bus.events(), "an older event changes nothing and publishes nothing");
        assertTrue(record(late.key()).pending().isEmpty());
        assertEquals(0, record(late.key()).publishedCount());
    }

    @Test
    void busDown_leavesTheMessage_withTheEventsPendingOnTheProcessedRecord_andTheRedeliveryPublishesThemWithoutRunningTheHandlerAgain() {
        QueueMessage sold = sold("evt_bus", T0).withTraceHeader(Optional.of(TRACE));
        bus.setDown(true);

        ProcessingResult first = processing.process(sold);

        assertInstanceOf(ProcessingResult.RetryLater.class, first, "the message stays on the queue");
        EventRecord afterFailure = record(sold.key());
        assertEquals(EventStatus.PROCESSED, afterFailure.status(), "the change was applied and recorded");
        assertEquals(1, afterFailure.pending().orElseThrow().events().size());
        assertEquals("Rheo Item Sold", afterFailure.pending().get().events().get(0).detailType());
        assertEquals(1, soldRuns.get());
        assertEquals(2, sink.count("publish_failed"), "logged and counted: " + sink.all());
        long entityVersion = entities.find(new dev.inlet.core.entity.EntityKey("rheo", "item", sku()))
                .orElseThrow().version();

        bus.setDown(false);
        clock.advance(Duration.ofMinutes(2));
        ProcessingResult redelivered = processing.process(sold);

        assertInstanceOf(ProcessingResult.Skipped.class, redelivered, "done with: SQS may delete it");
        assertEquals(1, soldRuns.get(), "the handler did not run again");
        assertEquals(entityVersion, entities.find(new dev.inlet.core.entity.EntityKey("rheo", "item", sku()))
                .orElseThrow().version(), "the state was not applied twice");
        assertEquals(1, bus.events().size());
        assertEquals(afterFailure.pending().get().events(), bus.events(), "what the first attempt applied");
        assertEquals(Optional.of(TRACE), bus.events().get(0).traceHeader(), "under the webhook's trace");
        EventRecord published = record(sold.key());
        assertTrue(published.pending().isEmpty());
        assertEquals(1, published.publishedCount());

        assertInstanceOf(ProcessingResult.Skipped.class, processing.process(sold));
        assertEquals(1, bus.events().size(), "a later duplicate publishes nothing more");
    }

    @Test
    void replay_publishesTheChangeAgain_withTheSameEventKey() throws Exception {
        QueueMessage sold = sold("evt_replay", T0);
        processing.process(sold);
        clock.advance(Duration.ofMinutes(5));

        assertTrue(events.markForReplay(sold.key(), clock.instant(), clock.instant().plusSeconds(30)));
        assertInstanceOf(ProcessingResult.Processed.class, processing.process(sold));

        assertEquals(2, bus.events().size());
        DomainEvent first = bus.events().get(0);
        DomainEvent again = bus.events().get(1);
        assertEquals(first.eventKey(), again.eventKey(), "consumers deduplicate the replay by the event key");
        assertEquals(first.detailType(), again.detailType());
        assertEquals(detail(first).path("eventKey"), detail(again).path("eventKey"));
        assertEquals("SOLD", detail(again).path("previous").path("status").asText(), "the row already held it");
        assertEquals(2, record(sold.key()).publishedCount());
    }

    @Test
    void busSwitchedOff_storesNothingPending_andPublishesNothing() {
        processing = processing(EventBus.disabled());
        QueueMessage sold = sold("evt_off", T0);

        assertInstanceOf(ProcessingResult.Processed.class, processing.process(sold));

        EventRecord done = record(sold.key());
        assertTrue(done.pending().isEmpty(), "nothing remembered");
        assertEquals(0, done.publishedCount());
        assertTrue(done.history().lastPublishedAt().isEmpty());
        assertEquals("SOLD", entities.find(new dev.inlet.core.entity.EntityKey("rheo", "item", sku()))
                .orElseThrow().state(), "the change itself is applied");
    }

    @Test
    void aContactsDeliveryOfTwentyThreeContacts_publishesTwentyThreeEvents_inCallsOfAtMostTen() {
        String contacts = IntStream.range(0, 23)
                .mapToObj(i -> "{\"id\":\"c" + i + "-" + run + "\",\"display_name\":\"Test Person " + i + "\"}")
                .collect(Collectors.joining(","));
        EventKey key = new EventKey("rechat", "evt_contacts-" + run);
        QueueMessage message = stored(key, "Contacts.create", T0, "{\"payload\":{\"data\":[" + contacts + "]}}");

        assertInstanceOf(ProcessingResult.Processed.class, processing.process(message));

        assertEquals(List.of(10, 10, 3), bus.calls().stream().map(List::size).toList());
        assertEquals(23, bus.events().stream().map(e -> e.detail()).distinct().count(), "one per contact");
        assertTrue(bus.events().stream().allMatch(e -> e.detailType().equals("Rechat Contact Changed")
                && e.eventKey().equals(key.id())));
        assertEquals(23, record(key).publishedCount());
    }

    @Test
    void aTraceHeaderOnTheSqsRecord_goesOnThePublishedEvents() {
        QueueMessage sold = sold("evt_trace", T0);
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId("m1");
        m.setBody(sold.toJson());
        m.setAttributes(new HashMap<>(Map.of("ApproximateReceiveCount", "1", "AWSTraceHeader", TRACE)));
        SQSEvent batch = new SQSEvent();
        batch.setRecords(List.of(m));
        SqsBatchProcessor processor = new SqsBatchProcessor(processing,
                new SqsDeadLetterQueue(Backends.shared().sqs(), deadLetterUrl), new Log(sink, clock));

        assertTrue(processor.process(batch).getBatchItemFailures().isEmpty());

        assertEquals(List.of(Optional.of(TRACE)), bus.events().stream().map(DomainEvent::traceHeader).toList());
        assertFalse(sold.toJson().contains("Root="), "the trace header is not in the message body");
    }

    @Test
    void aHandlerOfYourOwn_addsItsOwnEvent_publishedWithTheDefaults() {
        Log log = new Log(sink, clock);
        Metrics metrics = new Metrics(sink, clock);
        HandlerRegistry handlers = Handlers.defaults(entities, log, metrics)
                .also("rheo", "item.sold", event -> event.domainEvents().add(new DomainEvent("acme.sales",
                        "Sale Booked", "{\"sku\":\"" + sku() + "\"}", event.key().id(), event.receivedAt(),
                        Optional.empty()))).build();
        processing = new ProcessingService(events, handlers, bus,
                new ProcessingSettings(Duration.ofSeconds(90), 5, Duration.ofSeconds(10), Duration.ofSeconds(5)),
                clock, log, metrics);

        processing.process(sold("evt_own", T0));

        assertEquals(List.of("Rheo Item Sold", "Sale Booked"),
                bus.events().stream().map(DomainEvent::detailType).toList());
    }
}
