package dev.inlet.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.core.config.Env;
import dev.inlet.core.json.Json;
import dev.inlet.core.publish.DomainEvent;
import dev.inlet.core.testing.MutableClock;
import dev.inlet.local.Main;
import dev.inlet.local.emulator.LocalBus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@code ./inlet published} prints of a local bus (opened where {@code ./inlet local} opens it). */
class PublishedCommandTest {
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
    private static final String TRACE = "Root=1-67890abc-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1";
    private final MutableClock clock = new MutableClock(T0);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final String name = "test-" + UUID.randomUUID().toString().substring(0, 8);
    private LocalBus bus;

    @BeforeEach
    void openBus() {
        bus = LocalBus.open(LocalBus.directory(), name, clock, LocalBus.KEEP);
    }

    @AfterEach
    void closeBus() {
        bus.close();
    }

    private static DomainEvent event(String provider, String type, String key) {
        return new DomainEvent("inlet." + provider, type, "{\"eventKey\":\"" + key
                + "\",\"entity\":{\"type\":\"order\",\"id\":\"" + key.toUpperCase() + "\"}}", key, T0, Optional.of(TRACE));
    }

    private int inlet(String... argv) {
        return Main.run(List.of(argv), out, out, Env.of(Map.of("EVENT_BUS_NAME", name)));
    }

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void published_printsEveryEventNewestLast_withTimeDetailTypeSourceEntityAndEventKey() {
        bus.publish(List.of(event("reverb", "Reverb Order Changed", "o-1")));
        bus.publish(List.of(event("rheo", "Rheo Item Changed", "i-2")));

        int rc = inlet("published");

        assertEquals(0, rc, lines().toString());
        List<String> lines = lines();
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("SEQ +TIME +DETAIL TYPE +SOURCE +ENTITY +EVENT KEY"), lines.get(0));
        assertTrue(lines.get(1).matches("1 +2026-12-04T10:00:00Z +Reverb Order Changed +inlet\\.reverb +order O-1 +o-1"),
                lines.get(1));
        assertTrue(lines.get(2).matches("2 +.*Rheo Item Changed +inlet\\.rheo +order I-2 +i-2"), lines.get(2));
    }

    @Test
    void publishedJson_printsOneObjectPerLine_asPublished_withSourceDetailTypeDetailTimeAndTraceHeader() throws Exception {
        bus.publish(List.of(event("reverb", "Reverb Order Changed", "o-1")));

        assertEquals(0, inlet("published", "--json"));

        List<String> lines = lines();
        assertEquals(1, lines.size(), lines.toString());
        JsonNode n = Json.mapper().readTree(lines.get(0));
        assertEquals("inlet.reverb", n.path("source").asText());
        assertEquals("Reverb Order Changed", n.path("detail-type").asText());
        assertEquals("O-1", n.path("detail").path("entity").path("id").asText(), "the detail as an object");
        assertEquals("2026-12-04T10:00:00Z", n.path("time").asText());
        assertEquals(TRACE, n.path("traceHeader").asText());
        assertEquals(1, n.path("seq").asLong());
        assertEquals(name, n.path("eventBusName").asText());
    }

    @Test
    void providerAndEventFilters_keepOnlyTheirEvents() {
        bus.publish(List.of(event("reverb", "Reverb Order Changed", "o-1"), event("rheo", "Rheo Item Changed", "i-2"),
                event("reverb", "Reverb Listing Changed", "l-3")));

        inlet("published", "--provider", "reverb", "--json");
        assertEquals(2, lines().size(), lines().toString());
        bytes.reset();
        inlet("published", "--event", "rheo#i-2", "--json");

        assertEquals(1, lines().size(), lines().toString());
        assertTrue(lines().get(0).contains("\"eventKey\":\"i-2\""), lines().get(0));
    }

    @Test
    void follow_printsWhatIsPublishedLater_untilInterrupted() throws Exception {
        bus.publish(List.of(event("rheo", "Rheo Item Changed", "i-1")));
        AtomicInteger rc = new AtomicInteger(-1);
        Thread follower = new Thread(() -> {
            try {
                rc.set(PublishedCommand.print(bus.log(), Optional.empty(), Optional.empty(), true, true, out, Duration.ofMillis(20)));
            } catch (InterruptedException e) {
                rc.set(130);
            }
        });
        follower.start();
        await(() -> lines().size() == 1);

        bus.publish(List.of(event("rheo", "Rheo Item Changed", "i-2")));

        await(() -> lines().size() == 2);
        assertTrue(lines().get(1).contains("\"eventKey\":\"i-2\""), lines().toString());
        follower.interrupt();
        follower.join(5_000);
        assertEquals(130, rc.get(), "Ctrl-C ends it");
        assertEquals(2, lines().size(), "nothing printed twice: " + lines());
    }

    @Test
    void follow_endsWhenTheStackStops() throws Exception {
        AtomicInteger rc = new AtomicInteger(-1);
        Thread follower = new Thread(() -> {
            try {
                rc.set(PublishedCommand.print(bus.log(), Optional.empty(), Optional.empty(), false, true, out, Duration.ofMillis(20)));
            } catch (InterruptedException e) {
                rc.set(130);
            }
        });
        follower.start();
        await(() -> lines().size() == 1);

        bus.close();

        follower.join(5_000);
        assertEquals(0, rc.get());
        assertEquals(List.of("Nothing published yet; waiting for the first event (Ctrl-C stops).",
                "The local stack stopped."), lines());
    }

    @Test
    void nothingPublishedYet_saysSo_andHowToPublishOne() {
        assertEquals(0, inlet("published"));

        assertEquals(List.of("Nothing published yet. Send one: ./inlet send rheo item.sold"), lines());
    }

    @Test
    void noLocalStackRunning_isAClearError() {
        int rc = Main.run(List.of("published"), out, out, Env.of(Map.of("EVENT_BUS_NAME", "nobody-" + name)));

        assertEquals(1, rc);
        assertTrue(lines().get(0).startsWith("inlet: no local stack publishes to the bus nobody-" + name), lines().get(0));
        assertTrue(lines().get(0).endsWith("is ./inlet local running?"), lines().get(0));
    }

    @Test
    void publishingSwitchedOff_isAClearError() {
        int rc = Main.run(List.of("published"), out, out, Env.of(Map.of("EVENT_BUS_NAME", "")));

        assertEquals(1, rc);
        assertEquals(List.of("inlet: publishing is switched off (EVENT_BUS_NAME is empty): nothing is published"), lines());
    }

    @Test
    void underStack_saysWhereADeployedStacksEventsAre_inAws() {
        int rc = inlet("published", "--stack", "inlet");

        assertEquals(1, rc);
        String line = lines().get(0);
        assertTrue(line.contains("EventBridge") && line.contains("archive") && line.contains("queue of a rule"), line);
        assertFalse(line.contains("Exception"), line);
    }

    @Test
    void usage_namesTheCommandAndItsOptions() {
        inlet("help");

        String usage = bytes.toString(StandardCharsets.UTF_8);
        for (String option : Set.of("--provider", "--event", "--follow", "--json")) {
            assertTrue(usage.contains("./inlet published") && usage.contains(option), option);
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within 10 s");
            }
            Thread.sleep(10);
        }
    }
}
