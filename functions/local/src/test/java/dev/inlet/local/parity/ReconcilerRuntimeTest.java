package dev.inlet.local.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.dynamodb.DynamoDbEventStore;
import dev.inlet.core.config.Env;
import dev.inlet.core.json.Json;
import dev.inlet.core.store.EventQuery;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventSource;
import dev.inlet.core.store.EventStatus;
import dev.inlet.embedded.EmbeddedBackends;
import dev.inlet.embedded.LocalResources;
import dev.inlet.embedded.MotoServer;
import dev.inlet.embedded.SamTemplate;
import dev.inlet.local.parity.CloudWatchLogEvents.Series;
import dev.inlet.local.parity.LambdaJavaRuntime.LogEvent;
import dev.inlet.local.reconcile.ReverbStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The ReconcilerFunction jar as Lambda's managed Java runtime runs it ({@link LambdaJavaRuntime}), as
 * deployed: the API token read by ARN from Secrets Manager (moto), the events and entities tables on
 * DynamoDB Local, the queue on ElasticMQ, Reverb's API a loopback stand-in with an order no webhook brought.
 */
class ReconcilerRuntimeTest {
    private static final Path WORK = ParityFixtures.ROOT.resolve("functions/local/target/runtime-parity");

    @Test
    void theScheduledReconciler_readsItsTokenFromSecretsManager_recoversTheLostOrderOnce_andCountsReconciled()
            throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux"),
                "AWS's runtime interface client ships its native Runtime API client for Linux only");
        assumeTrue(MotoServer.executable().isPresent(), MotoServer.ABSENT);
        SamTemplate template = SamTemplate.load(ParityFixtures.ROOT.resolve("template.yaml"));
        JsonNode envFile = Json.mapper().readTree(Files.readAllBytes(ParityFixtures.ROOT.resolve("events/env.json")));
        SamTemplate.Function f = template.functions().stream()
                .filter(fn -> fn.handlerClass().endsWith(".ReconcilerFunction")).findFirst().orElseThrow();
        assertTrue(f.scheduled(), "the reconciler runs on a schedule");
        Path scheduled = ParityFixtures.filesByFunction(template).get(f.logicalId()).get(0);

        try (EmbeddedBackends backends = EmbeddedBackends.start(0, 0);
             MotoServer moto = MotoServer.start();
             ReverbStandIn reverb = new ReverbStandIn(1)) {
            LocalResources.create(template, backends, "", Optional.empty());
            reverb.order("9001", "shipped", Instant.now().minus(Duration.ofMinutes(10)));
            Map<String, String> env = new LinkedHashMap<>(ParityFixtures.samEnvironment(f, envFile, backends));
            env.put("REVERB_API_TOKEN_ARN", tokenSecret(moto));
            env.put("SECRETS_MANAGER_ENDPOINT", moto.endpoint().toString());
            env.put("REVERB_API_BASE", reverb.base());
            assertFalse(env.containsKey("REVERB_API_TOKEN"), "no plain token: only the ARN, as deployed");

            LambdaJavaRuntime runtime = LambdaJavaRuntime.start(template, f, env,
                    LambdaJavaRuntime.loggingConfig(template, f), WORK.resolve(f.logicalId() + "-secrets-manager"));
            JsonNode first;
            JsonNode second;
            List<LogEvent> logs;
            try {
                first = answer(runtime.invoke(Files.readAllBytes(scheduled)));
                second = answer(runtime.invoke(Files.readAllBytes(scheduled)));
            } finally {
                logs = runtime.stop();
            }

            assertEquals(1, first.path("recovered").asInt(), "the first run recovers the order: " + first);
            assertTrue(first.path("cursorMoved").asBoolean(), first.toString());
            assertEquals(0, second.path("recovered").asInt(), "a second run adds nothing: " + second);
            assertEquals(1, second.path("known").asInt(), second.toString());
            assertTrue(reverb.requests().stream().allMatch(r -> ("Bearer " + ReverbStandIn.TOKEN)
                    .equals(r.headers().get("authorization"))), "every call carried the token read from Secrets Manager");

            Set<Series> series = CloudWatchLogEvents.series(logs);
            assertTrue(series.contains(new Series("Inlet", "Reconciled", Map.of("provider", "reverb"))),
                    "the alarm's series, exactly its dimensions: " + series);
            List<String> problems = CloudWatchLogEvents.problems(logs, Set.copyOf(runtime.requestIds()),
                    Map.of(f.logicalId() + "-secrets-manager", runtime.firstDispatchMicros()));
            assertTrue(problems.isEmpty(), String.join("\n", problems));
            assertTrue(logs.stream().noneMatch(l -> l.text().contains(ReverbStandIn.TOKEN)), "no log line holds the token");

            Map<String, String> admin = new HashMap<>(backends.awsEnvironment());
            admin.put("EVENTS_TABLE", "EventsTable");
            DynamoDbEventStore events = new DynamoDbEventStore(new AwsClients(BackendSettings.from(Env.of(admin)))
                    .dynamoDb(), "EventsTable");
            List<EventRecord> stored = events.list(new EventQuery(Optional.of("reverb"), Optional.empty(),
                    Optional.empty(), Optional.empty(), 10), Instant.now());
            assertEquals(1, stored.size(), stored.toString());
            assertEquals(EventSource.RECONCILE, stored.get(0).source());
            assertEquals(EventStatus.RECEIVED, stored.get(0).status(), "stored and queued for the processor");
            assertEquals(1, backends.sqs().receiveMessage(r -> r.queueUrl(env.get("EVENTS_QUEUE_URL"))
                    .maxNumberOfMessages(10)).messages().size(), "one message on the events queue");
        }
    }

    private static String tokenSecret(MotoServer moto) {
        Map<String, String> admin = new HashMap<>(Map.of("AWS_REGION", EmbeddedBackends.REGION,
                "AWS_ACCESS_KEY_ID", EmbeddedBackends.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", EmbeddedBackends.SECRET_KEY,
                "EVENTS_TABLE", "unused", "SECRETS_MANAGER_ENDPOINT", moto.endpoint().toString()));
        try (var secrets = new AwsClients(BackendSettings.from(Env.of(admin))).secretsManager()) {
            return secrets.createSecret(r -> r.name("inlet/reverb-api-token-" + System.nanoTime())
                    .secretString(ReverbStandIn.TOKEN)).arn();
        }
    }

    /** The handler's String answer, which the runtime serializes as a JSON string. */
    private static JsonNode answer(RuntimeApiServer.Answer answer) throws Exception {
        assertFalse(answer.error(), answer.errorType() + " " + answer.body());
        JsonNode node = Json.parse(answer.body());
        return node.isTextual() ? Json.parse(node.asText()) : node;
    }
}
