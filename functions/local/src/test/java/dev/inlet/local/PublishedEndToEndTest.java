package dev.inlet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.core.config.Env;
import dev.inlet.core.json.Json;
import dev.inlet.local.emulator.LocalStack;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 24 locally, through the whole local stack and the commands a user types: a signed sample webhook ->
 * receiver -> queue -> processor -> the in-process bus -> {@code ./inlet published}.
 */
class PublishedEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(45);
    private static LocalStack stack;
    private static Env env;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(LocalStack.Options.forTests());
        env = stack.commandEnvironment();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** Runs {@code ./inlet <argv>} in-process against the test stack; returns what it printed. */
    private static Run inlet(String... argv) {
        List<String> args = new ArrayList<>(List.of(argv));
        if (args.get(0).equals("send")) {
            args.add("--url");
            args.add(stack.baseUrl().toString());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int rc = Main.run(args, out, out, env);
        return new Run(rc, bytes.toString(StandardCharsets.UTF_8));
    }

    private record Run(int rc, String output) {
        List<String> lines() {
            return output.lines().toList();
        }
    }

    private static List<JsonNode> published(String eventId) throws IOException {
        Run run = inlet("published", "--event", eventId, "--json");
        assertEquals(0, run.rc(), run.output());
        List<JsonNode> out = new ArrayList<>();
        for (String line : run.lines()) {
            out.add(Json.mapper().readTree(line));
        }
        return out;
    }

    private static List<JsonNode> awaitPublished(String eventId, int count) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        List<JsonNode> found = published(eventId);
        while (found.size() < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            found = published(eventId);
        }
        assertEquals(count, found.size(), eventId + " published " + found);
        return found;
    }

    private static String sendNew() {
        String id = "pub" + UUID.randomUUID().toString().substring(0, 8);
        Run sent = inlet("send", "rheo", "item.sold", "--id", id);
        assertEquals(0, sent.rc(), sent.output());
        assertTrue(sent.output().contains("\"status\":\"accepted\""), sent.output());
        return id;
    }

    @Test
    void aSignedWebhook_isPublishedOnce_aDuplicateAddsNone_andAReplayOneMoreWithTheSameEventKey() throws Exception {
        String id = sendNew();
        String eventId = "rheo#evt_" + id;

        JsonNode first = awaitPublished(eventId, 1).get(0);
        assertEquals("inlet.rheo", first.path("source").asText());
        assertEquals(eventId, first.path("detail").path("eventKey").asText(), first.toString());
        assertEquals("item", first.path("detail").path("entity").path("type").asText(), first.toString());
        Run table = inlet("published", "--provider", "rheo");
        assertTrue(table.output().contains(eventId), "the table lists it: " + table.output());

        Run again = inlet("send", "rheo", "item.sold", "--id", id);
        assertTrue(again.output().contains("\"status\":\"duplicate\""), again.output());
        Thread.sleep(3_000); // more than the test queue's 2 s visibility timeout: a redelivery would have run
        assertEquals(1, published(eventId).size(), "a duplicate delivery publishes nothing");

        Run replay = inlet("replay", "--id", eventId);
        assertEquals(0, replay.rc(), replay.output());

        List<JsonNode> both = awaitPublished(eventId, 2);
        assertEquals(both.get(0).path("eventKey").asText(), both.get(1).path("eventKey").asText());
        assertTrue(both.get(1).path("seq").asLong() > both.get(0).path("seq").asLong());
    }

    @Test
    void aBusThatRefusesOnce_getsTheEventOnTheRetry_exactlyOnce_andTheRecordSaysPublished() throws Exception {
        stack.bus().orElseThrow().refuseNext(1);
        String id = sendNew();
        String eventId = "rheo#evt_" + id;

        awaitPublished(eventId, 1);

        Thread.sleep(3_000);
        assertEquals(1, published(eventId).size(), "published once, after the retry");
        Run shown = inlet("events", "--id", eventId);
        assertTrue(shown.output().contains("-> published "), shown.output());
    }

    @Test
    void withEventBusNameEmpty_theLocalStackPublishesNothing_andPublishedSaysItIsOff() {
        try (LocalStack off = LocalStack.start(LocalStack.Options.forTests()
                .withProcessEnv(java.util.Map.of("EVENT_BUS_NAME", "")))) {
            assertTrue(off.bus().isEmpty());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

            int rc = Main.run(List.of("published"), out, out, off.commandEnvironment());

            assertEquals(1, rc);
            assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("publishing is switched off"));
        }
    }
}
