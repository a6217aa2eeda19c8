package dev.inlet.bench;

import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.core.config.Env;
import dev.inlet.local.LocalStack;
import dev.inlet.local.RheoSamples;
import dev.inlet.local.SampleRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Throughput of the local stack's receivers against the raw ceiling, side by side in one run. Inlet:
 * N threads post signed Rheo webhooks over loopback HTTP to the local stack (verified, stored, queued,
 * the processor is paused so intake is what is measured). Ceiling: the same N threads doing only a bare
 * conditional put and a send, with the same clients, against the same DynamoDB Local and ElasticMQ. A
 * third series makes the two calls DESIGN.md prescribes (a put that enters the outbox and listing
 * indexes, then the send), bare, to separate the design's cost from Inlet's own overhead.
 * Rounds alternate; the first {@value #WARM_UP_ROUNDS} rounds warm everything up and are not counted.
 * Bounded in count and time.
 * Usage: Throughput [threads=8] [requestsPerThread=200] [rounds=3]
 */
public final class Throughput {
    private static final Duration DEADLINE = Duration.ofMinutes(8);
    private static final int WARM_UP_ROUNDS = 3;
    private static final java.util.concurrent.atomic.AtomicReference<String> FIRST_ERROR =
            new java.util.concurrent.atomic.AtomicReference<>();

    private Throughput() {
    }

    record Round(double perSecond, long[] latenciesMicros, int errors) {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int perThread = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Instant deadline = Instant.now().plus(DEADLINE);
        try (LocalStack stack = LocalStack.start(LocalStack.Options.forTests().withPolling(false))) {
            Map<String, String> env = stack.environmentOf("RheoReceiverFunction");
            AwsClients clients = new AwsClients(BackendSettings.from(Env.of(env)));
            DynamoDbClient dynamo = clients.dynamoDb();
            SqsClient sqs = clients.sqs();
            String table = env.get("EVENTS_TABLE");
            String queueUrl = env.get("EVENTS_QUEUE_URL");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newFixedThreadPool(threads)).build();
            URI url = stack.baseUrl().resolve("/webhooks/rheo");
            RheoSamples samples = new RheoSamples();
            Env signing = Env.of(env);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Round> inlet = new ArrayList<>();
            List<Round> ceiling = new ArrayList<>();
            List<Round> design = new ArrayList<>();
            for (int r = 0; r < WARM_UP_ROUNDS + rounds; r++) {
                String round = "r" + r;
                Round c = run(pool, threads, perThread, deadline, (t, i) -> {
                    String id = round + "-" + t + "-" + i;
                    dynamo.putItem(b -> b.tableName(table)
                            .item(Map.of("pk", AttributeValue.fromS("ceiling#" + id), "sk", AttributeValue.fromS("event"),
                                    "status", AttributeValue.fromS("RECEIVED")))
                            .conditionExpression("attribute_not_exists(pk)"));
                    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("{\"ceiling\":\"" + id + "\"}"));
                    return true;
                });
                // The same calls DESIGN.md prescribes for intake, bare: a put that enters the outbox and
                // listing indexes, then the send. Inlet's own overhead is the gap to this.
                Round d = run(pool, threads, perThread, deadline, (t, i) -> {
                    String id = round + "-" + t + "-" + i;
                    Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("design#" + id),
                            "sk", AttributeValue.fromS("event"));
                    Map<String, AttributeValue> item = new java.util.HashMap<>(key);
                    item.put("status", AttributeValue.fromS("RECEIVED"));
                    item.put("outboxShard", AttributeValue.fromS(String.format("%02d", Math.floorMod(id.hashCode(), 16))));
                    Instant at = Instant.now();
                    item.put("leaseUntil", AttributeValue.fromN(Long.toString(at.plusSeconds(30).toEpochMilli())));
                    item.put("receivedAt", AttributeValue.fromN(Long.toString(at.toEpochMilli())));
                    item.put("providerDay", AttributeValue.fromS("design#" + at.toString().substring(0, 10)));
                    dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
                    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("{\"design\":\"" + id + "\"}"));
                    return true;
                });
                SampleRequest[][] requests = new SampleRequest[threads][perThread];
                Instant now = Instant.now();
                for (int t = 0; t < threads; t++) {
                    for (int i = 0; i < perThread; i++) {
                        requests[t][i] = samples.build("item.sold", signing, now, round + "-" + t + "-" + i);
                    }
                }
                Round n = run(pool, threads, perThread, deadline, (t, i) -> {
                    SampleRequest s = requests[t][i];
                    HttpRequest.Builder b = HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.ofByteArray(s.body()));
                    s.headers().forEach((k, v) -> {
                        if (!k.equalsIgnoreCase("user-agent")) {
                            b.header(k, v);
                        }
                    });
                    HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                    return response.statusCode() == 200 && response.body().contains("accepted");
                });
                if (r >= WARM_UP_ROUNDS) {   // DynamoDB Local and ElasticMQ run in this JVM and warm up too
                    ceiling.add(c);
                    design.add(d);
                    inlet.add(n);
                }
                System.out.printf("round %d: ceiling %.0f/s, design calls %.0f/s, inlet %.0f/s (errors %d)%n", r,
                        c.perSecond(), d.perSecond(), n.perSecond(), c.errors() + d.errors() + n.errors());
            }
            pool.shutdownNow();
            report(threads, perThread, rounds, inlet, ceiling, design);
        }
        System.exit(0);
    }

    interface Call {
        boolean call(int thread, int index) throws Exception;
    }

    private static Round run(ExecutorService pool, int threads, int perThread, Instant deadline, Call call)
            throws Exception {
        long[][] latencies = new long[threads][perThread];
        List<Future<Integer>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit((Callable<Integer>) () -> {
                int errors = 0;
                for (int i = 0; i < perThread; i++) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException("benchmark deadline passed");
                    }
                    long s = System.nanoTime();
                    boolean ok;
                    try {
                        ok = call.call(thread, i);
                    } catch (Exception e) {
                        ok = false;
                        if (FIRST_ERROR.compareAndSet(null, e.toString())) {
                            System.out.println("first error: " + e);
                        }
                    }
                    latencies[thread][i] = (System.nanoTime() - s) / 1_000;
                    errors += ok ? 0 : 1;
                }
                return errors;
            }));
        }
        int errors = 0;
        for (Future<Integer> f : futures) {
            errors += f.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        return new Round(threads * perThread / seconds, all, errors);
    }

    private static void report(int threads, int perThread, int rounds, List<Round> inlet, List<Round> ceiling,
                               List<Round> design) {
        double in = median(inlet.stream().mapToDouble(Round::perSecond).toArray());
        double ce = median(ceiling.stream().mapToDouble(Round::perSecond).toArray());
        double de = median(design.stream().mapToDouble(Round::perSecond).toArray());
        int errors = inlet.stream().mapToInt(Round::errors).sum() + ceiling.stream().mapToInt(Round::errors).sum()
                + design.stream().mapToInt(Round::errors).sum();
        System.out.printf("threads=%d requests per round=%d rounds=%d%n", threads, threads * perThread, rounds);
        System.out.printf("ceiling (put + send)   median %.0f/s  p50 %.1f ms  p99 %.1f ms%n", ce,
                pct(ceiling, 0.50), pct(ceiling, 0.99));
        System.out.printf("design calls (put into the outbox and listing indexes + send) median %.0f/s  p50 %.1f ms  p99 %.1f ms%n",
                de, pct(design, 0.50), pct(design, 0.99));
        System.out.printf("inlet (HTTP -> intake) median %.0f/s  p50 %.1f ms  p99 %.1f ms%n", in,
                pct(inlet, 0.50), pct(inlet, 0.99));
        System.out.printf("inlet / ceiling = %.2f  (target >= 0.8), errors %d (target 0)%n", in / ce, errors);
        System.out.printf("inlet / design calls = %.2f  (Inlet's own overhead over the calls it must make)%n", in / de);
    }

    private static double pct(List<Round> rounds, double q) {
        long[] all = rounds.stream().flatMapToLong(r -> Arrays.stream(r.latenciesMicros())).sorted().toArray();
        return all[Math.min(all.length - 1, (int) Math.ceil(q * all.length) - 1)] / 1000.0;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
