package dev.inlet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.inlet.aws.lambda.HttpApiResponse;
import dev.inlet.core.queue.QueueMessage;
import dev.inlet.core.store.EventStatus;
import dev.inlet.core.testing.Checks;
import dev.inlet.embedded.SamTemplate;
import dev.inlet.local.emulator.EnvFile;
import dev.inlet.local.emulator.HttpApiEvents;
import dev.inlet.local.emulator.LocalContext;
import dev.inlet.local.emulator.LocalStack;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every file in events/ is read with the Lambda Java runtime's own serializer and handed to the handler
 * class that template.yaml names for it, with the variables of events/env.json (as
 * {@code sam local invoke --env-vars events/env.json} would), against the embedded backends.
 */
class EventsFolderTest {
    private static LocalStack stack;
    private static Path events;

    @BeforeAll
    static void start() {
        Path template = SamTemplate.locate();
        events = template.resolveSibling("events");
        EnvFile envFile = EnvFile.load(events.resolve("env.json"));
        stack = LocalStack.start(LocalStack.Options.forTests().withPolling(false)
                .withProcessEnv(envFile.forFunction("")));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** events/<provider>/ belongs to the function routed at /webhooks/<provider>. */
    private static String receiverFor(String folder) {
        return SamTemplate.load(SamTemplate.locate()).functions().stream()
                .filter(f -> f.routes().stream().anyMatch(r -> r.path().startsWith("/webhooks/" + folder)))
                .map(SamTemplate.Function::logicalId).findFirst()
                .orElseThrow(() -> new AssertionError("no function in template.yaml routes /webhooks/" + folder));
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return Checks.nonEmpty(s.filter(p -> p.toString().endsWith(".json")).sorted().toList(),
                    ".json event file in " + dir);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyReceiverEvent_verifiesAndIsStored_thenTheProcessorBatchProcessesThem() throws Exception {
        int invoked = 0;
        List<String> folders = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(events)) {
            // events/<provider>/ for receivers; events/processor, sweeper and reconciler are for the other functions
            // (EventsFilesInShadedJarsTest covers those in their own JVMs; the processor batch is checked below).
            dirs.filter(Files::isDirectory)
                    .filter(d -> !Set.of("processor", "sweeper", "reconciler").contains(d.getFileName().toString()))
                    .forEach(d -> folders.add(d.getFileName().toString()));
        }
        assertFalse(folders.isEmpty());
        for (String folder : folders) {
            String function = receiverFor(folder);
            var handler = (RequestStreamHandler) stack.handler(function);
            for (Path file : files(events.resolve(folder))) {
                // A stream handler gets the event file's bytes exactly as sam local invoke sends them.
                HttpApiResponse response = HttpApiEvents.invoke(handler, Files.readAllBytes(file),
                        new LocalContext(function, "test", 10_000));
                assertEquals(200, response.statusCode(), file + " -> " + response.body());
                assertEquals("{\"status\":\"accepted\"}", response.body(), file.toString());
                invoked++;
            }
        }
        assertTrue(invoked >= 6);

        SamTemplate template = SamTemplate.load(SamTemplate.locate());
        SamTemplate.Function processorFunction = template.functions().stream()
                .filter(SamTemplate.Function::sqsTriggered).findFirst().orElseThrow();
        String processorId = processorFunction.logicalId();
        var processor = (RequestHandler<SQSEvent, SQSBatchResponse>) stack.handler(processorId);
        var sqsSerializer = LambdaEventSerializers.serializerFor(SQSEvent.class, getClass().getClassLoader());
        StackClient client = new StackClient(stack, receiverFor(folders.get(0)));
        for (Path file : files(events.resolve("processor"))) {
            SQSEvent batch;
            try (InputStream in = Files.newInputStream(file)) {
                batch = sqsSerializer.fromJson(in);
            }
            assertFalse(batch.getRecords() == null || batch.getRecords().isEmpty(), file + " has no Records");
            // As Lambda gives it: the template's Timeout for the whole batch.
            SQSBatchResponse response = processor.handleRequest(batch, new LocalContext(processorId, "test",
                    LocalStack.timeoutMillis(template, processorFunction)));
            assertTrue(response.getBatchItemFailures().isEmpty(), file + " reported failures");
            for (SQSEvent.SQSMessage m : batch.getRecords()) {
                QueueMessage pointer = QueueMessage.fromJson(m.getBody());
                assertEquals(EventStatus.PROCESSED, client.awaitStatus(pointer.key().provider(),
                        pointer.key().dedupKey(), EventStatus.PROCESSED, Duration.ofSeconds(5)).status());
            }
        }
    }

    @Test
    void envFile_holdsOnlyObviouslyFakeSecrets() throws IOException {
        Map<String, String> env = EnvFile.load(events.resolve("env.json")).forFunction("");
        int checked = 0;
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            if (name.endsWith("_SECRETS") || name.endsWith("_KEYS") || name.endsWith("_TOKENS")) {
                for (String v : e.getValue().split(",")) {
                    assertTrue(v.contains("test") || v.matches("[0-9a-f]{64}") && v.startsWith("000"),
                            name + " holds a value that does not look like a test secret");
                    checked++;
                }
            }
        }
        Checks.ranAtLeastOnce(checked, "secret value of events/env.json");
    }
}
