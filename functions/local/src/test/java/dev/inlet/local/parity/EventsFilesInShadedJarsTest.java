package dev.inlet.local.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.dynamodb.DynamoDbEventStore;
import dev.inlet.aws.testing.TestClients;
import dev.inlet.core.config.Env;
import dev.inlet.core.json.Json;
import dev.inlet.core.queue.QueueMessage;
import dev.inlet.core.store.EventStatus;
import dev.inlet.embedded.EmbeddedBackends;
import dev.inlet.embedded.LocalResources;
import dev.inlet.embedded.SamTemplate;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The events/ files through our own emulation of {@code sam local invoke} (SAM itself is not installable
 * here, so this test never runs SAM or its container): for every function of template.yaml, every events/ file meant for it
 * goes through the function's shaded jar in a fresh JVM, built by its no-arg constructor from an
 * environment made as SAM makes it from {@code --env-vars events/env.json} (only the variables the
 * template declares for the function; the file's section for the function over its Parameters). The
 * env file's {@code host.docker.internal} endpoints (SAM's container reaching your machine) point at
 * fresh embedded backends with the template's table and queue names.
 */
class EventsFilesInShadedJarsTest {
    private static final Path ROOT = ParityFixtures.ROOT;
    private static final ThreadLocal<String> LAST_OUTPUT = new ThreadLocal<>();

    @Test
    void everyFunction_handlesEveryEventsFileMeantForIt_inItsShadedJar_withTheEnvironmentSamWouldBuild() throws Exception {
        SamTemplate template = SamTemplate.load(ROOT.resolve("template.yaml"));
        JsonNode envFile = Json.mapper().readTree(Files.readAllBytes(ROOT.resolve("events/env.json")));
        try (EmbeddedBackends backends = EmbeddedBackends.start(0, 0)) {
            LocalResources.create(template, backends, "", Optional.of(2));
            Map<String, List<Path>> filesByFunction = ParityFixtures.filesByFunction(template);
            assertEquals(template.functions().size(), filesByFunction.size(),
                    "every function has events/ files: " + filesByFunction.keySet());
            int invoked = 0;
            List<SamTemplate.Function> ordered = new ArrayList<>(template.functions());
            ordered.sort((a, b) -> Integer.compare(ParityFixtures.rank(a), ParityFixtures.rank(b)));   // receivers, then processor, sweeper
            for (SamTemplate.Function f : ordered) {
                List<String> results = invoke(f, filesByFunction.get(f.logicalId()), ParityFixtures.samEnvironment(f, envFile, backends));
                assertEquals(filesByFunction.get(f.logicalId()).size(), results.size(), f.logicalId() + ": "
                        + LAST_OUTPUT.get());
                for (String r : results) {
                    invoked++;
                    if (!f.routes().isEmpty()) {
                        assertTrue(r.contains("\"statusCode\":200") && r.contains("accepted"), f.logicalId() + ": " + r
                                + "\nthe function's output, last lines:\n" + LAST_OUTPUT.get());
                    } else if (f.sqsTriggered()) {
                        assertTrue(r.contains("\"batchItemFailures\":[]"), f.logicalId() + ": " + r);
                    } else if (f.handlerClass().endsWith(".ReconcilerFunction")) {
                        // events/env.json names no Reverb API token, as a stack deployed without one: no run.
                        assertTrue(r.contains("\"skipped\"") && r.contains("REVERB_API_TOKEN_ARN"), f.logicalId() + ": " + r);
                    } else {
                        assertTrue(r.contains("\"stoppedEarly\":false"), f.logicalId() + ": " + r);
                    }
                }
            }
            assertTrue(invoked >= 25, "invoked " + invoked);
            assertBatchProcessed(backends);
        }
    }

    private static List<String> invoke(SamTemplate.Function f, List<Path> files, Map<String, String> env)
            throws IOException, InterruptedException {
        Path jar = ROOT.resolve(f.codeUri());
        ParityFixtures.requireFresh(jar);
        String serialization = new File(LambdaEventSerializers.class.getProtectionDomain().getCodeSource()
                .getLocation().getPath()).getPath();
        String driver = new File(InvokeMain.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .getPath();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dinlet.remainingMillis="
                        + Integer.parseInt(LambdaJavaRuntime.property(SamTemplate.load(SamTemplate.locate()), f,
                        "Timeout", "3")) * 1000,
                "-cp", jar + File.pathSeparator + serialization + File.pathSeparator + driver,
                InvokeMain.class.getName(), f.handler()));
        files.forEach(p -> command.add(p.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process process = pb.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), f.logicalId() + " did not finish");
        assertEquals(0, process.exitValue(), f.logicalId() + " failed:\n" + tail(output));
        LAST_OUTPUT.set(tail(output));
        // Outside Lambda, the runtime's logger writes without line breaks: a result can follow log output.
        return output.lines().filter(l -> l.contains("RESULT ")).map(l -> l.substring(l.indexOf("RESULT "))).toList();
    }

    private static void assertBatchProcessed(EmbeddedBackends backends) throws IOException {
        Map<String, String> env = new HashMap<>(backends.awsEnvironment());
        env.put("EVENTS_TABLE", "EventsTable");
        BackendSettings settings = BackendSettings.from(Env.of(env));
        DynamoDbEventStore store = new DynamoDbEventStore(TestClients.of(settings).dynamoDb(), "EventsTable");
        JsonNode batch = Json.mapper().readTree(Files.readAllBytes(ROOT.resolve("events/processor/sqs-batch.json")));
        for (JsonNode record : batch.path("Records")) {
            QueueMessage m = QueueMessage.fromJson(record.path("body").asText());
            assertEquals(EventStatus.PROCESSED, store.find(m.key(), Instant.now()).orElseThrow().status(), m.key().id());
        }
    }

    private static String tail(String output) {
        return output.length() > 3000 ? output.substring(output.length() - 3000) : output;
    }
}
