package dev.inlet.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.core.json.Json;
import dev.inlet.core.store.EventStatus;
import dev.inlet.embedded.MotoServer;
import dev.inlet.local.Main;
import dev.inlet.local.StackClient;
import dev.inlet.local.Tools;
import dev.inlet.local.console.ConsoleAlarms;
import dev.inlet.local.console.ConsoleGuard;
import dev.inlet.local.console.ConsoleSecurityTest;
import dev.inlet.local.emulator.LocalStack;
import dev.inlet.local.samples.ProviderSamples;
import dev.inlet.local.samples.SampleRequest;
import dev.inlet.local.samples.Samples;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ./inlet console --stack NAME}: the console on its own loopback port against a stack's table and
 * queues. There is no AWS here: the stack's resources are the local stack's (as {@link StackTarget}
 * would resolve them from the outputs), and its alarms come from the real AWS CLI talking to moto_server.
 */
class ConsoleCommandTest {
    private static LocalStack stack;
    /** A browser's cookie jar: the one-time URL's session cookie goes with every later request. */
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager())
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    @BeforeAll
    static void start() {
        stack = LocalStack.start(LocalStack.Options.forTests());
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void consoleWithoutAStack_isAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Main.run(List.of("console"), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("console needs --stack NAME"));
    }

    @Test
    void standaloneConsole_listensOnLoopbackOnly_showsTheStacksEvents_andCannotSendSamples() throws Exception {
        ProviderSamples rheo = Samples.of("rheo").orElseThrow();
        SampleRequest sample = rheo.build("item.created", stack.functionSettings(), Instant.now(),
                UUID.randomUUID().toString());
        StackClient client = new StackClient(stack, "RheoReceiverFunction");
        assertEquals(200, client.post(sample).statusCode());
        String dedupKey = StackClient.keyOf(rheo, stack.functionSettings(), sample).dedupKey();
        client.awaitStatus("rheo", dedupKey, EventStatus.PROCESSED, Duration.ofSeconds(15));

        try (ConsoleCommand.Served served = ConsoleCommand.serve(stack.commandEnvironment(), ConsoleAlarms.none(),
                "stack shop", 0, Clock.systemUTC())) {
            assertTrue(served.server().address().getAddress().isLoopbackAddress());
            String base = served.url();
            String token = token(get(served.console().oneTimeUrl(), null).body());

            JsonNode config = Json.parse(get(base + "console/api/config", token).body());
            JsonNode events = Json.parse(get(base + "console/api/events?provider=rheo", token).body());
            HttpResponse<String> send = http.send(HttpRequest.newBuilder(URI.create(base + "console/api/send"))
                    .header(ConsoleGuard.TOKEN_HEADER, token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"provider\":\"rheo\",\"eventType\":\"item.sold\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertEquals("stack shop", config.path("target").asText());
            assertEquals(false, config.path("canSend").asBoolean(true));
            assertTrue(events.path("events").toString().contains("\"rheo#" + dedupKey + "\""), events.toString());
            assertEquals(400, send.statusCode(), send.body());
        }
    }

    @Test
    void deployedConsole_showsAnEventsTraceId_linkedToTheXRayConsoleOfTheStacksRegion() throws Exception {
        String root = "1-67890abc-0123456789abcdef01234567";
        dev.inlet.core.config.Env env = stack.commandEnvironment();
        var dynamo = new dev.inlet.aws.AwsClients(dev.inlet.aws.BackendSettings.from(env)).dynamoDb();
        Instant now = Instant.now();
        dev.inlet.core.store.EventKey key = new dev.inlet.core.store.EventKey("rheo", "traced-" + UUID.randomUUID());
        new dev.inlet.aws.dynamodb.DynamoDbEventStore(dynamo, env.required("EVENTS_TABLE")).create(
                dev.inlet.core.store.EventRecord.received(key, "item.sold", now, java.util.Optional.empty(), new byte[0],
                        Map.of(), now.plusSeconds(30), now.plus(Duration.ofDays(1)))
                        .withTraceHeader(java.util.Optional.of("Root=" + root + ";Parent=53995c3f42cd8ad8;Sampled=1")), now);

        // The region only names the X-Ray console here: DynamoDB Local keeps one database per region.
        try (ConsoleCommand.Served served = ConsoleCommand.serve(new dev.inlet.local.console.ConsoleData(env,
                        Clock.systemUTC(), dev.inlet.local.console.ConsoleData.EXAMINE_AT_MOST), ConsoleAlarms.none(),
                "stack shop", 0, Clock.systemUTC(), dev.inlet.local.console.ConsoleGuard.newToken(),
                dev.inlet.local.console.ConsolePublished.deployed(env.with("AWS_REGION", "eu-west-1")))) {
            String token = token(get(served.console().oneTimeUrl(), null).body());
            JsonNode event = Json.parse(get(served.url() + "console/api/event?id="
                    + java.net.URLEncoder.encode(key.id(), StandardCharsets.UTF_8), token).body());

            assertEquals(root, event.path("trace").path("id").asText(), event.toString());
            assertEquals("https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#xray:traces/" + root,
                    event.path("trace").path("url").asText());
            assertEquals(false, event.path("published").path("available").asBoolean(true), "no bus to read deployed");
        }
    }

    @Test
    void deployedConsole_showsTheStacksAlarmsInAlarm_readWithTheAwsCli() throws Exception {
        Tools.require(Tools.MOTO_SERVER);
        Tools.require(Tools.AWS_CLI);
        try (MotoServer moto = MotoServer.start()) {
            Map<String, String> awsEnv = Map.of("AWS_ENDPOINT_URL", moto.endpoint().toString(),
                    "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing",
                    "AWS_DEFAULT_REGION", "eu-north-1", "AWS_REGION", "eu-north-1");
            for (String name : List.of("shop-DeadLetterQueueNotEmptyAlarm-AB12", "shop-OldestQueuedEventAlarm-CD34",
                    "other-DeadLetterQueueNotEmptyAlarm-EF56")) {
                aws(awsEnv, "cloudwatch", "put-metric-alarm", "--alarm-name", name, "--namespace", "AWS/SQS",
                        "--metric-name", "ApproximateNumberOfMessagesVisible", "--statistic", "Maximum",
                        "--period", "60", "--evaluation-periods", "1", "--threshold", "0",
                        "--comparison-operator", "GreaterThanThreshold");
            }
            for (String name : List.of("shop-DeadLetterQueueNotEmptyAlarm-AB12", "other-DeadLetterQueueNotEmptyAlarm-EF56")) {
                aws(awsEnv, "cloudwatch", "set-alarm-state", "--alarm-name", name, "--state-value", "ALARM",
                        "--state-reason", "3 messages in the DLQ");
            }
            ConsoleAlarms alarms = ConsoleAlarms.ofStack("shop",
                    arguments -> StackTarget.awsCli(arguments, "the alarms of stack shop", awsEnv));

            try (ConsoleCommand.Served served = ConsoleCommand.serve(stack.commandEnvironment(), alarms,
                    "stack shop", 0, Clock.systemUTC())) {
                String token = token(get(served.console().oneTimeUrl(), null).body());
                JsonNode summary = Json.parse(get(served.url() + "console/api/summary", token).body());

                JsonNode shown = summary.path("alarms");
                assertTrue(shown.path("available").asBoolean(), shown.toString());
                assertEquals(1, shown.path("inAlarm").size(), shown.toString());
                assertEquals("shop-DeadLetterQueueNotEmptyAlarm-AB12", shown.path("inAlarm").get(0).path("name").asText());
                assertEquals("3 messages in the DLQ", shown.path("inAlarm").get(0).path("reason").asText());
                assertEquals(0, summary.path("deadLetterDepth").asInt(-1));
            }
        }
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header(ConsoleGuard.TOKEN_HEADER, token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r;
    }

    private static String token(String page) {
        return ConsoleSecurityTest.runToken(page);
    }

    private static void aws(Map<String, String> env, String... arguments) {
        StackTarget.awsCli(List.of(arguments), "moto", env);
    }

}
