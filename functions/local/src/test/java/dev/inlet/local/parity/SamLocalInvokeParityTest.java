package dev.inlet.local.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.dynamodb.DynamoDbEventStore;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code sam local invoke} parity: for every function of template.yaml, every events/ file meant for it
 * goes through the function's shaded jar in a fresh JVM, built by its no-arg constructor from an
 * environment made as SAM makes it from {@code --env-vars events/env.json} (only the variables the
 * template declares for the function; the file's section for the function over its Parameters). The
 * env file's {@code host.docker.internal} endpoints (SAM's container reaching your machine) point at
 * fresh embedded backends with the template's table and queue names.
 */
class SamLocalInvokeParityTest {
    private static final Path ROOT = SamTemplate.locate().getParent();
    private static final ThreadLocal<String> LAST_OUTPUT = new ThreadLocal<>();

    @Test
    void everyFunction_handlesEveryEventsFileMeantForIt_asSamLocalInvokeWould() throws Exception {
        SamTemplate template = SamTemplate.load(ROOT.resolve("template.yaml"));
        JsonNode envFile = Json.mapper().readTree(Files.readAllBytes(ROOT.resolve("events/env.json")));
        try (EmbeddedBackends backends = EmbeddedBackends.start(0, 0)) {
            LocalResources.create(template, backends, "", Optional.of(2));
            Map<String, List<Path>> filesByFunction = filesByFunction(template);
            assertEquals(template.functions().size(), filesByFunction.size(),
                    "every function has events/ files: " + filesByFunction.keySet());
            int invoked = 0;
            List<SamTemplate.Function> ordered = new ArrayList<>(template.functions());
            ordered.sort((a, b) -> Integer.compare(rank(a), rank(b)));   // receivers, then processor, sweeper
            for (SamTemplate.Function f : ordered) {
                List<String> results = invoke(f, filesByFunction.get(f.logicalId()), sam(f, envFile, backends));
                assertEquals(filesByFunction.get(f.logicalId()).size(), results.size(), f.logicalId() + ": "
                        + LAST_OUTPUT.get());
                for (String r : results) {
                    invoked++;
                    if (!f.routes().isEmpty()) {
                        assertTrue(r.contains("\"statusCode\":200") && r.contains("accepted"), f.logicalId() + ": " + r);
                    } else if (f.sqsTriggered()) {
                        assertTrue(r.contains("\"batchItemFailures\":[]"), f.logicalId() + ": " + r);
                    } else {
                        assertTrue(r.contains("\"stoppedEarly\":false"), f.logicalId() + ": " + r);
                    }
                }
            }
            assertTrue(invoked >= 25, "invoked " + invoked);
            assertBatchProcessed(backends);
        }
    }

    /** SAM's rule: the env file sets only variables the template declares for the function. */
    private static Map<String, String> sam(SamTemplate.Function f, JsonNode envFile, EmbeddedBackends backends) {
        Map<String, String> fromFile = new HashMap<>();
        envFile.path("Parameters").fields().forEachRemaining(e -> fromFile.put(e.getKey(), e.getValue().asText()));
        envFile.path(f.logicalId()).fields().forEachRemaining(e -> fromFile.put(e.getKey(), e.getValue().asText()));
        Map<String, String> env = new LinkedHashMap<>();
        f.environment().forEach((name, value) -> {
            if (fromFile.containsKey(name)) {
                env.put(name, fromFile.get(name)
                        .replace("host.docker.internal:8000", "127.0.0.1:" + backends.dynamoEndpoint().getPort())
                        .replace("host.docker.internal:9324", "127.0.0.1:" + backends.sqsEndpoint().getPort()));
            } else if (value.isTextual()) {
                env.put(name, value.asText());
            }
        });
        assertFalse(env.containsKey("JAVA_TOOL_OPTIONS") && env.get("JAVA_TOOL_OPTIONS").isBlank());
        env.put("AWS_REGION", EmbeddedBackends.REGION);
        env.put("AWS_ACCESS_KEY_ID", EmbeddedBackends.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", EmbeddedBackends.SECRET_KEY);
        return env;
    }

    private static List<String> invoke(SamTemplate.Function f, List<Path> files, Map<String, String> env)
            throws IOException, InterruptedException {
        Path jar = ROOT.resolve(f.codeUri());
        assertTrue(Files.isRegularFile(jar), jar + " is built by ./mvnw package before this test");
        String serialization = new File(LambdaEventSerializers.class.getProtectionDomain().getCodeSource()
                .getLocation().getPath()).getPath();
        String driver = new File(InvokeMain.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .getPath();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dinlet.remainingMillis=" + timeoutSeconds(f) * 1000,
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

    /** The function's own Timeout, else the template's Globals one. */
    private static int timeoutSeconds(SamTemplate.Function f) {
        JsonNode own = f.properties().path("Timeout");
        return own.isMissingNode() ? SamTemplate.load(SamTemplate.locate()).root().path("Globals").path("Function")
                .path("Timeout").asInt(10) : own.asInt();
    }

    private static Map<String, List<Path>> filesByFunction(SamTemplate template) throws IOException {
        Map<String, List<Path>> out = new LinkedHashMap<>();
        try (Stream<Path> dirs = Files.list(ROOT.resolve("events"))) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                String folder = dir.getFileName().toString();
                SamTemplate.Function f = template.functions().stream().filter(fn -> switch (folder) {
                    case "processor" -> fn.sqsTriggered();
                    case "sweeper" -> fn.scheduled();
                    default -> fn.routes().stream().anyMatch(r -> r.path().startsWith("/webhooks/" + folder));
                }).findFirst().orElseThrow(() -> new AssertionError("no function for events/" + folder));
                try (Stream<Path> files = Files.list(dir)) {
                    out.put(f.logicalId(), files.filter(p -> p.toString().endsWith(".json")).sorted().toList());
                }
            }
        }
        return out;
    }

    private static void assertBatchProcessed(EmbeddedBackends backends) throws IOException {
        Map<String, String> env = new HashMap<>(backends.awsEnvironment());
        env.put("EVENTS_TABLE", "EventsTable");
        BackendSettings settings = BackendSettings.from(Env.of(env));
        DynamoDbEventStore store = new DynamoDbEventStore(new AwsClients(settings).dynamoDb(), "EventsTable");
        JsonNode batch = Json.mapper().readTree(Files.readAllBytes(ROOT.resolve("events/processor/sqs-batch.json")));
        for (JsonNode record : batch.path("Records")) {
            QueueMessage m = QueueMessage.fromJson(record.path("body").asText());
            assertEquals(EventStatus.PROCESSED, store.find(m.key(), Instant.now()).orElseThrow().status(), m.key().id());
        }
    }

    private static int rank(SamTemplate.Function f) {
        return !f.routes().isEmpty() ? 0 : f.sqsTriggered() ? 1 : 2;
    }

    private static String tail(String output) {
        return output.length() > 3000 ? output.substring(output.length() - 3000) : output;
    }
}
