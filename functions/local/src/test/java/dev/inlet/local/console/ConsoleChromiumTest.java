package dev.inlet.local.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.inlet.core.config.Env;
import dev.inlet.core.store.EventKey;
import dev.inlet.local.StackClient;
import dev.inlet.local.cli.SendCommand;
import dev.inlet.local.emulator.LocalStack;
import dev.inlet.local.samples.ProviderSamples;
import dev.inlet.local.samples.SampleRequest;
import dev.inlet.local.samples.Samples;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser: Debian's Chromium ({@code apt-get install chromium chromium-driver}),
 * driven through its own chromedriver by Selenium, against the real local stack. Nothing is downloaded:
 * the browser and the driver are named by path, so Selenium Manager never runs. Without Chromium the
 * test is skipped with one line, except under {@code CI=true}, where {@code .ci/run} installs it and its
 * absence is a failure.
 */
class ConsoleChromiumTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static LocalStack stack;
    private static ConsoleServer console;
    private static Path profile;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws IOException {
        boolean found = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        String missing = "no Chromium at " + CHROMIUM + " with " + DRIVER
                + " (apt-get install -y chromium chromium-driver)";
        if (!found && "true".equals(System.getenv("CI"))) {
            fail("CI runs the console in Chromium, but there is " + missing + "; .ci/run installs them");
        }
        assumeTrue(found, "ConsoleChromiumTest skipped: " + missing);

        stack = LocalStack.start(LocalStack.Options.forTests());
        console = ConsoleServer.forLocalStack(stack, Clock.systemUTC());
        profile = Files.createTempDirectory("inlet-chromium-profile");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile);
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (console != null) {
            console.close();
        }
        if (stack != null) {
            stack.close();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void aSentWebhookAppears_opensWithItsHistory_andAReplayGrowsTheHistory() throws Exception {
        browser.get(console.oneTimeUrl()); // the URL ./inlet local prints: it signs the browser in, then redirects to /
        await("the page loads its settings", () -> browser.findElements(By.cssSelector("#f-status option")).size() > 1);

        EventKey key = send("rheo", "item.sold");
        String row = "#events tr[data-id='" + key.id() + "']";
        await(key + " listed as PROCESSED", () -> texts(row + " .status").equals(List.of("PROCESSED")));

        browser.findElement(By.cssSelector(row + " button")).click();
        await("its detail and stored history shown", () -> text("detail-id").equals(key.id())
                && statuses().equals(List.of("received", "processing", "processed", "published")));
        List<String> before = texts("#detail-history li");
        assertEquals("0", text("detail-replays"));

        browser.findElement(By.id("replay-one")).click();

        await("replayed and processed again", () -> "1".equals(text("detail-replays"))
                && statuses().equals(List.of("received", "queued", "processing", "processed", "published")));
        List<String> after = texts("#detail-history li");
        assertEquals(before.get(0), after.get(0), "received stays when it was");
        assertTrue(after.get(3).compareTo(before.get(2)) > 0, "processed again, later: " + before + " -> " + after);
        assertTrue(text("notice").startsWith("Replayed " + key), text("notice"));
    }

    @Test
    void thePublishedTab_listsWhatTheBusTook_andItsEventKeyOpensTheEvent() throws Exception {
        browser.get(console.oneTimeUrl());
        await("the page loads its settings", () -> browser.findElements(By.cssSelector("#f-status option")).size() > 1);
        EventKey key = send("rheo", "item.sold");
        await(key + " listed as PROCESSED", () -> texts("#events tr[data-id='" + key.id() + "'] .status")
                .equals(List.of("PROCESSED")));
        String detailType = "Chromium Test Changed " + key.dedupKey();
        stack.bus().orElseThrow().publish(List.of(new dev.inlet.core.publish.DomainEvent("inlet.rheo", detailType,
                "{\"eventKey\":\"" + key.id() + "\",\"entity\":{\"type\":\"item\",\"id\":\"SKU-1\"}}", key.id(),
                Instant.now(), java.util.Optional.empty())));

        browser.findElement(By.id("tab-published")).click();

        await("the published event listed", () -> texts("#published tbody tr").stream().anyMatch(t -> t.contains(detailType)));
        assertTrue(!browser.findElement(By.id("events-section")).isDisplayed(), "the Events tab is hidden");
        for (WebElement tr : browser.findElements(By.cssSelector("#published tbody tr"))) {
            if (tr.getText().contains(detailType)) {
                tr.findElement(By.cssSelector("button")).click();
                break;
            }
        }
        await("the event that published it opened", () -> text("detail-id").equals(key.id())
                && text("detail-published").contains(detailType));
    }

    /** Posts a correctly signed sample as {@code ./inlet send} does. */
    private static EventKey send(String provider, String eventType) throws Exception {
        ProviderSamples samples = Samples.of(provider).orElseThrow();
        Env env = stack.functionSettings();
        SampleRequest request = samples.build(eventType, env, Instant.now(), UUID.randomUUID().toString());
        HttpResponse<String> answer = SendCommand.post(URI.create(stack.baseUrl() + request.path()), request);
        assertEquals(200, answer.statusCode(), answer.body());
        return StackClient.keyOf(samples, env, request);
    }

    /** The statuses of the open event's history, oldest first ("processed 2026-12-04 10:00:01.190" -> "processed"). */
    private static List<String> statuses() {
        return texts("#detail-history li").stream().map(s -> s.split(" ")[0]).toList();
    }

    private static List<String> texts(String css) {
        return fresh(() -> browser.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList());
    }

    private static String text(String id) {
        return fresh(() -> {
            List<WebElement> found = browser.findElements(By.id(id));
            return found.isEmpty() ? "" : found.get(0).getText();
        });
    }

    /** Reads again when the live page replaced an element between finding and reading it. */
    private static <T> T fresh(java.util.function.Supplier<T> read) {
        for (int attempt = 1; ; attempt++) {
            try {
                return read.get();
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                if (attempt == 20) {
                    throw e;
                }
            }
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) {
        try {
            // The console re-renders its live lists and details while the test reads them: an element read
            // just as it was replaced is read again on the next poll.
            new WebDriverWait(browser, WAIT, Duration.ofMillis(100))
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(b -> condition.getAsBoolean());
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("not within " + WAIT + ": " + what + "; notice: " + text("notice"), e);
        }
    }
}
