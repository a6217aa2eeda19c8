package dev.inlet.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.dynamodb.DynamoDbEventStore;
import dev.inlet.core.config.Env;
import dev.inlet.core.store.ClaimOutcome;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStatus;
import dev.inlet.local.Main;
import dev.inlet.local.emulator.LocalContext;
import dev.inlet.local.emulator.LocalStack;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ./inlet audit} against a local stack (DynamoDB Local, ElasticMQ, the processor polling): what it
 * prints for a record nothing owns any more, its exit codes, and that the record then ends PROCESSED.
 */
class AuditCommandTest {
    private static LocalStack stack;
    private static DynamoDbEventStore store;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @BeforeAll
    static void start() {
        stack = LocalStack.start(LocalStack.Options.forTests());
        Env env = stack.commandEnvironment();
        store = new DynamoDbEventStore(new AwsClients(BackendSettings.from(env)).dynamoDb(), env.required("EVENTS_TABLE"));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /**
     * An hour ago: stored, claimed, the attempt failed (QUEUED, out of the outbox), and its message never
     * came back (parked in the DLQ by receive counts, or deleted): nothing owns it.
     */
    private static EventKey strandedAnHourAgo(String id) {
        EventKey key = new EventKey("rheo", id);
        Instant then = Instant.now().minus(Duration.ofHours(1));
        byte[] body = ("{\"eventId\":\"" + id + "\",\"timestamp\":\"" + then + "\",\"eventType\":\"item.sold\","
                + "\"data\":{\"externalId\":\"SKU-" + id + "\",\"salePrice\":100,\"currency\":\"SEK\"}}")
                .getBytes(StandardCharsets.UTF_8);
        store.create(EventRecord.received(key, "item.sold", then, Optional.of(then), body, Map.of(),
                then.plusSeconds(30), then.plus(Duration.ofDays(30))), then);
        assertInstanceOf(ClaimOutcome.Claimed.class, store.claim(key, "lost-worker", then.plusSeconds(1),
                then.plusSeconds(91)));
        store.recordFailure(key, "lost-worker", "downstream timeout", false, then.plusSeconds(5));
        return key;
    }

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private int audit(boolean dryRun) {
        bytes.reset();
        return AuditCommand.run(stack.commandEnvironment(), dryRun, 1000, out, Clock.systemUTC(), "the test stack");
    }

    @Test
    void strandedRecord_dryRun_isReportedWithItsReason_exitCodeFound_andNothingChanges() {
        EventKey key = strandedAnHourAgo("audit_cli_dry");

        int rc = audit(true);

        assertEquals(AuditCommand.FOUND, rc, String.join("\n", lines()));
        String line = lines().stream().filter(l -> l.startsWith(key.id() + "  ")).findFirst().orElseThrow(
                () -> new AssertionError(String.join("\n", lines())));
        assertTrue(line.startsWith("rheo#audit_cli_dry  QUEUED  item.sold  age 1h 00m, ownerless for 58m "), line);
        assertTrue(line.endsWith("stranded (dry run: left as it is)"), line);
        assertTrue(lines().stream().anyMatch(l -> l.startsWith("  why: QUEUED for another attempt, with no lease; "
                + "not in the outbox; not claimed again within the queue's visibility window (2 s)")), lines().toString());
        assertTrue(lines().get(lines().size() - 1).contains("stranded (dry run: nothing changed"), lines().toString());
        EventRecord after = store.find(key, Instant.now()).orElseThrow();
        assertEquals(EventStatus.QUEUED, after.status());
        assertTrue(after.history().at(EventStatus.QUEUED).orElseThrow().isBefore(Instant.now().minusSeconds(60)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void strandedRecord_isReturnedToTheOutbox_theSweeperSendsIt_theProcessorFinishesIt_andAGainAuditFindsNothing()
            throws Exception {
        EventKey key = strandedAnHourAgo("audit_cli_fix");

        int rc = audit(false);

        assertEquals(AuditCommand.FOUND, rc);
        assertTrue(lines().stream().anyMatch(l -> l.startsWith(key.id() + "  QUEUED") && l.endsWith(
                "returned to the outbox")), lines().toString());
        assertTrue(lines().get(lines().size() - 1).contains("returned to the outbox (the sweeper sends them"),
                lines().toString());
        // the local stack's sweeper (as the schedule invokes it) sends it; the polling processor runs it
        ((RequestHandler<ScheduledEvent, String>) stack.handler("SweeperFunction")).handleRequest(new ScheduledEvent(),
                new LocalContext("SweeperFunction", "audit-test", 60_000));
        EventRecord done = awaitProcessed(key);
        assertEquals(2, done.attempts(), "the failed attempt and the one after the audit");
        assertEquals(0, audit(false), "nothing stranded any more: " + lines());
        assertTrue(lines().get(lines().size() - 1).endsWith("nothing stranded."), lines().toString());
    }

    @Test
    void usage_namesTheCommandAndItsExitCodes_andAnUnknownOptionIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int rc = Main.run(List.of("audit", "--everything"), out, new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(2, rc);
        String usage = err.toString(StandardCharsets.UTF_8);
        assertTrue(usage.contains("unknown option --everything"), usage);
        assertTrue(usage.contains(AuditCommand.USAGE), usage);
        assertTrue(usage.contains("exit 0: nothing stranded, 3: stranded events found"), usage);
    }

    @Test
    void ages_readAsAnOperatorWouldSayThem() {
        Instant now = Instant.parse("2026-12-04T12:00:00Z");

        assertEquals("12s", AuditCommand.age(now.minusSeconds(12), now));
        assertEquals("4m 05s", AuditCommand.age(now.minusSeconds(245), now));
        assertEquals("2h 05m", AuditCommand.age(now.minus(Duration.ofMinutes(125)), now));
        assertEquals("3d 01h", AuditCommand.age(now.minus(Duration.ofHours(73)), now));
    }

    private static EventRecord awaitProcessed(EventKey key) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        EventRecord r = store.find(key, Instant.now()).orElseThrow();
        while (r.status() != EventStatus.PROCESSED && System.nanoTime() < until) {
            Thread.sleep(200);
            r = store.find(key, Instant.now()).orElseThrow();
        }
        assertEquals(EventStatus.PROCESSED, r.status(), "status history " + r.timeline());
        return r;
    }
}
