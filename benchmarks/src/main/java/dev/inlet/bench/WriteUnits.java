package dev.inlet.bench;

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
import dev.inlet.core.processing.ProcessingService;
import dev.inlet.core.queue.QueueMessage;
import dev.inlet.core.store.EventKey;
import dev.inlet.embedded.EmbeddedBackends;
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
import java.util.Random;
import java.util.concurrent.atomic.DoubleAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Write units of one event's whole life (intake put into the outbox and listing indexes, claim out of the
 * outbox, PROCESSED, entity update) for 1 KB and 16 KB Rheo bodies, through the real adapters against
 * DynamoDB Local, every write asking for ReturnConsumedCapacity INDEXES, so each call's units are shown
 * per table and index. Target for 1 KB: 7 with the listing index, 6 without.
 */
public final class WriteUnits {
    private WriteUnits() {
    }

    /** Asks every write for its consumed capacity and adds it up. */
    static final class Meter implements ExecutionInterceptor {
        final DoubleAdder units = new DoubleAdder();
        final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutItemRequest p) {
                return p.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build();
            }
            if (context.request() instanceof UpdateItemRequest u) {
                return u.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build();
            }
            return context.request();
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            SdkResponse r = context.response();
            ConsumedCapacity c = r instanceof PutItemResponse p ? p.consumedCapacity()
                    : r instanceof UpdateItemResponse u ? u.consumedCapacity() : null;
            if (c != null && c.capacityUnits() != null) {
                units.add(c.capacityUnits());
                StringBuilder where = new StringBuilder();
                if (c.table() != null) {
                    where.append("table ").append(c.table().capacityUnits());
                }
                if (c.globalSecondaryIndexes() != null) {
                    c.globalSecondaryIndexes().forEach((name, cap) -> where.append(", ").append(name).append(' ')
                            .append(cap.capacityUnits()));
                }
                String op = r.getClass().getSimpleName().replace("Response", "");
                String update = context.request() instanceof UpdateItemRequest u ? " " + u.updateExpression() : "";
                calls.add(String.format("    %-10s %4.1f  (%s)%s", op, c.capacityUnits(), where,
                        update.length() > 60 ? update.substring(0, 60) + "..." : update));
            }
        }

        double takeAndReset() {
            return units.sumThenReset();
        }
    }

    public static void main(String[] args) throws Exception {
        Meter meter = new Meter();
        try (EmbeddedBackends backends = EmbeddedBackends.start(0, 0)) {
            LocalResources resources = LocalResources.create(SamTemplate.load(SamTemplate.locate()), backends, "",
                    Optional.empty());
            Map<String, String> env = new HashMap<>(backends.awsEnvironment());
            env.put("EVENTS_TABLE", resources.ref("EventsTable").orElseThrow());
            env.put("EVENTS_QUEUE_URL", resources.ref("EventsQueue").orElseThrow());
            AwsClients clients = new AwsClients(BackendSettings.from(Env.of(env)), meter);
            Clock clock = Clock.systemUTC();
            java.util.concurrent.atomic.LongAdder logBytes = new java.util.concurrent.atomic.LongAdder();
            Log log = new Log((level, line) -> logBytes.add(line.getBytes(StandardCharsets.UTF_8).length + 1), clock);
            Metrics metrics = new Metrics((level, line) -> logBytes.add(line.getBytes(StandardCharsets.UTF_8).length + 1),
                    clock);
            DynamoDbEventStore store = new DynamoDbEventStore(clients.dynamoDb(), env.get("EVENTS_TABLE"));
            RheoProvider rheo = new RheoProvider(List.of("whsec_bench_test_not_a_real_secret"), Duration.ofMinutes(15));
            IntakeService intake = new IntakeService(rheo, store, new SqsEventQueue(clients.sqs(),
                    env.get("EVENTS_QUEUE_URL")), IntakeSettings.from(Env.of(Map.of())), clock, log, metrics);
            ProcessingService processing = new ProcessingService(store, Handlers.defaults(
                    new DynamoDbEntityStore(clients.dynamoDb(), resources.ref("EntitiesTable").orElseThrow()), log,
                    metrics).build(), ProcessingSettings.from(Env.of(Map.of()), java.time.Duration.ofSeconds(5)), clock, log, metrics);
            System.out.println("body      intake  processing+entity  total   (then each write: units, where)");
            for (int kb : new int[] {1, 16}) {
                byte[] body = body("evt_wcu_" + kb, kb * 1024);
                meter.takeAndReset();
                logBytes.reset();
                intake.receive(new RawRequest(body, Headers.of(Map.of("x-rheo-signature", rheo.sign(0, body))),
                        Map.of(), "bench"));
                double in = meter.takeAndReset();
                long intakeLog = logBytes.sumThenReset();
                processing.process(new QueueMessage(new EventKey("rheo", "evt_wcu_" + kb), "item.sold"));
                double proc = meter.takeAndReset();
                long processingLog = logBytes.sumThenReset();
                System.out.printf("%5d B   %6.1f  %17.1f  %5.1f%n", body.length, in, proc, in + proc);
                meter.calls.forEach(System.out::println);
                meter.calls.clear();
                System.out.printf("    log and metric lines: intake %d B, processing %d B%n", intakeLog, processingLog);
            }
        }
    }

    /** A realistic Rheo item.sold body padded to {@code size} bytes with varied (not repetitive) item data. */
    static byte[] body(String id, int size) {
        Random random = new Random(size);
        StringBuilder b = new StringBuilder("{\"eventId\":\"" + id + "\",\"timestamp\":\"" + Instant.now()
                + "\",\"eventType\":\"item.sold\",\"data\":{\"externalId\":\"SKU-" + id + "\",\"salePrice\":1250,"
                + "\"currency\":\"SEK\",\"images\":[");
        int n = 0;
        while (b.length() < size - 120) {
            b.append(n++ == 0 ? "" : ",").append("{\"url\":\"https://cdn.rheo.se/i/")
                    .append(Long.toHexString(random.nextLong())).append(".jpg\",\"w\":").append(random.nextInt(4000))
                    .append(",\"h\":").append(random.nextInt(3000)).append('}');
        }
        b.append("]}}");
        while (b.length() < size) {
            b.insert(b.length() - 2, ' ');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
