package dev.inlet.local.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.dynamodb.DynamoDbEventStore;
import dev.inlet.aws.lambda.Observability;
import dev.inlet.aws.testing.TestClients;
import dev.inlet.core.config.Env;
import dev.inlet.core.json.Json;
import dev.inlet.core.observe.Metrics;
import dev.inlet.core.queue.QueueMessage;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStatus;
import dev.inlet.core.store.StatusHistory;
import dev.inlet.embedded.EmbeddedBackends;
import dev.inlet.embedded.LocalResources;
import dev.inlet.embedded.MotoServer;
import dev.inlet.local.Tools;
import dev.inlet.embedded.SamTemplate;
import dev.inlet.local.parity.CloudWatchLogEvents.Series;
import dev.inlet.local.parity.LambdaJavaRuntime.LogEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * Every function of template.yaml run as Lambda's managed Java runtime runs it ({@link LambdaJavaRuntime}:
 * AWS's runtime interface client, the shaded jar as task root, the template's environment and
 * LoggingConfig, a Runtime API served here), against DynamoDB Local and ElasticMQ. The run:
 * <ol>
 *   <li>a receiver that lost SQS two hours ago leaves one record stranded (in-process, SQS down);</li>
 *   <li>the sweeper, on the scheduled event, sends it;</li>
 *   <li>every receiver gets each of its events/ files, its first file once more (a provider retry) and a
 *       tampered copy of it (a forged request);</li>
 *   <li>the processor gets every message actually on the queue, in batches as the event source mapping
 *       builds them, then the events/processor files (redeliveries);</li>
 *   <li>one receiver again under ApplicationLogLevel WARN, and once in the Text log format.</li>
 * </ol>
 * Then the answers, the stored state, every log event as CloudWatch receives it, the metrics against
 * the alarms, the metric list of docs/operations.md and the dashboard.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RuntimeParityTest {
    private static final Path ROOT = ParityFixtures.ROOT;
    private static final Path WORK = ROOT.resolve("functions/local/target/runtime-parity");

    private SamTemplate template;
    private final Map<String, List<LogEvent>> logsByRun = new LinkedHashMap<>();
    private final Set<String> requestIds = new LinkedHashSet<>();
    private final Map<String, Long> initEnds = new HashMap<>();
    private final List<String> answerProblems = new ArrayList<>();
    private final List<String> stateProblems = new ArrayList<>();
    private final List<String> strandingLog = new ArrayList<>();
    private long wallMillis;
    private AwsCallRecorder awsCalls; // issue 23: every AWS call of each function, for RecordedCallsIam
    private LambdaJavaRuntime.Jdk jdk25;
    private long jdk25Millis;
    private final List<String> jdk25Functions = new ArrayList<>();

    @BeforeAll
    void runEveryFunctionUnderTheRuntime() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux"),
                "AWS's runtime interface client ships its native Runtime API client for Linux only");
        long start = System.nanoTime();
        template = SamTemplate.load(ROOT.resolve("template.yaml"));
        awsCalls = new AwsCallRecorder(template);
        JsonNode envFile = Json.mapper().readTree(Files.readAllBytes(ROOT.resolve("events/env.json")));
        Map<String, List<Path>> files = ParityFixtures.filesByFunction(template);
        List<SamTemplate.Function> receivers = template.functions().stream().filter(f -> !f.routes().isEmpty())
                .sorted(Comparator.comparing(SamTemplate.Function::logicalId)).toList();
        SamTemplate.Function sweeper = template.functions().stream().filter(SamTemplate.Function::scheduled)
                .filter(f -> f.handlerClass().endsWith(".SweeperFunction")).findFirst().orElseThrow();
        SamTemplate.Function processor = template.functions().stream().filter(SamTemplate.Function::sqsTriggered)
                .findFirst().orElseThrow();
        try (EmbeddedBackends backends = EmbeddedBackends.start(0, 0)) {
            LocalResources resources = LocalResources.create(template, backends, "", Optional.empty());
            SamTemplate.Function stranding = receivers.get(0);
            Path strandedFile = files.get(stranding.logicalId()).get(0);
            strand(stranding, strandedFile, ParityFixtures.samEnvironment(stranding, envFile, backends));

            run(sweeper, envFile, backends, "", runtime -> {
                for (Path file : files.get(sweeper.logicalId())) {
                    JsonNode answer = answerJson(runtime.invoke(Files.readAllBytes(file)), sweeper, file);
                    expect(answer != null && answer.path("sent").asInt() == 1
                            && !answer.path("stoppedEarly").asBoolean(true), sweeper, file, "sends the stranded record", answer);
                }
            });

            int accepted = 0;
            for (SamTemplate.Function receiver : receivers) {
                List<Path> own = files.get(receiver.logicalId());
                accepted += own.size();
                run(receiver, envFile, backends, "", runtime -> {
                    for (Path file : own) {
                        JsonNode answer = answerJson(runtime.invoke(Files.readAllBytes(file)), receiver, file);
                        String wanted = file.equals(strandedFile) ? "duplicate" : "accepted";
                        expect(status(answer) == 200 && body(answer).contains(wanted), receiver, file, "200 " + wanted, answer);
                    }
                    Path first = own.get(0);
                    JsonNode retry = answerJson(runtime.invoke(Files.readAllBytes(first)), receiver, first);
                    expect(status(retry) == 200 && body(retry).contains("duplicate"), receiver, first,
                            "a retry is a 200 duplicate", retry);
                    JsonNode forged = answerJson(runtime.invoke(tampered(first)), receiver, first);
                    expect(status(forged) == 401 || status(forged) == 404, receiver, first,
                            "a tampered copy is refused (401, or 404 for a path token)", forged);
                });
            }

            String queueUrl = resources.ref(queueOf(processor)).orElseThrow();
            Set<EventKey> queued = new LinkedHashSet<>();
            run(processor, envFile, backends, "", runtime -> {
                int batchSize = processor.properties().path("Events").elements().next().path("Properties")
                        .path("BatchSize").asInt(10);
                for (List<Message> batch = receive(backends, queueUrl, batchSize); !batch.isEmpty();
                     batch = receive(backends, queueUrl, batchSize)) {
                    batch.forEach(m -> queued.add(QueueMessage.fromJson(m.body()).key()));
                    JsonNode answer = answerJson(runtime.invoke(ParityFixtures.sqsEvent(batch, resources.arn(queueOf(processor))
                            .orElseThrow())), processor, Path.of("queue batch"));
                    expect(answer != null && answer.path("batchItemFailures").isArray()
                            && answer.path("batchItemFailures").isEmpty(), processor, Path.of("queue batch"),
                            "no batch item failures", answer);
                    // As the event source mapping does for the items that did not fail.
                    batch.forEach(m -> backends.sqs().deleteMessage(DeleteMessageRequest.builder()
                            .queueUrl(queueUrl).receiptHandle(m.receiptHandle()).build()));
                }
                for (Path file : files.get(processor.logicalId())) {
                    JsonNode answer = answerJson(runtime.invoke(Files.readAllBytes(file)), processor, file);
                    expect(answer != null && answer.path("batchItemFailures").isArray()
                            && answer.path("batchItemFailures").isEmpty(), processor, file,
                            "redeliveries are harmless", answer);
                }
            });
            checkStoredState(backends, queued, accepted);
            reconcileOneLostOrder(envFile, backends);
            publishWithTheBusDown(processor, envFile, backends, resources, queueUrl, queued);

            Map<String, String> warn = new LinkedHashMap<>(LambdaJavaRuntime.loggingConfig(template, stranding));
            warn.put("ApplicationLogLevel", "WARN");
            runWith(stranding, envFile, backends, "level-warn", warn, this::retryAndForge);
            Map<String, String> text = new LinkedHashMap<>();
            text.put("LogFormat", "Text");
            runWith(stranding, envFile, backends, "format-text", text, this::retryAndForge);
            if (Tools.find(Tools.MOTO_SERVER).isPresent()) {   // without it, the one test that needs it says so
                try (MotoServer moto = MotoServer.start()) {
                    run(stranding, readingItsSecretFromSecretsManager(stranding, envFile, moto), backends,
                            "secrets-manager", this::retryAndForge);
                }
            }
            if (Files.isDirectory(LambdaJavaRuntime.Jdk.TEMURIN_25)) {   // without it, the test that needs it says so
                long on25 = System.nanoTime();
                onTemurin25(envFile, backends, files);
                jdk25Millis = (System.nanoTime() - on25) / 1_000_000;
            }
        }
        awsCalls.close();
        awsCalls.write(WORK.resolve("aws-calls.json"));
        wallMillis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("runtime parity run: " + wallMillis + " ms, "
                + logsByRun.values().stream().mapToInt(List::size).sum() + " log events");
    }

    /**
     * A representative subset on Temurin 25 (the full run above is on the build's JDK 17): every function
     * once, in its own environment, with its first events/ file, after the full run stored everything (so a
     * receiver answers a duplicate). Its log events join the checks below.
     */
    private void onTemurin25(JsonNode envFile, EmbeddedBackends backends, Map<String, List<Path>> files)
            throws Exception {
        jdk25 = LambdaJavaRuntime.Jdk.at(LambdaJavaRuntime.Jdk.TEMURIN_25);
        for (SamTemplate.Function f : template.functions().stream()
                .sorted(Comparator.comparing(SamTemplate.Function::logicalId)).toList()) {
            Path first = files.get(f.logicalId()).get(0);
            runOn(jdk25, f, envFile, backends, "jdk25", LambdaJavaRuntime.loggingConfig(template, f), runtime -> {
                JsonNode answer = answerJson(runtime.invoke(Files.readAllBytes(first)), f, first);
                if (!f.routes().isEmpty()) {
                    expect(status(answer) == 200 && body(answer).contains("duplicate"), f, first,
                            "on Temurin 25: 200 duplicate", answer);
                } else if (f.sqsTriggered()) {
                    expect(answer != null && answer.path("batchItemFailures").isArray()
                            && answer.path("batchItemFailures").isEmpty(), f, first,
                            "on Temurin 25: no batch item failures", answer);
                } else if (f.handlerClass().endsWith(".ReconcilerFunction")) {
                    // events/env.json names no Reverb API token: the run starts, reads its settings and skips.
                    expect(answer != null && answer.has("skipped"), f, first,
                            "on Temurin 25: no token, no run", answer);
                } else {
                    expect(answer != null && answer.has("sent") && !answer.path("stoppedEarly").asBoolean(true), f,
                            first, "on Temurin 25: a sweep that ends", answer);
                }
                jdk25Functions.add(f.logicalId());
            });
        }
    }

    @Test
    void everyFunction_alsoRunsOnTemurin25_bracketingTheTemplatesJava21() {
        Tools.requireDirectory("Temurin 25 (or -Dinlet.parity.jdk25=<home>)", LambdaJavaRuntime.Jdk.TEMURIN_25,
                "apt-get install temurin-25-jdk from Adoptium's repository");
        assertEquals(25, jdk25.feature(), "the JDK at " + jdk25.home());
        assertEquals(template.functions().stream().map(SamTemplate.Function::logicalId).sorted().toList(),
                jdk25Functions.stream().sorted().toList(), "every function ran and answered on 25 (problems in the "
                        + "first test: " + answerProblems.stream().filter(p -> p.contains("Temurin 25")).toList() + ")");
        assertFalse(CloudWatchLogEvents.applicationLines(logsByRun.get("jdk25")).isEmpty(), "its logs were read");
        System.out.println("the Temurin 25 subset took " + jdk25Millis + " ms");
    }

    @Test
    void everyEventsFileAndQueuedBatch_underLambdasJavaRuntime_getsTheExpectedAnswerAndStoredState() {
        assertTrue(answerProblems.isEmpty(), String.join("\n", answerProblems));
        assertTrue(stateProblems.isEmpty(), String.join("\n", stateProblems));
        assertTrue(strandingLog.stream().anyMatch(l -> l.contains("\"enqueue_failed\"")), "the stranded record "
                + "is one whose send failed: " + strandingLog);
    }

    @Test
    void everyLogEvent_asCloudWatchReceivesIt_isOneTopLevelJsonObjectWithOurFieldsAndTheRequestId() {
        List<String> problems = CloudWatchLogEvents.problems(all(), requestIds, initEnds);
        assertTrue(problems.isEmpty(), problems.size() + " problems, the first ones:\n"
                + problems.stream().limit(15).collect(Collectors.joining("\n")));
        assertFalse(CloudWatchLogEvents.applicationLines(logsByRun.get("main")).isEmpty());
        assertFalse(CloudWatchLogEvents.metricLines(logsByRun.get("main")).isEmpty(), "no metric line reached the log");
    }

    @Test
    void noLibraryNoise_everyStdoutAndStderrLineIsTheJvmsOwnNoteOnly() {
        List<String> stray = all().stream().filter(e -> e.source() != LambdaJavaRuntime.Source.FRAME)
                .filter(e -> !e.text().startsWith(CloudWatchLogEvents.JVM_NOTE))
                .map(e -> e.function() + " " + e.source() + ": " + e.text()).toList();
        assertTrue(stray.isEmpty(), String.join("\n", stray));
    }

    @Test
    void applicationLogLevelWarn_dropsInfoLines_butKeepsWarningsAndMetrics() {
        List<LogEvent> logs = logsByRun.get("level-warn");
        List<JsonNode> lines = CloudWatchLogEvents.applicationLines(logs);
        assertTrue(lines.stream().noneMatch(l -> l.path("level").asText().equals("INFO")), "INFO lines under WARN: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.path("event").asText().equals("rejected")), "the WARN line of the forgery");
        Set<String> metrics = CloudWatchLogEvents.series(logs).stream().map(Series::metric).collect(Collectors.toSet());
        assertTrue(metrics.containsAll(Set.of("duplicate", "rejected")), "metrics are never filtered out: " + metrics);
    }

    @Test
    void textLogFormat_writesEveryLineAndMetricAsItIs() {
        List<LogEvent> logs = logsByRun.get("format-text");
        assertTrue(CloudWatchLogEvents.problems(logs, requestIds, initEnds).isEmpty(), CloudWatchLogEvents.problems(logs, requestIds, initEnds)
                .toString());
        assertTrue(CloudWatchLogEvents.applicationLines(logs).stream().anyMatch(l -> l.path("event").asText()
                .equals("duplicate")));
        assertTrue(CloudWatchLogEvents.series(logs).stream().anyMatch(s -> s.metric().equals("rejected")));
    }

    @Test
    void aReceiverUnderTheRuntime_readsItsSecretListByArnFromSecretsManager_asDeployed() {
        Tools.require(Tools.MOTO_SERVER);
        List<JsonNode> lines = CloudWatchLogEvents.applicationLines(logsByRun.get("secrets-manager"));
        assertTrue(lines.stream().anyMatch(l -> l.path("event").asText().equals("secret_read")
                && l.path("setting").asText().endsWith("_ARN")), "read by ARN: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.path("event").asText().equals("duplicate")),
                "the signed retry verified with the list read: " + lines);
        assertTrue(lines.stream().noneMatch(l -> l.path("event").asText().startsWith("secret_unavailable")), lines.toString());
    }

    @Test
    void everyAlarmOnACustomMetric_hasASeriesTheFunctionsEmit_withExactlyItsDimensions() {
        Set<Series> emitted = CloudWatchLogEvents.series(all());
        Map<String, JsonNode> alarms = template.resourcesOfType("AWS::CloudWatch::Alarm");
        List<String> missing = new ArrayList<>();
        int custom = 0;
        for (Map.Entry<String, JsonNode> alarm : alarms.entrySet()) {
            for (Series wanted : alarmSeries(alarm.getValue().path("Properties"))) {
                custom++;
                if (!emitted.contains(wanted)) {
                    missing.add(alarm.getKey() + " watches " + wanted);
                }
            }
        }
        assertTrue(custom > 0, "the template has alarms on custom metrics");
        assertTrue(missing.isEmpty(), String.join("\n", missing) + "\nemitted: " + emitted);
    }

    @Test
    void everyMetricTheCodeEmits_isInTheDocumentedMetricList() throws Exception {
        Set<String> documented = documentedMetrics();
        Set<String> emitted = CloudWatchLogEvents.series(all()).stream().map(Series::metric)
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(codeMetrics().containsAll(emitted), "the code scan finds every metric the run emitted: "
                + emitted + " in " + codeMetrics());
        Set<String> undocumented = new TreeSet<>(codeMetrics());
        undocumented.addAll(emitted);
        undocumented.removeAll(documented);
        assertTrue(undocumented.isEmpty(), "missing from docs/operations.md's ## Metrics: " + undocumented);
    }

    @Test
    void everyCustomMetricOnTheDashboard_isOneTheFunctionsEmit() throws Exception {
        Set<Series> emitted = CloudWatchLogEvents.series(all());
        Set<String> code = codeMetrics();
        Set<Set<String>> anyKeys = emitted.stream().map(s -> s.dimensions().keySet()).collect(Collectors.toSet());
        List<DashboardMetric> shown = DashboardMetric.inlet(template);
        assertFalse(shown.isEmpty(), "the dashboard shows custom metrics");
        List<String> wrong = new ArrayList<>();
        for (DashboardMetric m : shown) {
            Set<Set<String>> keysOfMetric = emitted.stream().filter(s -> s.metric().equals(m.metric()))
                    .map(s -> s.dimensions().keySet()).collect(Collectors.toSet());
            if (!code.contains(m.metric())) {
                wrong.add(m + ": no code emits " + m.metric());
            } else if (!(keysOfMetric.isEmpty() ? anyKeys : keysOfMetric).contains(m.dimensions().keySet())) {
                wrong.add(m + ": emitted with dimension sets " + keysOfMetric + ", not " + m.dimensions().keySet());
            } else if (!m.search() && !keysOfMetric.isEmpty() && m.dimensions().containsKey("provider")
                    && emitted.stream().noneMatch(s -> s.metric().equals(m.metric())
                    && s.dimensions().keySet().equals(m.dimensions().keySet())
                    && s.dimensions().get("provider").equals(m.dimensions().get("provider")))) {
                wrong.add(m + ": the run emitted no series for provider " + m.dimensions().get("provider"));
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void everyAwsCallOfEachFunction_isAllowedByItsRole_andEveryGrantIsUsedOrHasItsReason() throws Exception {
        RecordedCallsIam.check(template, awsCalls);
    }

    // ---- the run --------------------------------------------------------------------------------

    private interface Invocations {
        void run(LambdaJavaRuntime runtime) throws Exception;
    }

    private void run(SamTemplate.Function f, JsonNode envFile, EmbeddedBackends backends, String label,
                     Invocations invocations) throws Exception {
        runWith(f, envFile, backends, label, LambdaJavaRuntime.loggingConfig(template, f), invocations);
    }

    private void runWith(SamTemplate.Function f, JsonNode envFile, EmbeddedBackends backends, String label,
                         Map<String, String> logging, Invocations invocations) throws Exception {
        runOn(LambdaJavaRuntime.Jdk.build(), f, envFile, backends, label, logging, invocations);
    }

    private void runOn(LambdaJavaRuntime.Jdk jdk, SamTemplate.Function f, JsonNode envFile, EmbeddedBackends backends,
                       String label, Map<String, String> logging, Invocations invocations) throws Exception {
        runWithEnvironment(jdk, f, ParityFixtures.samEnvironment(f, envFile, backends), label, logging, invocations);
    }

    /**
     * The ReconcilerFunction, on its scheduled event, against a loopback stand-in of Reverb's API listing one
     * order no webhook brought: it emits the Reconciled series its alarm and the dashboard watch. (The token
     * is the plain variable here; ReconcilerRuntimeTest reads it by ARN from Secrets Manager.)
     */
    private void reconcileOneLostOrder(JsonNode envFile, EmbeddedBackends backends) throws Exception {
        SamTemplate.Function reconciler = template.functions().stream()
                .filter(f -> f.handlerClass().endsWith(".ReconcilerFunction")).findFirst().orElseThrow();
        try (dev.inlet.local.reconcile.ReverbStandIn reverb = new dev.inlet.local.reconcile.ReverbStandIn(10)) {
            reverb.order("parity-1", "paid", Instant.now().minus(Duration.ofMinutes(30)));
            Map<String, String> env = new LinkedHashMap<>(ParityFixtures.samEnvironment(reconciler, envFile, backends));
            env.put("REVERB_API_TOKEN", dev.inlet.local.reconcile.ReverbStandIn.TOKEN);
            env.put("REVERB_API_BASE", reverb.base());
            Path file = ParityFixtures.filesByFunction(template).get(reconciler.logicalId()).get(0);
            runWithEnvironment(LambdaJavaRuntime.Jdk.build(), reconciler, env, "", LambdaJavaRuntime.loggingConfig(template, reconciler), runtime -> {
                JsonNode answer = answerJson(runtime.invoke(Files.readAllBytes(file)), reconciler, file);
                expect(answer != null && answer.path("recovered").asInt() == 1, reconciler, file,
                        "recovers the one lost order", answer);
            });
        }
    }

    private void runWithEnvironment(LambdaJavaRuntime.Jdk jdk, SamTemplate.Function f, Map<String, String> environment,
                                    String label, Map<String, String> logging, Invocations invocations)
            throws Exception {
        Path dir = WORK.resolve(f.logicalId() + (label.isEmpty() ? "" : "-" + label));
        long start = System.nanoTime();
        LambdaJavaRuntime runtime = LambdaJavaRuntime.start(template, f, awsCalls.route(f.logicalId(), environment),
                logging, dir, jdk);
        long started = System.nanoTime();
        long invoked = started;
        try {
            invocations.run(runtime);
            invoked = System.nanoTime();
        } finally {
            List<LogEvent> logs = runtime.stop();
            System.out.println(dir.getFileName() + " start " + (started - start) / 1_000_000 + " ms, invocations "
                    + (invoked - started) / 1_000_000 + " ms, stop " + (System.nanoTime() - invoked) / 1_000_000 + " ms");
            requestIds.addAll(runtime.requestIds());
            initEnds.put(dir.getFileName().toString(), runtime.firstDispatchMicros());
            System.out.println(dir.getFileName() + ": " + (System.nanoTime() - start) / 1_000_000 + " ms");
            logsByRun.computeIfAbsent(label.isEmpty() ? "main" : label, k -> new ArrayList<>()).addAll(logs);
        }
    }

    /**
     * The processor with a bus it cannot reach (EVENT_BUS_NAME names the stack's bus, EVENTBRIDGE_ENDPOINT a
     * port bound but not listening): a replayed Rheo item's change is applied and kept pending on the record,
     * PutEvents fails, and the message is left for a retry. This is the publish_failed series
     * PublishFailuresAlarm watches, as the function really emits it under the runtime.
     */
    private void publishWithTheBusDown(SamTemplate.Function processor, JsonNode envFile, EmbeddedBackends backends,
                                       LocalResources resources, String queueUrl, Set<EventKey> queued)
            throws Exception {
        DynamoDbEventStore store = new DynamoDbEventStore(backends.dynamo(), resources.ref("EventsTable").orElseThrow());
        Instant now = Instant.now();
        EventKey key = queued.stream().filter(k -> k.provider().equals("rheo"))
                .filter(k -> store.find(k, now).map(r -> r.eventType().startsWith("item.")).orElse(false))
                .findFirst().orElseThrow(() -> new AssertionError("events/rheo has an item event: " + queued));
        assertTrue(store.markForReplay(key, now, now.plus(Duration.ofMinutes(5))), "replayable: " + key);
        backends.sqs().sendMessage(r -> r.queueUrl(queueUrl).messageBody(new QueueMessage(key, "replay").toJson()));
        try (ServerSocket dead = new ServerSocket()) {
            dead.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));   // bound, never accepting
            Map<String, String> env = new LinkedHashMap<>(ParityFixtures.samEnvironment(processor, envFile, backends));
            env.put("EVENT_BUS_NAME", "inlet");                                    // the bus the template names after the stack
            env.put("EVENTBRIDGE_ENDPOINT", "http://127.0.0.1:" + dead.getLocalPort());
            Path what = Path.of("replayed batch, bus down");
            runWithEnvironment(LambdaJavaRuntime.Jdk.build(), processor, env, "bus-down",
                    LambdaJavaRuntime.loggingConfig(template, processor), runtime -> {
                        // Only the replay: the queue also holds the order the reconciler recovered above.
                        List<Message> batch = receive(backends, queueUrl, 10).stream()
                                .filter(m -> QueueMessage.fromJson(m.body()).key().equals(key)).toList();
                        expect(batch.size() == 1, processor, what, "the replay's message is on the queue",
                                null);
                        JsonNode answer = answerJson(runtime.invoke(ParityFixtures.sqsEvent(batch,
                                resources.arn(queueOf(processor)).orElseThrow())), processor, what);
                        expect(answer != null && answer.path("batchItemFailures").size() == 1, processor, what,
                                "the message is left for a retry", answer);
                    });
        }
        assertTrue(store.find(key, now).orElseThrow().pending().isPresent(), "the applied change waits on the record");
    }

    private void retryAndForge(LambdaJavaRuntime runtime) throws Exception {
        // the first receiver's first file: stored already, so a duplicate; then a forged copy
        SamTemplate.Function f = template.functions().stream().filter(fn -> !fn.routes().isEmpty())
                .min(Comparator.comparing(SamTemplate.Function::logicalId)).orElseThrow();
        Path first = ParityFixtures.filesByFunction(template).get(f.logicalId()).get(0);
        expect(status(answerJson(runtime.invoke(Files.readAllBytes(first)), f, first)) == 200, f, first, "200", null);
        int forged = status(answerJson(runtime.invoke(tampered(first)), f, first));
        expect(forged == 401 || forged == 404, f, first, "refused", null);
    }

    /**
     * The env file as deployed, for one receiver: its secret list (the env file's test list) stored in
     * Secrets Manager (moto), the plain variable empty, the ARN variable set, the endpoint at moto.
     */
    private static JsonNode readingItsSecretFromSecretsManager(SamTemplate.Function f, JsonNode envFile,
                                                               MotoServer moto) {
        String variable = f.environment().keySet().stream().filter(n -> f.environment().containsKey(n + "_ARN"))
                .findFirst().orElseThrow(() -> new AssertionError(f.logicalId() + " has no secret by ARN"));
        Map<String, String> admin = new HashMap<>(Map.of("AWS_REGION", EmbeddedBackends.REGION,
                "AWS_ACCESS_KEY_ID", EmbeddedBackends.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", EmbeddedBackends.SECRET_KEY,
                "EVENTS_TABLE", "unused", "SECRETS_MANAGER_ENDPOINT", moto.endpoint().toString()));
        String arn;
        try (var secrets = TestClients.of(BackendSettings.from(Env.of(admin))).secretsManager()) {
            arn = secrets.createSecret(r -> r.name("inlet/parity-" + System.nanoTime())
                    .secretString(envFile.path("Parameters").path(variable).asText())).arn();
        }
        ObjectNode deployed = envFile.deepCopy();
        ObjectNode parameters = (ObjectNode) deployed.path("Parameters");
        parameters.put(variable, "");
        parameters.put(variable + "_ARN", arn);
        parameters.put("SECRETS_MANAGER_ENDPOINT", moto.endpoint().toString());
        return deployed;
    }

    /**
     * A receiver whose SQS send failed two hours ago: the record is stored, its intake lease long gone. Its
     * SQS endpoint is a loopback port this test holds bound but not listening for the whole call: every
     * connection is refused, and no other process can start listening there meanwhile (a port closed again
     * before the call could be).
     */
    private void strand(SamTemplate.Function f, Path file, Map<String, String> env) throws Exception {
        try (Socket deadPort = new Socket()) {
            deadPort.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Map<String, String> down = new HashMap<>(env);
            String sqs = env.get("SQS_ENDPOINT");
            down.replaceAll((k, v) -> v.replace(sqs, "http://127.0.0.1:" + deadPort.getLocalPort()));
            Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
            Object handler = Class.forName(f.handlerClass()).getConstructor(Env.class, Clock.class, Observability.class)
                    .newInstance(Env.of(down), past, Observability.to((level, line) -> strandingLog.add(line), past));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ((RequestStreamHandler) handler).handleRequest(new ByteArrayInputStream(Files.readAllBytes(file)), out, null);
            JsonNode answer = CloudWatchLogEvents.parseObject(out.toString(StandardCharsets.UTF_8));
            expect(status(answer) == 200, f, file, "200 even with SQS down", answer);
        }
    }

    private void checkStoredState(EmbeddedBackends backends, Set<EventKey> queued, int accepted) {
        Map<String, String> env = new HashMap<>(backends.awsEnvironment());
        env.put("EVENTS_TABLE", "EventsTable");
        DynamoDbEventStore store = new DynamoDbEventStore(TestClients.of(BackendSettings.from(Env.of(env))).dynamoDb(),
                "EventsTable");
        if (queued.size() != accepted) {
            stateProblems.add(queued.size() + " events on the queue for " + accepted + " accepted events files");
        }
        for (EventKey key : queued) {
            Optional<EventRecord> record = store.find(key, Instant.now());
            Optional<EventStatus> status = record.map(EventRecord::status);
            if (status.isEmpty() || status.get() != EventStatus.PROCESSED) {
                stateProblems.add(key.id() + " is " + status.map(Enum::name).orElse("missing"));
                continue;
            }
            // The processor jar, run by the runtime client, stored the status history with its updates (a
            // stranded record also shows the sweeper's resend, made by the sweeper jar).
            List<StatusHistory.Step> timeline = record.get().timeline();
            List<String> steps = timeline.stream().map(StatusHistory.Step::what).filter(w -> !w.equals("resent"))
                    .toList();
            if (!steps.equals(List.of("received", "processing", "processed"))
                    || timeline.get(timeline.size() - 1).at().isBefore(timeline.get(0).at())) {
                stateProblems.add(key.id() + " has the stored history " + timeline);
            }
        }
        Set<String> providers = queued.stream().map(EventKey::provider).collect(Collectors.toCollection(TreeSet::new));
        Set<String> withEntities = new TreeSet<>();
        backends.dynamo().scanPaginator(ScanRequest.builder().tableName("EntitiesTable").build()).items()
                .forEach(item -> withEntities.add(item.get("provider").s()));
        if (!withEntities.equals(providers)) {
            stateProblems.add("entity state for " + withEntities + ", events from " + providers);
        }
    }

    // ---- events -----------------------------------------------------------------------------------

    /** The same request with its body, signature headers and any path token changed: a forgery. */
    private static byte[] tampered(Path file) throws Exception {
        ObjectNode event = (ObjectNode) Json.mapper().readTree(Files.readAllBytes(file));
        boolean base64 = event.path("isBase64Encoded").asBoolean(false);
        String body = base64 ? new String(Base64.getDecoder().decode(event.path("body").asText()), StandardCharsets.UTF_8)
                : event.path("body").asText();
        body = body + " ";
        event.put("body", base64 ? Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)) : body);
        if (event.path("headers") instanceof ObjectNode headers) {
            for (String name : CloudWatchLogEvents.fieldNames(headers)) {
                String value = headers.path(name).asText();
                if ((name.contains("signature") || name.equals("authorization")) && !value.isEmpty()) {
                    char last = value.charAt(value.length() - 1);
                    headers.put(name, value.substring(0, value.length() - 1) + (last == '0' ? '1' : '0'));
                }
            }
        }
        JsonNode path = event.path("pathParameters");
        if (path.has("token")) {
            String token = path.path("token").asText();
            ((ObjectNode) path).put("token", "not-the-token");
            event.put("rawPath", event.path("rawPath").asText().replace(token, "not-the-token"));
        }
        return Json.mapper().writeValueAsBytes(event);
    }

    private static List<Message> receive(EmbeddedBackends backends, String queueUrl, int max) {
        return backends.sqs().receiveMessage(ReceiveMessageRequest.builder().queueUrl(queueUrl).maxNumberOfMessages(max)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL).waitTimeSeconds(0).build()).messages();
    }


    private static String queueOf(SamTemplate.Function f) {
        for (JsonNode e : f.properties().path("Events")) {
            if (e.path("Type").asText().equals("SQS")) {
                return e.path("Properties").path("Queue").path("Fn::GetAtt").get(0).asText();
            }
        }
        throw new AssertionError(f.logicalId() + " has no SQS event");
    }

    // ---- answers ----------------------------------------------------------------------------------

    private JsonNode answerJson(RuntimeApiServer.Answer answer, SamTemplate.Function f, Path file) {
        if (answer.error()) {
            answerProblems.add(f.logicalId() + " " + file.getFileName() + ": error " + answer.errorType() + " "
                    + answer.body());
            return null;
        }
        JsonNode node = CloudWatchLogEvents.parseObject(answer.body());
        if (node == null) {
            // a typed handler returning a String: the runtime serializes it as a JSON string
            try {
                JsonNode text = Json.parse(answer.body());
                node = text != null && text.isTextual() ? CloudWatchLogEvents.parseObject(text.asText()) : null;
            } catch (Exception e) {
                node = null;
            }
        }
        return node;
    }

    private void expect(boolean ok, SamTemplate.Function f, Path file, String what, JsonNode answer) {
        if (!ok) {
            answerProblems.add(f.logicalId() + " " + file.getFileName() + ": expected " + what + ", got " + answer);
        }
    }

    private static int status(JsonNode answer) {
        return answer == null ? -1 : answer.path("statusCode").asInt(-1);
    }

    private static String body(JsonNode answer) {
        return answer == null ? "" : answer.path("body").asText("");
    }

    private List<LogEvent> all() {
        return logsByRun.values().stream().flatMap(List::stream).toList();
    }

    // ---- template, code and docs ---------------------------------------------------------------------

    /** The series an alarm watches: its metric, or each MetricStat of a metric-math alarm. */
    private static List<Series> alarmSeries(JsonNode props) {
        List<Series> out = new ArrayList<>();
        if (props.has("MetricName") && props.path("Namespace").asText().equals(Metrics.NAMESPACE)) {
            out.add(new Series(props.path("Namespace").asText(), props.path("MetricName").asText(),
                    dimensions(props.path("Dimensions"))));
        }
        for (JsonNode q : props.path("Metrics")) {
            JsonNode metric = q.path("MetricStat").path("Metric");
            if (metric.path("Namespace").asText().equals(Metrics.NAMESPACE)) {
                out.add(new Series(metric.path("Namespace").asText(), metric.path("MetricName").asText(),
                        dimensions(metric.path("Dimensions"))));
            }
        }
        return out;
    }

    private static Map<String, String> dimensions(JsonNode list) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode d : list) {
            if (!d.path("Value").isTextual()) {
                throw new AssertionError("a custom metric's dimension value must be literal: " + d);
            }
            out.put(d.path("Name").asText(), d.path("Value").asText());
        }
        return out;
    }

    /**
     * Metric names in the functions' code: every {@code metrics.count("x", ...)} / {@code add("x", ...)} /
     * {@code total("x", ...)},
     * and every literal in {@code metrics.countAll(provider, "x", ok ? "y" : "z")}.
     */
    static Set<String> codeMetrics() throws Exception {
        Pattern call = Pattern.compile("metrics\\s*\\.\\s*(?:count|add|total)\\(\\s*(?:[^\"(),]*\\?\\s*)?\"([A-Za-z_]+)\"(?:\\s*:\\s*\"([A-Za-z_]+)\")?");
        Pattern all = Pattern.compile("metrics\\s*\\.\\s*countAll\\(([^;]*)\\);");
        Pattern literal = Pattern.compile("\"([A-Za-z_]+)\"");
        Set<String> out = new TreeSet<>();
        try (Stream<Path> paths = Files.walk(ROOT.resolve("functions"))) {
            for (Path p : paths.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/")).toList()) {
                String code = Files.readString(p);
                Matcher m = call.matcher(code);
                while (m.find()) {
                    out.add(m.group(1));
                    if (m.group(2) != null) {
                        out.add(m.group(2));
                    }
                }
                Matcher a = all.matcher(code);
                while (a.find()) {
                    literal.matcher(a.group(1)).results().forEach(r -> out.add(r.group(1)));
                }
            }
        }
        return out;
    }

    /** The backticked names in docs/operations.md's "## Metrics" section. */
    static Set<String> documentedMetrics() throws Exception {
        String doc = Files.readString(ROOT.resolve("docs/operations.md"));
        int start = doc.indexOf("\n## Metrics");
        assertTrue(start >= 0, "docs/operations.md has a ## Metrics section");
        int end = doc.indexOf("\n#", start + 5);
        Matcher m = Pattern.compile("`([A-Za-z_]+)`").matcher(doc.substring(start, end < 0 ? doc.length() : end));
        Set<String> out = new TreeSet<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
