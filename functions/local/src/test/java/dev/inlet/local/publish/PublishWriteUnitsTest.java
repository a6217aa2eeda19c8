package dev.inlet.local.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.dynamodb.DynamoDbEntityStore;
import dev.inlet.aws.dynamodb.DynamoDbEventStore;
import dev.inlet.aws.sqs.SqsEventQueue;
import dev.inlet.core.config.Env;
import dev.inlet.core.config.IntakeSettings;
import dev.inlet.core.config.ProcessingSettings;
import dev.inlet.core.ingest.Headers;
import dev.inlet.core.ingest.IntakeService;
import dev.inlet.core.ingest.RawRequest;
import dev.inlet.core.observe.Log;
import dev.inlet.core.observe.Metrics;
import dev.inlet.core.processing.ProcessingResult;
import dev.inlet.core.processing.ProcessingService;
import dev.inlet.core.publish.EventBus;
import dev.inlet.core.queue.QueueMessage;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.testing.CapturingSink;
import dev.inlet.core.testing.RecordingBus;
import dev.inlet.embedded.Backends;
import dev.inlet.embedded.LocalResources;
import dev.inlet.embedded.SamTemplate;
import dev.inlet.processor.Handlers;
import dev.inlet.rheo.RheoProvider;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.DoubleAdder;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * What publishing costs in DynamoDB writes (DynamoDB Local, consumed capacity asked of every update): the
 * processing of one Rheo item.sold webhook with the bus switched off, and with it on (the PROCESSED write
 * carries the pending event, then one more update marks it published).
 */
class PublishWriteUnitsTest {
    private final Clock clock = Clock.systemUTC();
    private final RheoProvider rheo = new RheoProvider(List.of("whsec_publish_test_not_a_real_secret"),
            Duration.ofMinutes(15));

    /** Adds up the write units every UpdateItem consumed. */
    private static final class Meter implements ExecutionInterceptor {
        final DoubleAdder units = new DoubleAdder();

        @Override
        public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
            return context.request() instanceof UpdateItemRequest u
                    ? u.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build() : context.request();
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.response() instanceof UpdateItemResponse r && r.consumedCapacity() != null) {
                units.add(r.consumedCapacity().capacityUnits());
            }
        }
    }

    @Test
    void publishing_addsOneSmallUpdate_andTheEventOnTheProcessedWrite() {
        double off = processingUnits(EventBus.disabled(), "off");
        double on = processingUnits(new RecordingBus(), "on");

        System.out.printf("write units of processing one 600-byte Rheo item.sold: bus off %.1f, bus on %.1f%n", off, on);
        assertTrue(off >= 3, "claim, entity, PROCESSED: " + off);
        assertEquals(off + 2, on, 1.0, "the PROCESSED write carries the event (up to one unit more) and one update "
                + "marks it published: off " + off + ", on " + on);
    }

    private double processingUnits(EventBus bus, String name) {
        Meter meter = new Meter();
        LocalResources resources = LocalResources.create(SamTemplate.load(SamTemplate.locate()), Backends.shared(),
                "t" + Long.toHexString(System.nanoTime()) + "-", Optional.of(2));
        Map<String, String> env = new HashMap<>(Backends.shared().awsEnvironment());
        env.put("EVENTS_TABLE", resources.ref("EventsTable").orElseThrow());
        env.put("EVENTS_QUEUE_URL", resources.ref("EventsQueue").orElseThrow());
        AwsClients clients = new AwsClients(BackendSettings.from(Env.of(env)), meter);
        CapturingSink sink = new CapturingSink();
        Log log = new Log(sink, clock);
        Metrics metrics = new Metrics(sink, clock);
        DynamoDbEventStore store = new DynamoDbEventStore(clients.dynamoDb(), env.get("EVENTS_TABLE"));
        IntakeService intake = new IntakeService(rheo, store, new SqsEventQueue(clients.sqs(), env.get("EVENTS_QUEUE_URL")),
                IntakeSettings.from(Env.of(Map.of())), clock, log, metrics);
        ProcessingService processing = new ProcessingService(store, Handlers.defaults(new DynamoDbEntityStore(
                clients.dynamoDb(), resources.ref("EntitiesTable").orElseThrow()), log, metrics).build(), bus,
                ProcessingSettings.from(Env.of(Map.of()), Duration.ofSeconds(5)), clock, log, metrics);
        String id = "evt_wcu_" + name;
        byte[] body = ("{\"eventId\":\"" + id + "\",\"timestamp\":\"" + Instant.now() + "\",\"eventType\":\"item.sold\","
                + "\"data\":{\"externalId\":\"SKU-4711\",\"rheoItemId\":\"r-4711\",\"platform\":\"tradera\","
                + "\"salePrice\":1250,\"currency\":\"SEK\",\"traderaAdId\":612345678,"
                + "\"traderaAdUrl\":\"https://www.tradera.com/item/612345678\",\"title\":\"Vintage Fender Stratocaster "
                + "1978 sunburst, original case, new strings, small dents on the back, plays great\"}}")
                .getBytes(StandardCharsets.UTF_8);
        intake.receive(new RawRequest(body, Headers.of(Map.of("x-rheo-signature", rheo.sign(0, body))), Map.of(), "t"));
        meter.units.reset();
        ProcessingResult result = processing.process(new QueueMessage(new EventKey("rheo", id), "item.sold"));
        assertTrue(result instanceof ProcessingResult.Processed, result.toString());
        return meter.units.sum();
    }
}
