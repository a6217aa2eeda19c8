package dev.inlet.local.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.core.json.Json;
import dev.inlet.embedded.EmbeddedBackends;
import dev.inlet.embedded.SamTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * What the parity tests share: the events/ files per function, and SAM's environment for a function (also
 * the warm-work benchmark's, through this module's test-jar).
 */
public final class ParityFixtures {
    public static final Path ROOT = SamTemplate.locate().getParent();

    private ParityFixtures() {
    }

    /**
     * Refuses a shaded jar older than the classes it is built from (its module's, core's and the adapters'):
     * a partial build ({@code -pl}, or an IDE's compile) leaves the jar of an earlier build in target/, and
     * a test of that jar would prove nothing about the code in front of you.
     */
    static void requireFresh(Path jar) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(ROOT.relativize(jar) + " is missing: ./mvnw package builds it before this test");
        }
        long built = Files.getLastModifiedTime(jar).toMillis();
        for (Path classes : List.of(jar.getParent().resolve("classes"), ROOT.resolve("functions/core/target/classes"),
                ROOT.resolve("functions/aws/target/classes"))) {
            if (!Files.isDirectory(classes)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(classes)) {
                var newer = files.filter(Files::isRegularFile).filter(f -> {
                    try {
                        return Files.getLastModifiedTime(f).toMillis() > built;
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).findFirst();
                if (newer.isPresent()) {
                    throw new AssertionError(ROOT.relativize(jar) + " is older than " + ROOT.relativize(newer.get())
                            + ": a stale jar from an earlier build; rebuild it (./mvnw package -DskipTests)");
                }
            }
        }
    }

    /** events/&lt;folder&gt;/*.json per function: a provider's route, the SQS-triggered, the scheduled one. */
    static Map<String, List<Path>> filesByFunction(SamTemplate template) throws IOException {
        Map<String, List<Path>> out = new LinkedHashMap<>();
        try (Stream<Path> dirs = Files.list(ROOT.resolve("events"))) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                String folder = dir.getFileName().toString();
                SamTemplate.Function f = template.functions().stream().filter(fn -> switch (folder) {
                    case "processor" -> fn.sqsTriggered();
                    case "sweeper" -> fn.scheduled() && fn.handlerClass().endsWith(".SweeperFunction");
                    case "reconciler" -> fn.scheduled() && fn.handlerClass().endsWith(".ReconcilerFunction");
                    default -> fn.routes().stream().anyMatch(r -> r.path().startsWith("/webhooks/" + folder));
                }).findFirst().orElseThrow(() -> new AssertionError("no function for events/" + folder));
                try (Stream<Path> files = Files.list(dir)) {
                    out.put(f.logicalId(), files.filter(p -> p.toString().endsWith(".json")).sorted().toList());
                }
            }
        }
        return out;
    }

    /**
     * SAM's rule: the env file sets only variables the template declares for the function (its section
     * for the function over its Parameters); the rest keep the template's literal values. The file's
     * {@code host.docker.internal} endpoints point at the given embedded backends.
     */
    public static Map<String, String> samEnvironment(SamTemplate.Function f, JsonNode envFile, EmbeddedBackends backends) {
        Map<String, String> fromFile = new HashMap<>();
        envFile.path("Parameters").properties().forEach(e -> fromFile.put(e.getKey(), e.getValue().asText()));
        envFile.path(f.logicalId()).properties().forEach(e -> fromFile.put(e.getKey(), e.getValue().asText()));
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
        if (env.containsKey("JAVA_TOOL_OPTIONS") && env.get("JAVA_TOOL_OPTIONS").isBlank()) {
            throw new AssertionError(f.logicalId() + ": a blank JAVA_TOOL_OPTIONS");
        }
        env.put("AWS_REGION", EmbeddedBackends.REGION);
        env.put("AWS_ACCESS_KEY_ID", EmbeddedBackends.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", EmbeddedBackends.SECRET_KEY);
        return env;
    }

    /** Receivers first, then the processor, then the sweeper. */
    static int rank(SamTemplate.Function f) {
        return !f.routes().isEmpty() ? 0 : f.sqsTriggered() ? 1 : 2;
    }

    /** An SQS event as Lambda's event source mapping builds it from received messages. */
    static byte[] sqsEvent(List<Message> batch, String queueArn) throws Exception {
        ObjectNode event = Json.object();
        ArrayNode records = event.putArray("Records");
        for (Message m : batch) {
            ObjectNode r = records.addObject();
            r.put("messageId", m.messageId());
            r.put("receiptHandle", m.receiptHandle());
            r.put("body", m.body());
            ObjectNode attributes = r.putObject("attributes");
            m.attributes().forEach((k, v) -> attributes.put(k.toString(), v));
            r.putObject("messageAttributes");
            r.put("md5OfBody", m.md5OfBody());
            r.put("eventSource", "aws:sqs");
            r.put("eventSourceARN", queueArn);
            r.put("awsRegion", EmbeddedBackends.REGION);
        }
        return Json.mapper().writeValueAsBytes(event);
    }
}
