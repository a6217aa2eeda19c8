package dev.inlet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.core.config.Env;
import dev.inlet.core.json.Json;
import dev.inlet.embedded.EmbeddedBackends;
import dev.inlet.embedded.LocalResources;
import dev.inlet.embedded.MotoServer;
import dev.inlet.embedded.SamTemplate;
import dev.inlet.local.emulator.HttpApiEvents;
import dev.inlet.local.parity.LambdaJavaRuntime;
import dev.inlet.local.parity.ParityFixtures;
import dev.inlet.local.parity.RuntimeApiServer;
import dev.inlet.local.samples.RheoSamples;
import dev.inlet.local.samples.SampleRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Warm work per webhook as Lambda runs it: the Rheo receiver's shaded jar and a bare floor handler
 * (benchmarks/peer-floor: one conditional PutItem of an item as large as Inlet's record, one SendMessage,
 * the same client settings, nothing else), each in its own execution environment under AWS's runtime
 * interface client, as the parity tests run them (functions/local's LambdaJavaRuntime and RuntimeApiServer),
 * against DynamoDB Local and ElasticMQ, the secret list read from moto's Secrets Manager by ARN. Both warm
 * up first; then rounds alternate floor, Inlet, floor, Inlet... Per invocation: the handler's duration as
 * the Runtime API sees it (event handed out on invocation/next to response received) and the CPU time of
 * the function's JVM over the round (all threads, /proc utime+stime) divided by the invocations.
 * Usage: WarmWork [invocations per round=1000] [rounds=5] [warm-up invocations=1000]
 */
public final class WarmWork {
    private static final String FLOOR_JAR = "benchmarks/peer-floor/target/floor-receiver.jar";

    private WarmWork() {
    }

    /** One round of one environment: the handler durations (ns) and the CPU time used. */
    private record Round(long[] nanos, Duration cpu) {
        long percentile(int p) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
        }

        long cpuMicrosPerInvocation() {
            return cpu.toNanos() / 1_000 / nanos.length;
        }
    }

    public static void main(String[] args) throws Exception {
        // As the parity tests' surefire setting: the JDK HTTP server behind the Runtime API stand-in reads it once,
        // when the first one starts. Without it, delayed ACKs add about 40 ms to every invocation of both.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int invocations = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        Path root = ParityFixtures.ROOT;
        SamTemplate template = SamTemplate.load(root.resolve("template.yaml"));
        SamTemplate.Function rheo = template.functions().stream()
                .filter(f -> f.handlerClass().equals("dev.inlet.rheo.RheoReceiver")).findFirst().orElseThrow();
        // The floor: the Rheo function's settings (memory, JAVA_TOOL_OPTIONS, logging) with another jar and handler.
        SamTemplate.Function floorFunction = new SamTemplate.Function("FloorFunction",
                "dev.inlet.bench.floor.FloorReceiver::handleRequest", FLOOR_JAR, rheo.environment(), rheo.routes(),
                false, false, rheo.properties());
        JsonNode envFile = Json.mapper().readTree(Files.readAllBytes(root.resolve("events/env.json")));
        Path work = root.resolve("benchmarks/target/warmwork");
        try (EmbeddedBackends backends = EmbeddedBackends.start(0, 0); MotoServer moto = MotoServer.start()) {
            LocalResources.create(template, backends, "", Optional.empty());
            Env signing = Env.of(ParityFixtures.samEnvironment(rheo, envFile, backends));
            Map<String, String> env = ParityFixtures.samEnvironment(rheo, deployed(envFile, moto), backends);
            String table = env.get("EVENTS_TABLE");
            header(env, invocations, rounds, warmup);
            Map<String, String> inletEnv = new LinkedHashMap<>(env);
            String jvm = System.getProperty("bench.jvm", "");
            if (!jvm.isBlank()) {
                // Diagnostics only (it costs the measured time): e.g. -Dbench.jvm=-XX:StartFlightRecording, then
                // jcmd <pid> JFR.dump filename=inlet.jfr while the rounds run.
                inletEnv.put("JAVA_TOOL_OPTIONS", (env.getOrDefault("JAVA_TOOL_OPTIONS", "") + " " + jvm).trim());
                System.out.printf("Inlet's environment also gets %s (diagnostics: its figures are not comparable)%n", jvm);
            }

            List<Round> inletRounds = new ArrayList<>();
            List<Round> floorRounds = new ArrayList<>();
            try (LambdaJavaRuntime inlet = LambdaJavaRuntime.start(template, rheo, inletEnv,
                    LambdaJavaRuntime.loggingConfig(template, rheo), work.resolve("inlet"))) {
                measure(inlet, events(signing, "warm-inlet", warmup), true);
                int itemBytes = inletItemBytes(backends, table);
                Map<String, String> floorEnv = new LinkedHashMap<>(env);
                floorEnv.put("FLOOR_ITEM_BYTES", Integer.toString(itemBytes));
                try (LambdaJavaRuntime floor = LambdaJavaRuntime.start(template, floorFunction, floorEnv,
                        LambdaJavaRuntime.loggingConfig(template, rheo), work.resolve("floor"))) {
                    measure(floor, events(signing, "warm-floor", warmup), false);
                    System.out.printf("item bytes: Inlet's record %d, the floor's %d%n", itemBytes,
                            floorItemBytes(backends, table));
                    System.out.printf("%-5s %-6s %9s %9s %12s%n", "round", "", "p50 us", "p90 us", "CPU us/inv");
                    for (int r = 1; r <= rounds; r++) {
                        Round f = measure(floor, events(signing, "f" + r, invocations), false);
                        Round i = measure(inlet, events(signing, "i" + r, invocations), true);
                        floorRounds.add(f);
                        inletRounds.add(i);
                        row(Integer.toString(r), "floor", f);
                        row("", "inlet", i);
                        System.out.printf("%-5s %-6s %8.2fx %8.2fx %11.2fx%n", "", "ratio",
                                (double) i.percentile(50) / f.percentile(50), (double) i.percentile(90) / f.percentile(90),
                                (double) i.cpuMicrosPerInvocation() / f.cpuMicrosPerInvocation());
                    }
                }
            }
            summary(floorRounds, inletRounds);
        }
    }

    /** The env file with the Rheo secret list moved into moto's Secrets Manager, read by ARN as deployed. */
    private static JsonNode deployed(JsonNode envFile, MotoServer moto) {
        String value = envFile.path("Parameters").path("RHEO_WEBHOOK_SECRETS").asText();
        Map<String, String> admin = new HashMap<>(Map.of("AWS_REGION", EmbeddedBackends.REGION,
                "AWS_ACCESS_KEY_ID", EmbeddedBackends.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", EmbeddedBackends.SECRET_KEY,
                "EVENTS_TABLE", "unused", "SECRETS_MANAGER_ENDPOINT", moto.endpoint().toString()));
        String arn;
        // Generous limits for this set-up call: moto answers slowly on a loaded machine.
        var slow = new AwsClients.Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(10),
                Duration.ofSeconds(30));
        try (var secrets = new AwsClients(BackendSettings.from(Env.of(admin)), slow).secretsManager()) {
            arn = secrets.createSecret(r -> r.name("inlet/warmwork-" + System.nanoTime()).secretString(value)).arn();
        }
        ObjectNode out = envFile.deepCopy();
        ObjectNode parameters = (ObjectNode) out.path("Parameters");
        parameters.put("RHEO_WEBHOOK_SECRETS", "");
        parameters.put("RHEO_WEBHOOK_SECRETS_ARN", arn);
        parameters.put("SECRETS_MANAGER_ENDPOINT", moto.endpoint().toString());
        return out;
    }

    /** Signed Rheo webhooks (item.sold, distinct ids) as API Gateway's HTTP API v2 events; built before the round. */
    private static List<byte[]> events(Env signing, String prefix, int count) {
        List<byte[]> out = new ArrayList<>(count);
        RheoSamples samples = new RheoSamples();
        for (int i = 0; i < count; i++) {
            String id = prefix + "-" + i + "-" + System.nanoTime();
            SampleRequest r = samples.build("item.sold", signing, Instant.now(), id);
            out.add(HttpApiEvents.json("POST", r.path(), r.route(), r.pathParameters(), r.headers(), r.body(),
                    "req-" + id, Instant.now()).toString().getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Invokes every event in turn; each must be a 200 (Inlet's: accepted, not a duplicate). */
    private static Round measure(LambdaJavaRuntime runtime, List<byte[]> events, boolean inlet) throws Exception {
        long[] nanos = new long[events.size()];
        Duration before = runtime.cpuTime();
        for (int i = 0; i < nanos.length; i++) {
            RuntimeApiServer.Answer answer = runtime.invoke(events.get(i));
            if (answer.error() || !answer.body().contains("\"statusCode\":200")
                    || (inlet && !answer.body().contains("accepted"))) {
                throw new IllegalStateException("not accepted: " + (answer.error() ? answer.errorType() : answer.body()));
            }
            nanos[i] = answer.handlerNanos();
        }
        return new Round(nanos, runtime.cpuTime().minus(before));
    }

    private static int inletItemBytes(EmbeddedBackends backends, String table) {
        return itemBytes(backends, table, "rheo#");
    }

    private static int floorItemBytes(EmbeddedBackends backends, String table) {
        return itemBytes(backends, table, "floor#");
    }

    /** DynamoDB's size of one stored event item whose key starts with {@code prefix}: names plus values. */
    private static int itemBytes(EmbeddedBackends backends, String table, String prefix) {
        Map<String, AttributeValue> item = backends.dynamo().scanPaginator(r -> r.tableName(table)).items().stream()
                .filter(i -> i.get("pk").s().startsWith(prefix) && "event".equals(i.get("sk").s()))
                .findFirst().orElseThrow(() -> new IllegalStateException("no stored " + prefix + " item"));
        int bytes = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            AttributeValue v = e.getValue();
            bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length + (v.s() != null
                    ? v.s().getBytes(StandardCharsets.UTF_8).length : v.n() != null ? v.n().length()
                    : v.b() != null ? v.b().asByteArray().length : 1);
        }
        return bytes;
    }

    private static void header(Map<String, String> env, int invocations, int rounds, int warmup) throws IOException {
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        System.out.printf("warm work per webhook under AWS's runtime interface client, %s%n", Instant.now());
        System.out.printf("load average %s (1, 5, 15 min)  cores %d  JDK %s%n", load,
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        System.out.printf("JAVA_TOOL_OPTIONS=%s  invocations per round %d, rounds %d, warm-up %d per environment%n",
                env.getOrDefault("JAVA_TOOL_OPTIONS", ""), invocations, rounds, warmup);
    }

    private static void row(String round, String who, Round r) {
        System.out.printf("%-5s %-6s %9d %9d %12d%n", round, who, r.percentile(50) / 1_000, r.percentile(90) / 1_000,
                r.cpuMicrosPerInvocation());
    }

    private static void summary(List<Round> floor, List<Round> inlet) throws IOException {
        long f50 = median(floor.stream().map(r -> r.percentile(50)).toList());
        long f90 = median(floor.stream().map(r -> r.percentile(90)).toList());
        long fcpu = median(floor.stream().map(Round::cpuMicrosPerInvocation).toList());
        long i50 = median(inlet.stream().map(r -> r.percentile(50)).toList());
        long i90 = median(inlet.stream().map(r -> r.percentile(90)).toList());
        long icpu = median(inlet.stream().map(Round::cpuMicrosPerInvocation).toList());
        System.out.println("medians over rounds:");
        System.out.printf("%-6s %9s %9s %12s%n", "", "p50 us", "p90 us", "CPU us/inv");
        System.out.printf("%-6s %9d %9d %12d%n", "floor", f50 / 1_000, f90 / 1_000, fcpu);
        System.out.printf("%-6s %9d %9d %12d%n", "inlet", i50 / 1_000, i90 / 1_000, icpu);
        double d = (double) i50 / f50;
        double c = (double) icpu / fcpu;
        System.out.printf("inlet / floor: duration p50 %.2fx, p90 %.2fx, CPU %.2fx  (target <= 1.15 on duration and CPU: %s)%n",
                d, (double) i90 / f90, c, d <= 1.15 && c <= 1.15 ? "met" : "missed");
        System.out.printf("load average at the end %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
    }

    private static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        s.sort(Long::compare);
        return s.get(s.size() / 2);
    }
}
