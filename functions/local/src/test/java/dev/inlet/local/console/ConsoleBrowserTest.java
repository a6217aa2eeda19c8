package dev.inlet.local.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.core.config.Env;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStatus;
import dev.inlet.local.StackClient;
import dev.inlet.local.cli.SendCommand;
import dev.inlet.local.emulator.LocalStack;
import dev.inlet.local.samples.ProviderSamples;
import dev.inlet.local.samples.SampleRequest;
import dev.inlet.local.samples.Samples;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.htmlunit.BrowserVersion;
import org.htmlunit.WebClient;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlCheckBoxInput;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlSelect;
import org.htmlunit.util.WebConnectionWrapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console page in a headless browser engine (HtmlUnit runs the page's own JavaScript) against the
 * real local stack: DynamoDB Local and ElasticMQ in-process, the processor polling the queue.
 */
class ConsoleBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> SECRET_SETTINGS = List.of("RHEO_WEBHOOK_SECRETS", "REVERB_PATH_TOKENS",
            "REUSELY_WEBHOOK_SECRETS", "RECHAT_WEBHOOK_KEYS");

    private static LocalStack stack;
    private static ConsoleServer console;
    private static StackClient records;
    /** Every byte the console served to the browser, across all tests. */
    private static final List<String> served = Collections.synchronizedList(new ArrayList<>());
    /** Header values that sign what the tests sent: never to be served. */
    private static final Set<String> signatures = Collections.synchronizedSet(new LinkedHashSet<>());

    private WebClient browser;
    private HtmlPage page;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(LocalStack.Options.forTests());
        console = ConsoleServer.forLocalStack(stack, Clock.systemUTC());
        records = new StackClient(stack, "RheoReceiverFunction");
    }

    @AfterAll
    static void stop() {
        if (console != null) {
            console.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @BeforeEach
    void openConsole() throws Exception {
        browser = new WebClient(BrowserVersion.FIREFOX);
        browser.getOptions().setThrowExceptionOnScriptError(true);
        browser.getOptions().setCssEnabled(false);
        new WebConnectionWrapper(browser) {
            @Override
            public WebResponse getResponse(WebRequest request) throws IOException {
                WebResponse response = super.getResponse(request);
                served.add(response.getContentAsString(StandardCharsets.UTF_8));
                return response;
            }
        };
        page = browser.getPage(console.oneTimeUrl()); // the URL ./inlet local prints: a cookie, then the page
        await("the page loads its settings", () -> page.getElementById("f-status")
                .getElementsByTagName("option").size() > 1);
    }

    @AfterEach
    void closeBrowser() {
        browser.close();
    }

    @Test
    void webhookSentWithTheSendPath_appearsReachesProcessedAndShowsItsBody() throws Exception {
        EventKey key = send("rheo", "item.sold");

        await(key + " shown as PROCESSED", () -> "PROCESSED".equals(rowStatus(key)));
        click(row(key).querySelector("button"));

        await("the body shown", () -> text("detail-body").contains("\"eventType\" : \"item.sold\""));
        assertTrue(text("detail-body").contains("\"externalId\""), text("detail-body"));
        assertEquals("PROCESSED", text("detail-status"));
        assertTrue(text("detail-entities").contains("rheo item"), text("detail-entities"));
    }

    @Test
    void eventProcessedBeforeThePageOpened_showsItsStoredStatusHistoryInTimeOrder() throws Exception {
        browser.close();                                   // no page is open while the event is processed
        EventKey key = send("rheo", "item.created");
        records.awaitStatus(key.provider(), key.dedupKey(), EventStatus.PROCESSED, WAIT);
        EventRecord stored = awaitPublished(key);          // its item change published: the last step

        openConsole();                                     // opened after the fact
        await(key + " listed", () -> row(key) != null);
        click(row(key).querySelector("button"));

        await("its history shown", () -> text("detail-id").equals(key.id())
                && text("detail-history").contains("published"));
        List<String> steps = new ArrayList<>();
        page.getElementById("detail-history").getElementsByTagName("li").forEach(li -> steps.add(li.getTextContent()));
        assertEquals(List.of("received " + shown(stored.receivedAt()),
                "processing " + shown(stored.history().at(EventStatus.PROCESSING).orElseThrow()),
                "processed " + shown(stored.history().at(EventStatus.PROCESSED).orElseThrow()),
                "published " + shown(stored.history().lastPublishedAt().orElseThrow())), steps);
        assertTrue(text("detail-history-counts").contains("attempts 1"), text("detail-history-counts"));
        assertTrue(text("detail-history-counts").contains("published 1 event(s)"), text("detail-history-counts"));
    }

    private static EventRecord awaitPublished(EventKey key) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            EventRecord r = records.find(key.provider(), key.dedupKey()).orElseThrow();
            if (r.publishedCount() > 0) {
                return r;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(key + " not published within " + WAIT);
    }

    private static String shown(Instant at) {
        return at.toString().replace('T', ' ').replace("Z", "");
    }

    @Test
    void publishedTab_listsWhatWasPublishedNewestFirst_andItsEventKeyOpensTheEventWithWhatItPublished() throws Exception {
        EventKey key = send("rheo", "item.sold");
        await(key + " shown as PROCESSED", () -> "PROCESSED".equals(rowStatus(key)));
        String first = "Test First Changed " + key.dedupKey();
        String second = "Test Second <b>Changed</b> " + key.dedupKey();
        stack.bus().orElseThrow().publish(List.of(domainEvent(key, first)));
        stack.bus().orElseThrow().publish(List.of(domainEvent(key, second)));

        click(page.getElementById("tab-published"));

        await("both published events listed", () -> publishedRow(first) != null && publishedRow(second) != null);
        assertTrue(page.getElementById("events-section").hasAttribute("hidden"), "the Events tab is hidden");
        assertEquals("true", page.getElementById("tab-published").getAttribute("aria-selected"));
        List<String> order = publishedRows().stream().map(DomElement::getTextContent)
                .filter(t -> t.contains("Test ") && t.contains(key.dedupKey())).toList();
        assertTrue(order.get(0).contains(second) && order.get(1).contains(first), "newest first: " + order);
        assertTrue(publishedRow(second).getTextContent().contains("item SKU-" + key.dedupKey()), "the entity shown");
        assertTrue(page.getElementsByTagName("b").isEmpty(), "published text is text, never markup");

        click(publishedRow(first).querySelector("button"));

        await("the event that published them opened", () -> text("detail-id").equals(key.id())
                && text("detail-published").contains(first));
        assertTrue(text("detail-published").contains(second), text("detail-published"));
    }

    private static dev.inlet.core.publish.DomainEvent domainEvent(EventKey key, String detailType) {
        return new dev.inlet.core.publish.DomainEvent("inlet." + key.provider(), detailType,
                "{\"eventKey\":\"" + key.dedupKey() + "\",\"entity\":{\"type\":\"item\",\"id\":\"SKU-" + key.dedupKey()
                        + "\"}}", key.dedupKey(), Instant.now(), java.util.Optional.empty());
    }

    private List<DomElement> publishedRows() {
        List<DomElement> rows = new ArrayList<>();
        page.getElementById("published").getElementsByTagName("tr").forEach(rows::add);
        return rows;
    }

    private DomElement publishedRow(String detailType) {
        return publishedRows().stream().filter(tr -> tr.getTextContent().contains(detailType)).findFirst().orElse(null);
    }

    @Test
    void entityState_linksToTheEventThatProducedIt_andBack() throws Exception {
        EventKey key = send("reusely", "offer.status.updated");
        await(key + " shown as PROCESSED", () -> "PROCESSED".equals(rowStatus(key)));
        click(row(key).querySelector("button"));
        await("the entity it produced", () -> text("detail-id").equals(key.id())
                && text("detail-entities").startsWith("reusely offer "));
        String entity = text("detail-entities").split(":")[0];
        EventKey other = send("rechat", "Deals.Updated");
        await(other + " shown", () -> row(other) != null);
        click(row(other).querySelector("button"));
        await("another event open", () -> text("detail-id").equals(other.id()));

        click(page.getElementById("entities-load"));
        await("the entities listed", () -> page.getElementById("entities").asNormalizedText().contains(entity));
        for (DomElement tr : page.getElementById("entities").getElementsByTagName("tr")) {
            if (tr.getTextContent().startsWith(entity)) {
                click(tr.querySelector("button"));
            }
        }

        await("the entity's last event opened", () -> text("detail-id").equals(key.id()));
    }

    @Test
    void redriveButton_movesDeadLetteredMessagesBack() throws Exception {
        EventKey key = send("rheo", "item.images_ready");
        await(key + " shown as PROCESSED", () -> "PROCESSED".equals(rowStatus(key)));
        Env env = stack.commandEnvironment();
        var sqs = new dev.inlet.aws.AwsClients(dev.inlet.aws.BackendSettings.from(env)).sqs();
        new dev.inlet.aws.sqs.SqsEventQueue(sqs, env.required("DEAD_LETTER_QUEUE_URL"))
                .send(new dev.inlet.core.queue.QueueMessage(key, "item.images_ready"));
        await("the DLQ depth shown", () -> text("dlq-depth").equals("1"));

        click(page.getElementById("redrive"));

        await("the redrive reported", () -> text("notice").startsWith("Moved 1 message(s)"));
        await("the DLQ empty", () -> text("dlq-depth").equals("0"));
    }

    @Test
    void eachEventOpensFromANativeButton_andFocusMovesToItsDetail() throws Exception {
        // A <button> is reachable with Tab and pressed with Enter or Space by the browser itself
        // (HtmlUnit does not synthesize that keypress, so the test presses it).
        EventKey key = send("rechat", "Showings.showing.created");
        await(key + " shown as PROCESSED", () -> "PROCESSED".equals(rowStatus(key)));
        org.htmlunit.html.HtmlButton open = (org.htmlunit.html.HtmlButton) row(key).querySelector("button");
        open.focus();
        assertEquals(open, page.getFocusedElement());

        open.click();

        await("the event opened", () -> text("detail-id").equals(key.id()) && !text("detail-body").isEmpty());
        assertEquals("detail-heading", page.getFocusedElement().getId());
    }

    @Test
    void replayButton_replaysTheEvent_replayCountPlusOne() throws Exception {
        EventKey key = send("reusely", "offer.created");
        await(key + " shown as PROCESSED", () -> "PROCESSED".equals(rowStatus(key)));
        click(row(key).querySelector("button"));
        await("the detail open", () -> "0".equals(text("detail-replays")));

        click(page.getElementById("replay-one"));

        await("replay count 1 and processed again", () -> "1".equals(text("detail-replays"))
                && "PROCESSED".equals(text("detail-status")));
        EventRecord stored = records.find(key.provider(), key.dedupKey()).orElseThrow();
        assertEquals(1, stored.replayCount());
        assertEquals(2, stored.processedCount());
        assertTrue(text("notice").startsWith("Replayed " + key), text("notice"));
    }

    @Test
    void forgedRequestFromTheSendForm_isRejectedAndLeavesNothingOnThePage() throws Exception {
        Set<String> before = records.all().stream().map(r -> r.key().id()).collect(Collectors.toSet());
        choose("send-provider", "rheo");
        choose("send-type", "item.created");
        ((HtmlCheckBoxInput) page.getElementById("send-tamper")).setChecked(true);

        click(page.getElementById("send-button"));
        await("the answer shown", () -> text("send-result").contains("HTTP "));
        assertTrue(text("send-result").contains("(tampered) -> HTTP 401"), text("send-result"));
        // A genuine event sent after the forged one: once it shows, anything stored before it shows too.
        EventKey genuine = send("rheo", "item.created");
        await(genuine + " shown", () -> row(genuine) != null);

        Set<String> added = rowIds();
        added.removeAll(before);
        assertEquals(Set.of(genuine.id()), added);
    }

    @Test
    void sendForm_sendsASignedSampleOfAnyProvider_withTheReverbTokenMasked() throws Exception {
        choose("send-provider", "reverb");
        choose("send-type", "orders/create");

        click(page.getElementById("send-button"));

        await("the answer shown", () -> text("send-result").contains("HTTP "));
        assertTrue(text("send-result").startsWith("POST /webhooks/reverb/orders-create/<token> -> HTTP 200"),
                text("send-result"));
    }

    @Test
    void replayOfTheFilter_showsTheDryRunCountFirst_andReplaysOnlyOnConfirmation() throws Exception {
        EventKey key = send("rechat", "Deals.Created");
        await(key + " shown as PROCESSED", () -> "PROCESSED".equals(rowStatus(key)));
        choose("f-provider", "rechat");
        choose("f-status", "PROCESSED");
        int matching = (int) records.all().stream().filter(r -> r.key().provider().equals("rechat")
                && r.status() == EventStatus.PROCESSED).count();

        click(page.getElementById("replay-filter"));

        await("the dry run shown", () -> text("confirm-text").contains("match"));
        assertTrue(text("confirm-text").startsWith(matching + " event(s) match this filter; " + matching
                + " can be replayed"), text("confirm-text"));
        assertEquals(0, records.find(key.provider(), key.dedupKey()).orElseThrow().replayCount());

        click(page.getElementById("confirm-yes"));

        await("the replay reported", () -> text("notice").startsWith("Replayed " + matching + " event(s)"));
        assertEquals(1, records.find(key.provider(), key.dedupKey()).orElseThrow().replayCount());
    }

    @Test
    void quarantinedBody_isShownAsEscapedTextAndHex_neverAsMarkup() throws Exception {
        // Reverb signs nothing: the right path token makes these bytes authentic; they are not JSON.
        ProviderSamples reverb = Samples.of("reverb").orElseThrow();
        SampleRequest route = reverb.build("orders/create", stack.functionSettings(), Instant.now(), "q");
        byte[] hostile = "<img src=x onerror=\"document.title='owned'\"><b id=injected>bold</b>\u0007"
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(200, records.post(route.path(), route.headers(), hostile).statusCode());
        await("a quarantined row", () -> quarantinedRow() != null);

        click(quarantinedRow().querySelector("button"));

        await("its body shown", () -> text("detail-body").startsWith("<img src=x onerror="));
        assertTrue(text("detail-body").endsWith("</b>\\u0007"), text("detail-body"));
        assertTrue(text("detail-hex").contains("3c 69 6d 67"), text("detail-hex"));
        assertTrue(page.getElementsByTagName("img").isEmpty());
        assertEquals(null, page.getElementById("injected"));
        assertFalse(page.getTitleText().contains("owned"));
    }

    private DomElement quarantinedRow() {
        for (DomElement tr : page.getElementById("events").getElementsByTagName("tr")) {
            DomElement status = tr.querySelector(".status");
            if (status != null && status.getTextContent().equals("QUARANTINED")) {
                return tr;
            }
        }
        return null;
    }

    @Test
    void noServedByte_containsASecretPathTokenOrSignature() throws Exception {
        EventKey reverb = send("reverb", "orders/update");
        EventKey rechat = send("rechat", "Contacts.create");
        EventKey rheo = send("rheo", "listing.created");
        for (EventKey key : List.of(reverb, rechat, rheo)) {
            await(key + " shown as PROCESSED", () -> "PROCESSED".equals(rowStatus(key)));
            click(row(key).querySelector("button"));
            await("its detail", () -> text("detail-id").equals(key.id()) && text("detail-body").contains("{"));
        }
        choose("send-provider", "reverb");
        click(page.getElementById("send-button"));
        await("the answer shown", () -> text("send-result").contains("HTTP "));
        click(page.getElementById("entities-load"));
        await("entities shown", () -> page.getElementById("entities").asNormalizedText().contains("reverb"));

        Set<String> forbidden = new LinkedHashSet<>(signatures);
        Env settings = stack.functionSettings();
        SECRET_SETTINGS.forEach(name -> forbidden.addAll(settings.list(name)));
        assertTrue(forbidden.size() >= 8, forbidden.size() + " values checked");
        List<String> bodies;
        synchronized (served) {
            bodies = new ArrayList<>(served);
        }
        assertTrue(bodies.size() >= 10, bodies.size() + " responses collected");
        for (String value : forbidden) {
            for (String body : bodies) {
                assertFalse(body.contains(value), "a served response holds a secret, token or signature");
            }
        }
    }

    /** Posts a correctly signed sample the way {@code ./inlet send} does; remembers its signature headers. */
    private static EventKey send(String provider, String eventType) throws Exception {
        ProviderSamples samples = Samples.of(provider).orElseThrow();
        Env env = stack.functionSettings();
        SampleRequest request = samples.build(eventType, env, Instant.now(), UUID.randomUUID().toString());
        request.headers().forEach((name, value) -> {
            String n = name.toLowerCase(java.util.Locale.ROOT);
            if (n.contains("signature") || n.equals("authorization")) {
                signatures.add(value);
            }
        });
        HttpResponse<String> answer = SendCommand.post(URI.create(stack.baseUrl() + request.path()), request);
        assertEquals(200, answer.statusCode(), answer.body());
        return StackClient.keyOf(samples, env, request);
    }

    private DomElement row(EventKey key) {
        for (DomElement tr : page.getElementById("events").getElementsByTagName("tr")) {
            if (key.id().equals(tr.getAttribute("data-id"))) {
                return tr;
            }
        }
        return null;
    }

    private String rowStatus(EventKey key) {
        DomElement tr = row(key);
        return tr == null ? null : tr.querySelector(".status").getTextContent();
    }

    private Set<String> rowIds() {
        return page.getElementById("events").getElementsByTagName("tr").stream()
                .map(tr -> tr.getAttribute("data-id")).filter(id -> !id.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private String text(String id) {
        DomElement e = page.getElementById(id);
        return e == null ? "" : e.getTextContent();
    }

    private void choose(String selectId, String value) {
        HtmlSelect select = (HtmlSelect) page.getElementById(selectId);
        select.setSelectedAttribute(select.getOptionByValue(value), true);
    }

    private static void click(org.htmlunit.html.DomNode node) throws IOException {
        ((DomElement) node).click();
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            synchronized (page) {
                if (condition.getAsBoolean()) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not within " + WAIT + ": " + what + "; notice: " + text("notice"));
    }
}
