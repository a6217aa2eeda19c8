package dev.inlet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.core.config.Env;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStatus;
import dev.inlet.core.testing.CapturingSink;
import dev.inlet.local.emulator.LocalStack;
import dev.inlet.local.samples.RheoSamples;
import dev.inlet.local.samples.SampleRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Rheo through the whole local stack: HTTP -> API Gateway event -> receiver -> DynamoDB Local ->
 * ElasticMQ -> processor, on the embedded backends.
 */
class RheoEndToEndTest {
    private static final CapturingSink SINK = new CapturingSink();
    private static LocalStack stack;
    private static StackClient client;
    private static Env secrets;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(LocalStack.Options.forTests().withSink(SINK));
        client = new StackClient(stack, "RheoReceiverFunction");
        secrets = Env.of(stack.environmentOf("RheoReceiverFunction"));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static SampleRequest sample(String type, String id) {
        return new RheoSamples().build(type, secrets, Instant.now(), id);
    }

    @Test
    void signedEvent_isAcceptedAndProcessed() throws Exception {
        HttpResponse<String> response = client.post(sample("item.sold", "e2e_1"));

        assertEquals(200, response.statusCode());
        assertEquals("{\"status\":\"accepted\"}", response.body());
        EventRecord processed = client.awaitStatus("rheo", "evt_e2e_1", EventStatus.PROCESSED, Duration.ofSeconds(15));
        assertEquals("item.sold", processed.eventType());
        assertEquals(1, processed.attempts());
    }

    @Test
    void replayedDelivery_isADuplicate_andProcessedOnce() throws Exception {
        SampleRequest request = sample("listing.created", "e2e_2");
        assertEquals(200, client.post(request).statusCode());
        client.awaitStatus("rheo", "evt_e2e_2", EventStatus.PROCESSED, Duration.ofSeconds(15));

        HttpResponse<String> again = client.post(request);

        assertEquals(200, again.statusCode());
        assertEquals("{\"status\":\"duplicate\"}", again.body());
        Thread.sleep(1500);
        assertEquals(1, SINK.lines().stream()
                .filter(l -> l.contains("\"event\":\"processed\"") && l.contains("evt_e2e_2")).count());
        assertEquals(1, client.find("rheo", "evt_e2e_2").orElseThrow().attempts());
        assertEquals(1, client.find("rheo", "evt_e2e_2").orElseThrow().processedCount());
    }

    @Test
    void badSignature_is401AndLeavesNothing() throws Exception {
        SampleRequest good = sample("item.sold", "e2e_3");
        Map<String, String> headers = new HashMap<>(good.headers());
        headers.put("x-rheo-signature", "sha256=" + "0".repeat(64));

        HttpResponse<String> response = client.post(good.path(), headers, good.body());

        assertEquals(401, response.statusCode());
        assertEquals("{\"error\":\"bad_signature\"}", response.body());
        assertTrue(client.find("rheo", "evt_e2e_3").isEmpty());
        assertTrue(client.all().stream().noneMatch(r -> r.key().dedupKey().contains("e2e_3")));
    }

    @Test
    void tamperedBody_is401AndLeavesNothing() throws Exception {
        SampleRequest good = sample("item.sold", "e2e_4");
        byte[] tampered = new String(good.body(), java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"salePrice\":1250", "\"salePrice\":1")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertEquals(401, client.post(good.path(), good.headers(), tampered).statusCode());
        assertTrue(client.find("rheo", "evt_e2e_4").isEmpty());
    }

    @Test
    void unknownRoute_is404() throws Exception {
        assertEquals(404, client.post("/webhooks/nobody", Map.of(), new byte[] {'{', '}'}).statusCode());
    }

    @Test
    void twentyConcurrentDeliveries_leaveOneRecordAndOneQueueMessage() throws Exception {
        try (LocalStack quiet = LocalStack.start(LocalStack.Options.forTests().withPolling(false))) {
            StackClient c = new StackClient(quiet, "RheoReceiverFunction");
            SampleRequest request = new RheoSamples().build("item.sold",
                    Env.of(quiet.environmentOf("RheoReceiverFunction")), Instant.now(), "race_1");
            ExecutorService pool = Executors.newFixedThreadPool(20);
            List<Callable<Integer>> posts = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                posts.add(() -> c.post(request).statusCode());
            }
            for (Future<Integer> f : pool.invokeAll(posts)) {
                assertEquals(200, f.get());
            }
            pool.shutdown();

            assertEquals(1, c.all().size());
            String queueUrl = quiet.resources().ref("EventsQueue").orElseThrow();
            String depth = quiet.backends().sqs().getQueueAttributes(r -> r.queueUrl(queueUrl)
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                    .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
            assertEquals("1", depth);
        }
    }

    @Test
    void emptySecretList_rejectsEveryRequest() throws Exception {
        try (LocalStack closed = LocalStack.start(LocalStack.Options.forTests()
                .withProcessEnv(Map.of("RHEO_WEBHOOK_SECRETS", "")))) {
            StackClient c = new StackClient(closed, "RheoReceiverFunction");
            // Signed with the test secret that the stack does not have.
            HttpResponse<String> response = c.post(sample("item.sold", "closed_1"));

            assertEquals(401, response.statusCode());
            assertEquals("{\"error\":\"not_configured\"}", response.body());
            assertTrue(c.all().isEmpty());
        }
    }

    @Test
    void logs_neverCarryTheSecretTheSignatureOrTheBody() throws Exception {
        SampleRequest request = sample("item.sold", "e2e_hygiene");
        client.post(request);
        client.awaitStatus("rheo", "evt_e2e_hygiene", EventStatus.PROCESSED, Duration.ofSeconds(15));

        String logs = SINK.all();
        for (String secret : secrets.list("RHEO_WEBHOOK_SECRETS")) {
            assertTrue(!logs.contains(secret), "a secret reached the logs");
        }
        assertTrue(!logs.contains(request.headers().get("x-rheo-signature").substring(7)));
        assertTrue(!logs.contains(new String(request.body(), java.nio.charset.StandardCharsets.UTF_8)));
    }
}
