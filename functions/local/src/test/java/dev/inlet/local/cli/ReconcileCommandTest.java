package dev.inlet.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.dynamodb.DynamoDbCursorStore;
import dev.inlet.aws.dynamodb.DynamoDbEntityStore;
import dev.inlet.aws.dynamodb.DynamoDbEventStore;
import dev.inlet.core.config.Env;
import dev.inlet.core.entity.EntityKey;
import dev.inlet.core.entity.EntityState;
import dev.inlet.core.json.Json;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventQuery;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventSource;
import dev.inlet.core.store.EventStatus;
import dev.inlet.local.StackClient;
import dev.inlet.local.emulator.LocalStack;
import dev.inlet.local.reconcile.ReverbStandIn;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ./inlet reconcile reverb} against a loopback stand-in of Reverb's API and a real local stack
 * (DynamoDB Local, ElasticMQ, the receivers and the processor): issue 25's "Done when", as a test.
 */
class ReconcileCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private LocalStack stack;
    private ReverbStandIn reverb;
    private StackClient client;
    private Env target;
    private DynamoDbEntityStore entities;
    private DynamoDbEventStore events;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        stack = LocalStack.start(LocalStack.Options.forTests());
        reverb = new ReverbStandIn(1); // one order a page: every listing below spans pages
        client = new StackClient(stack, "ReverbReceiverFunction");
        target = stack.commandEnvironment();
        var dynamo = new AwsClients(BackendSettings.from(target)).dynamoDb();
        entities = new DynamoDbEntityStore(dynamo, target.required("ENTITIES_TABLE"));
        events = new DynamoDbEventStore(dynamo, target.required("EVENTS_TABLE"));
    }

    @AfterEach
    void stop() {
        reverb.close();
        stack.close();
    }

    /** {@code ./inlet reconcile reverb <args>} with REVERB_API_TOKEN and REVERB_API_BASE pointing at the stand-in. */
    private int reconcile(String... args) {
        errBytes.reset();
        Env processEnv = Env.of(Map.of("REVERB_API_TOKEN", ReverbStandIn.TOKEN, "REVERB_API_BASE", reverb.base()));
        return ReconcileCommand.run(ReconcileCommand.args(List.of(args)), target, processEnv,
                new PrintStream(errBytes, true, StandardCharsets.UTF_8), Clock.systemUTC());
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    /** An orders/update webhook as Reverb delivers it, through the local stack's HTTP route; waits until processed. */
    private void webhook(String orderNumber, String status, Instant updatedAt) throws Exception {
        byte[] body = Json.write(ReverbStandIn.orderJson(orderNumber, status, updatedAt)).getBytes(StandardCharsets.UTF_8);
        String token = stack.functionSettings().list("REVERB_PATH_TOKENS").get(0);
        var response = client.post("/webhooks/reverb/orders-update/" + token,
                Map.of("content-type", "application/json"), body);
        assertEquals(200, response.statusCode(), response.body());
        EventKey key = new EventKey("reverb", new dev.inlet.reverb.ReverbProvider(List.of()).read(
                new dev.inlet.core.ingest.RawRequest(body, dev.inlet.core.ingest.Headers.empty(),
                        Map.of("topic", "orders-update"), "t")).dedupKey());
        client.awaitStatus("reverb", key.dedupKey(), EventStatus.PROCESSED, WAIT);
    }

    private List<EventRecord> reconciled() {
        return events.list(new EventQuery(Optional.of("reverb"), Optional.empty(), Optional.empty(), Optional.empty(),
                1000), Instant.now()).stream().filter(r -> r.source() == EventSource.RECONCILE).toList();
    }

    private EntityState awaitOrder(String orderNumber, String state) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        Optional<EntityState> last = Optional.empty();
        while (Instant.now().isBefore(deadline)) {
            last = entities.find(new EntityKey("reverb", "order", orderNumber));
            if (last.isPresent() && last.get().state().equals(state)) {
                return last.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("order " + orderNumber + " never reached " + state + "; last " + last);
    }

    private String printed(java.util.function.Consumer<PrintStream> command) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        command.accept(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void doneWhen_aLostWebhooksOrderIsRecoveredOnce_aRepeatAddsNothing_andADeliveredOrderAddsNothing() throws Exception {
        // Given order 5001 delivered as paid, then shipped while its webhook was lost; 5002 delivered as shipped.
        webhook("5001", "paid", now.minus(Duration.ofHours(2)));
        webhook("5002", "shipped", now.minus(Duration.ofHours(1)));
        reverb.order("5001", "shipped", now.minus(Duration.ofMinutes(30)))
                .order("5002", "shipped", now.minus(Duration.ofHours(1)));

        // When ./inlet reconcile reverb runs (no window given: the first run looks back a day).
        int rc = reconcile("reverb");

        // Then one order is recovered, through the intake, and processed into the entity state.
        assertEquals(0, rc, err());
        assertTrue(err().contains("pages 2, orders seen 2, already known 1, recovered 1"), err());
        assertTrue(err().contains("recovered     reverb#order#5001  shipped"), err());
        assertTrue(err().contains("Cursor moved to"), err());
        EntityState order = awaitOrder("5001", "shipped");
        assertEquals(2, order.version(), "the webhook's paid, then the recovered shipped");
        String table = printed(out -> EntitiesCommand.print(entities, Optional.of("reverb"), Optional.of("order"), 0,
                false, out));
        assertTrue(table.lines().anyMatch(l -> l.contains("5001") && l.contains("shipped")), table);

        List<EventRecord> recovered = reconciled();
        assertEquals(1, recovered.size(), "one event with source reconcile: " + recovered);
        EventKey key = recovered.get(0).key();
        assertTrue(key.dedupKey().startsWith("orders/update|5001|"), key.id());
        EventRecord done = client.awaitStatus("reverb", key.dedupKey(), EventStatus.PROCESSED, WAIT);
        String listed = printed(out -> EventsCommand.print(events, new EventQuery(Optional.of("reverb"),
                Optional.empty(), Optional.empty(), Optional.empty(), 50), true, out, Instant.now()));
        List<JsonNode> lines = listed.lines().map(l -> {
            try {
                return Json.parse(l);
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        }).toList();
        assertEquals(1, lines.stream().filter(n -> n.path("source").asText().equals("reconcile")).count(), listed);
        assertEquals(2, lines.stream().filter(n -> n.path("source").asText().equals("webhook")).count(), listed);
        String shown = printed(out -> EventsCommand.show(events, key, false, out, Instant.now()));
        assertTrue(shown.contains("(source reconcile)") && shown.contains("history: received via reconcile "), shown);
        assertTrue(EventsCommand.historyLine(done).startsWith("received via reconcile "));

        // A second run over the same window adds nothing.
        assertEquals(0, reconcile("reverb", "--since", now.minus(Duration.ofHours(3)).toString()), err());
        assertTrue(err().contains("orders seen 2, already known 2, recovered 0"), err());
        assertEquals(1, reconciled().size());
        assertEquals(1, entities.find(new EntityKey("reverb", "order", "5002")).orElseThrow().version(),
                "the order a webhook had delivered at the same state was never touched");
    }

    @Test
    void aWindowFailingOnItsSecondPage_leavesTheCursor_andTheNextRunCompletesItWithoutDoublingAnything() throws Exception {
        Instant since = now.minus(Duration.ofHours(3));
        reverb.order("6001", "paid", now.minus(Duration.ofHours(2))).order("6002", "paid", now.minus(Duration.ofHours(1)));
        reverb.failFromRequest(2, 401);

        assertEquals(1, reconcile("reverb", "--since", since.toString()));
        assertTrue(err().contains("Reverb refused the API token (HTTP 401): check REVERB_API_TOKEN"), err());
        assertFalse(err().contains(ReverbStandIn.TOKEN), "the token is never printed");
        var cursors = new DynamoDbCursorStore(new AwsClients(BackendSettings.from(target)).dynamoDb(),
                target.required("EVENTS_TABLE"));
        assertEquals(Optional.empty(), cursors.read("reverb/orders"), "the incomplete window did not move the cursor");
        assertEquals(1, reconciled().size(), "the first page's order went in before the failure");

        reverb.recover();
        assertEquals(0, reconcile("reverb", "--since", since.toString()), err());

        assertTrue(err().contains("orders seen 2, already known 1, recovered 1"), err());
        assertEquals(2, reconciled().size());
        assertTrue(cursors.read("reverb/orders").isPresent(), "the complete window moved the cursor");
    }

    @Test
    void aDryRun_printsWhatWouldBeRecovered_andWritesNothing() throws Exception {
        reverb.order("7001", "paid", now.minus(Duration.ofHours(1)));

        assertEquals(0, reconcile("reverb", "--since", now.minus(Duration.ofHours(3)).toString(), "--dry-run"));

        assertTrue(err().contains("would recover reverb#order#7001  paid"), err());
        assertTrue(err().contains("Dry run: pages 1, orders seen 1, already known 0, would recover 1"), err());
        assertTrue(err().contains("Nothing was written; the cursor did not move."), err());
        assertTrue(reconciled().isEmpty());
        assertTrue(entities.find(new EntityKey("reverb", "order", "7001")).isEmpty());
    }

    @Test
    void anExplicitUntil_looksAtThePast_andNeverMovesTheCursor() {
        Instant until = now.minus(Duration.ofHours(1));

        assertEquals(0, reconcile("reverb", "--since", until.minus(Duration.ofHours(1)).toString(), "--until",
                until.toString()));

        assertTrue(err().contains("pages 1, orders seen 0, already known 0, recovered 0"), err());
        assertTrue(err().contains("an explicit --until never moves it"), err());
    }
}
