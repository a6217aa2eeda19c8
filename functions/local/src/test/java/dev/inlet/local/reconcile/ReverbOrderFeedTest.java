package dev.inlet.local.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.core.reconcile.Change;
import dev.inlet.core.reconcile.FeedException;
import dev.inlet.core.reconcile.Page;
import dev.inlet.core.reconcile.Window;
import dev.inlet.core.store.EventKey;
import dev.inlet.reverb.ReverbProvider;
import dev.inlet.core.ingest.Headers;
import dev.inlet.core.ingest.RawRequest;
import dev.inlet.reverb.orders.ReverbApi;
import dev.inlet.reverb.orders.ReverbOrderFeed;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reverb's order listing read through a real loopback stand-in: pages, links, rate limits, refusals. */
class ReverbOrderFeedTest {
    private static final Instant T = Instant.parse("2026-12-01T12:00:00Z");
    private static final Window WINDOW = new Window(T.minusSeconds(3600), T);

    private ReverbStandIn reverb;
    private final List<Duration> waits = new ArrayList<>();
    private final List<Page> pages = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        reverb = new ReverbStandIn(2);
    }

    @AfterEach
    void stop() {
        reverb.close();
    }

    private ReverbOrderFeed feed(String token) {
        return new ReverbOrderFeed(new ReverbApi(URI.create(reverb.base()), () -> token, "REVERB_API_TOKEN",
                HttpClient.newHttpClient(), waits::add, Duration.ofSeconds(60)));
    }

    private List<Change> changes() {
        return pages.stream().flatMap(p -> p.changes().stream()).toList();
    }

    @Test
    void fiveOrdersOverThreePages_everyNextLinkIsFollowed_andEachOrderIsOneChange() {
        for (int i = 1; i <= 5; i++) {
            reverb.order("100" + i, "paid", T.minusSeconds(60L * i));
        }
        reverb.order("2000", "paid", T.minusSeconds(7200)); // outside the window

        feed(ReverbStandIn.TOKEN).list(WINDOW, pages::add);

        assertEquals(List.of(1, 2, 3), pages.stream().map(Page::number).toList());
        assertEquals(3, pages.get(0).totalPages());
        assertEquals(List.of("1001", "1002", "1003", "1004", "1005"),
                changes().stream().map(c -> c.entity().id()).toList());
        List<ReverbStandIn.Request> requests = reverb.requests();
        assertEquals(3, requests.size());
        assertTrue(requests.get(0).pathAndQuery().startsWith("/api/my/orders/selling/all?updated_start_date="
                + "2026-12-01T11%3A00%3A00Z&updated_end_date=2026-12-01T12%3A00%3A00Z"), requests.get(0).pathAndQuery());
        assertTrue(requests.get(2).pathAndQuery().endsWith("&page=3"), "the third request is the second page's next link");
        for (ReverbStandIn.Request r : requests) {
            assertEquals("Bearer " + ReverbStandIn.TOKEN, r.headers().get("authorization"));
            assertEquals("3.0", r.headers().get("accept-version"));
            assertEquals("application/hal+json", r.headers().get("accept"));
        }
    }

    @Test
    void anOrder_becomesTheEventItsWebhookWouldBe_sameDedupRuleAndProviderTime() throws Exception {
        reverb.order("1001", "shipped", T.minusSeconds(60));

        feed(ReverbStandIn.TOKEN).list(WINDOW, pages::add);

        Change c = changes().get(0);
        assertEquals("reverb#order#1001", c.entity().asString());
        assertEquals("shipped", c.state());
        assertEquals(T.minusSeconds(60), c.changedAt().orElseThrow());
        assertEquals("orders/update", c.envelope().eventType());
        // The receiver's own rule on the same bytes gives the same key: the same dedup as a webhook.
        String webhookKey = new ReverbProvider(List.of()).read(new RawRequest(c.body(), Headers.empty(),
                Map.of("topic", "orders-update"), "t")).dedupKey();
        assertEquals(webhookKey, c.envelope().dedupKey());
        assertTrue(new String(c.body(), StandardCharsets.UTF_8).contains("\"order_number\":\"1001\""));
    }

    @Test
    void anEmptyWindow_isOnePageWithNoChanges() {
        feed(ReverbStandIn.TOKEN).list(WINDOW, pages::add);

        assertEquals(1, pages.size());
        assertTrue(changes().isEmpty());
    }

    @Test
    void a429WithRetryAfter_waitsWhatItSays_thenReadsThePage() {
        reverb.order("1001", "paid", T.minusSeconds(60));
        reverb.thenAnswer(429, Map.of("Retry-After", "7"), "{\"message\":\"slow down\"}");

        feed(ReverbStandIn.TOKEN).list(WINDOW, pages::add);

        assertEquals(List.of(Duration.ofSeconds(7)), waits, "waited Retry-After, once");
        assertEquals(1, changes().size());
        assertEquals(2, reverb.requests().size());
    }

    @Test
    void a429AskingForMoreThanTheWaitLimit_stopsTheWindow_withoutWaiting() {
        reverb.thenAnswer(429, Map.of("Retry-After", "3600"), "");

        FeedException e = assertThrows(FeedException.class, () -> feed(ReverbStandIn.TOKEN).list(WINDOW, pages::add));

        assertEquals(FeedException.Reason.RATE_LIMITED, e.reason());
        assertTrue(e.getMessage().contains("3600 s"), e.getMessage());
        assertTrue(waits.isEmpty());
        assertTrue(pages.isEmpty());
    }

    @Test
    void a401_stopsAtOnce_namingTheTokensSetting_neverItsValue() {
        String wrong = "wrong-token-not-real-5678";

        FeedException e = assertThrows(FeedException.class, () -> feed(wrong).list(WINDOW, pages::add));

        assertEquals(FeedException.Reason.REFUSED, e.reason());
        assertTrue(e.getMessage().contains("HTTP 401") && e.getMessage().contains("REVERB_API_TOKEN"), e.getMessage());
        assertFalse(e.getMessage().contains(wrong), "the message never holds the token");
        assertEquals(1, reverb.requests().size(), "a refused token is not retried");
    }

    @Test
    void aNextLinkToAnotherHost_isNotFollowed_soTheTokenGoesNowhereElse() {
        reverb.thenAnswer(200, Map.of(), "{\"current_page\":1,\"total_pages\":2,\"orders\":[],"
                + "\"_links\":{\"next\":{\"href\":\"https://elsewhere.example/api/my/orders/selling/all?page=2\"}}}");

        FeedException e = assertThrows(FeedException.class, () -> feed(ReverbStandIn.TOKEN).list(WINDOW, pages::add));

        assertTrue(e.getMessage().contains("elsewhere.example"), e.getMessage());
        assertEquals(1, reverb.requests().size());
    }

    @Test
    void aPageSayingMorePagesFollow_butLinkingNone_failsTheWindowRatherThanDroppingThem() {
        reverb.thenAnswer(200, Map.of(), "{\"current_page\":1,\"total_pages\":3,\"orders\":[],\"_links\":{}}");

        FeedException e = assertThrows(FeedException.class, () -> feed(ReverbStandIn.TOKEN).list(WINDOW, pages::add));

        assertEquals(FeedException.Reason.UNAVAILABLE, e.reason());
        assertTrue(e.getMessage().contains("page 1 of 3"), e.getMessage());
    }

    @Test
    void theEventKey_isTheProvidersKeySpace() {
        reverb.order("1001", "paid", T.minusSeconds(60));
        feed(ReverbStandIn.TOKEN).list(WINDOW, pages::add);
        EventKey key = new EventKey("reverb", changes().get(0).envelope().dedupKey());
        assertTrue(key.id().startsWith("reverb#orders/update|1001|"), key.id());
    }
}
