package dev.inlet.local.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.eventbridge.EventBridgeBus;
import dev.inlet.aws.testing.TestClients;
import dev.inlet.core.config.Env;
import dev.inlet.core.publish.BusUnavailableException;
import dev.inlet.core.publish.DomainEvent;
import dev.inlet.embedded.MotoServer;
import dev.inlet.embedded.SamTemplate;
import dev.inlet.local.Tools;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * {@link EventBridgeBus} against a real EventBridge API (moto's server; see {@link Tools} where it is not
 * installed): a bus, a rule for Reverb orders that became paid (the template's example) whose target is an
 * SQS queue in the same moto, read back by the test. PutEvents calls are counted at the SDK boundary.
 */
class EventBridgeBusTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAID_ORDERS = """
            {"source":["inlet.reverb"],"detail-type":["Reverb Order Changed"],"detail":{"current":{"status":["paid"]}}}""";

    private static MotoServer moto;
    private static Map<String, String> env;

    private final AtomicInteger putCalls = new AtomicInteger();
    private final List<Integer> entriesPerCall = new ArrayList<>();
    private String busName;
    private String queueUrl;
    private AwsClients clients;

    @BeforeAll
    static void start() throws Exception {
        Tools.require(Tools.MOTO_SERVER);
        moto = MotoServer.start();
        env = Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "test-not-a-key",
                "AWS_SECRET_ACCESS_KEY", "test-not-a-secret", "EVENTS_TABLE", "unused",
                "SQS_ENDPOINT", moto.endpoint().toString(), "EVENTBRIDGE_ENDPOINT", moto.endpoint().toString());
    }

    @AfterAll
    static void stop() {
        if (moto != null) {
            moto.close();
        }
    }

    @BeforeEach
    void busRuleAndTargetQueue() {
        busName = "inlet-test-" + Long.toHexString(System.nanoTime());
        Env e = Env.of(env).with("EVENT_BUS_NAME", busName);
        clients = TestClients.of(BackendSettings.from(e), new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof PutEventsRequest put) {
                    putCalls.incrementAndGet();
                    entriesPerCall.add(put.entries().size());
                }
            }
        });
        EventBridgeClient events = clients.eventBridge();
        SqsClient sqs = clients.sqs();
        events.createEventBus(r -> r.name(busName));
        queueUrl = sqs.createQueue(r -> r.queueName(busName + "-paid-orders")).queueUrl();
        String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        events.putRule(r -> r.name("paid-orders").eventBusName(busName).eventPattern(PAID_ORDERS));
        events.putTargets(r -> r.rule("paid-orders").eventBusName(busName)
                .targets(t -> t.id("queue").arn(queueArn)));
    }

    @Test
    void twelveEvents_arePutInTwoCalls_andTheRuleSendsOnlyThePaidOrdersToItsQueue() throws Exception {
        List<DomainEvent> events = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            events.add(order("evt-" + i, i % 3 == 0 ? "paid" : "shipped"));
        }

        EventBridgeBus.from(clients).publish(events);

        assertEquals(List.of(10, 2), entriesPerCall, "chunks of at most 10 entries, one call each");
        List<JsonNode> received = receiveAll();
        assertEquals(List.of("evt-0", "evt-3", "evt-6", "evt-9"),
                received.stream().map(m -> m.path("detail").path("eventKey").asText()).sorted().toList());
        JsonNode first = received.stream().filter(m -> m.path("detail").path("eventKey").asText().equals("evt-0"))
                .findFirst().orElseThrow();
        assertEquals("inlet.reverb", first.path("source").asText());
        assertEquals("Reverb Order Changed", first.path("detail-type").asText());
        assertEquals("2026-12-04T10:00:00Z", first.path("time").asText(), "the change's time, not the put's");
        assertEquals("paid", first.path("detail").path("current").path("status").asText());
    }

    @Test
    void theTemplatesExampleRule_routesOrdersThatBecamePaid_notOnesPaidBefore() throws Exception {
        JsonNode rule = SamTemplate.load(SamTemplate.locate()).resourcesOfType("AWS::Events::Rule")
                .get("ReverbOrderPaidRule").path("Properties");
        String queueArn = clients.sqs().getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        String pattern = JSON.writeValueAsString(rule.path("EventPattern"));
        clients.eventBridge().putRule(r -> r.name("paid-orders").eventBusName(busName).eventPattern(pattern));
        clients.eventBridge().putTargets(r -> r.rule("paid-orders").eventBusName(busName)
                .targets(t -> t.id("queue").arn(queueArn)));

        EventBridgeBus.from(clients).publish(List.of(
                change("new-and-paid", "null", "paid"),
                change("unpaid-to-paid", "{\"status\":\"unpaid\"}", "paid"),
                change("paid-again", "{\"status\":\"paid\"}", "paid"),
                change("paid-to-shipped", "{\"status\":\"paid\"}", "shipped")));

        assertEquals(List.of("new-and-paid", "unpaid-to-paid"),
                receiveAll().stream().map(m -> m.path("detail").path("eventKey").asText()).sorted().toList());
    }

    private static DomainEvent change(String key, String previous, String status) {
        String detail = "{\"eventKey\":\"" + key + "\",\"previous\":" + previous + ",\"current\":{\"status\":\""
                + status + "\"}}";
        return new DomainEvent("inlet.reverb", "Reverb Order Changed", detail, key,
                Instant.parse("2026-12-04T10:00:00Z"), Optional.empty());
    }

    @Test
    void eventsOverEventBridges256KbPerCall_areSplitBySize_evenUnderTenEntries() {
        String filler = "x".repeat(100 * 1024);
        List<DomainEvent> big = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String detail = "{\"eventKey\":\"big-" + i + "\",\"note\":\"" + filler + "\",\"current\":{\"status\":\"paid\"}}";
            big.add(new DomainEvent("inlet.reverb", "Reverb Order Changed", detail, "big-" + i,
                    Instant.parse("2026-12-04T10:00:00Z"), Optional.empty()));
        }

        EventBridgeBus.from(clients).publish(big);

        assertEquals(List.of(2, 1), entriesPerCall, "two 100 KB entries fit in 256 KB, a third does not");
    }

    @Test
    void anEntryTheBusRefuses_failsTheWholeCall_namingTheErrorCodeButNoDetail() {
        DomainEvent malformed = new DomainEvent("inlet.reverb", "Reverb Order Changed",
                "not json: buyer@example.invalid", "evt-bad", Instant.parse("2026-12-04T10:00:00Z"), Optional.empty());

        BusUnavailableException e = assertThrows(BusUnavailableException.class,
                () -> EventBridgeBus.from(clients).publish(List.of(order("evt-good", "paid"), malformed)));

        assertEquals("EventBridge took 1 of 2 events (MalformedDetail)", e.getMessage());
        assertFalse(e.getMessage().contains("buyer@"), "no detail in the message");
        assertEquals(1, putCalls.get(), "one call, not retried by the adapter");
    }

    @Test
    void anUnreachableEndpoint_isBusUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Env e = Env.of(env).with("EVENT_BUS_NAME", busName)
                .with("EVENTBRIDGE_ENDPOINT", "http://127.0.0.1:" + closedPort);
        AwsClients unreachable = new AwsClients(BackendSettings.from(e), new AwsClients.Timeouts(
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(2)));

        BusUnavailableException thrown = assertThrows(BusUnavailableException.class,
                () -> EventBridgeBus.from(unreachable).publish(List.of(order("evt-1", "paid"))));

        assertTrue(thrown.getMessage().startsWith("EventBridge PutEvents failed: "), thrown.getMessage());
    }

    @Test
    void anEmptyBusName_switchesPublishingOff_andPutsNothing() {
        AwsClients noBus = TestClients.of(BackendSettings.from(Env.of(env).with("EVENT_BUS_NAME", "")));

        EventBridgeBus bus = EventBridgeBus.from(noBus);
        bus.publish(List.of(order("evt-1", "paid")));

        assertFalse(bus.enabled());
        assertEquals(0, putCalls.get());
        assertTrue(EventBridgeBus.from(clients).enabled());
    }

    @Test
    void theTraceHeader_isAcceptedOnTheEntry_andTheEventStillArrives() throws Exception {
        DomainEvent traced = order("evt-traced", "paid")
                .withTraceHeader(Optional.of("Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1"));

        EventBridgeBus.from(clients).publish(List.of(traced));

        assertEquals(List.of("evt-traced"),
                receiveAll().stream().map(m -> m.path("detail").path("eventKey").asText()).toList());
    }

    private static DomainEvent order(String key, String status) {
        String detail = "{\"eventKey\":\"" + key + "\",\"current\":{\"status\":\"" + status + "\"}}";
        return new DomainEvent("inlet.reverb", "Reverb Order Changed", detail, key,
                Instant.parse("2026-12-04T10:00:00Z"), Optional.empty());
    }

    private List<JsonNode> receiveAll() throws Exception {
        List<JsonNode> all = new ArrayList<>();
        while (true) {
            List<Message> batch = clients.sqs().receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(0)).messages();
            if (batch.isEmpty()) {
                return all;
            }
            for (Message m : batch) {
                all.add(JSON.readTree(m.body()));
                clients.sqs().deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
    }
}
