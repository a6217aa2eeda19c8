package dev.inlet.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.dynamodb.DynamoDbEventStore;
import dev.inlet.aws.lambda.HttpApiResponse;
import dev.inlet.aws.sqs.SqsEventQueue;
import dev.inlet.core.config.Env;
import dev.inlet.core.queue.QueueMessage;
import dev.inlet.core.store.CreateOutcome;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventRecord;
import dev.inlet.local.emulator.HttpApiEvents;
import dev.inlet.local.emulator.LocalContext;
import dev.inlet.local.emulator.LocalStack;
import dev.inlet.local.samples.RheoSamples;
import dev.inlet.local.samples.SampleRequest;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Throughput of the local stack's receivers against the raw ceiling, side by side in one run, as six
 * series that each add one cost to the one before (docs/performance.md, section 3): ceiling (a bare
 * conditional put and a send), design (the put DESIGN.md prescribes, entering the outbox and listing
 * indexes, and the send), store (Inlet's own put of the event and send), handler (the Rheo receiver in
 * process, as the runtime invokes it), inlet-raw (over loopback HTTP from a minimal socket sender) and
 * inlet (the same from java.net.http). The processor is paused so intake is what is measured; every
 * series uses the same clients against the same DynamoDB Local and ElasticMQ, in this JVM.
 * Each round runs every series once, starting one series later than the round before (use a multiple of
 * six rounds so each series runs in each position equally often); the first {@value #WARM_UP_ROUNDS}
 * rounds warm everything up and are not counted.
 * Bounded in count and time.
 * Usage: Throughput [threads=8] [requestsPerThread=200] [rounds=12]
 */
public final class Throughput {
    private static final Duration DEADLINE = Duration.ofMinutes(15);
    private static final int WARM_UP_ROUNDS = 5;
    private static final String CEILING = "ceiling";
    private static final String DESIGN = "design";
    private static final String STORE = "store";
    private static final String HANDLER = "handler";
    private static final String INLET = "inlet";
    private static final String INLET_RAW = "inlet-raw";
    private static final AtomicReference<String> FIRST_ERROR = new AtomicReference<>();

    private Throughput() {
    }

    /** One series' round: rate, latencies, errors and the whole process's CPU time per request (every part runs in this JVM). */
    record Round(double perSecond, long[] latenciesMicros, int errors, double cpuMillisPerRequest) {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int perThread = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 12;
        Instant deadline = Instant.now().plus(DEADLINE);
        // The receivers' log and metric lines go to a file, one write per line as on Lambda's stdout: a
        // silent sink would leave that cost out of Inlet's figures.
        Path logFile = Files.createTempFile("inlet-throughput-", ".log");
        try (FileOutputStream logOut = new FileOutputStream(logFile.toFile());
             LocalStack stack = LocalStack.start(LocalStack.Options.forTests().withPolling(false)
                     .withSink((level, line) -> writeLine(logOut, line)))) {
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
            DynamoDbEventStore store = new DynamoDbEventStore(dynamo, table);
            SqsEventQueue queue = new SqsEventQueue(sqs, queueUrl);
            // Signed webhooks with ids of their own per series (a shared id would make the later one a duplicate).
            SampleRequest[][] requests = new SampleRequest[threads][perThread];
            SampleRequest[][] viaHandler = new SampleRequest[threads][perThread];
            String[] round = {""};
            // The series, each a call per (sender thread, index); ids are unique per round.
            Map<String, Call> series = new LinkedHashMap<>();
            series.put(CEILING, (t, i) -> {
                String id = round[0] + "-" + t + "-" + i;
                dynamo.putItem(b -> b.tableName(table)
                        .item(Map.of("pk", AttributeValue.fromS("ceiling#" + id), "sk", AttributeValue.fromS("event"),
                                "status", AttributeValue.fromS("RECEIVED")))
                        .conditionExpression("attribute_not_exists(pk)"));
                sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("{\"ceiling\":\"" + id + "\"}"));
                return true;
            });
            // The calls DESIGN.md prescribes for intake, bare: a put that enters the outbox and listing
            // indexes, then the send.
            series.put(DESIGN, (t, i) -> {
                String id = round[0] + "-" + t + "-" + i;
                Map<String, AttributeValue> item = new HashMap<>();
                item.put("pk", AttributeValue.fromS("design#" + id));
                item.put("sk", AttributeValue.fromS("event"));
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
            // Inlet's own store and queue calls for the same events, bare: no HTTP hop, no verification, no
            // logging. Design calls -> store calls is the event's size (its body and headers are stored);
            // store calls -> Inlet is the HTTP hop and Inlet's request work.
            series.put(STORE, (t, i) -> {
                SampleRequest s = requests[t][i];
                Instant at = Instant.now();
                EventKey key = new EventKey("rheo", "store-" + round[0] + "-" + t + "-" + i);
                EventRecord record = EventRecord.received(key, "item.sold", at, Optional.of(at), s.body(),
                        Map.of("content-type", "application/json"), at.plusSeconds(30), at.plus(Duration.ofDays(30)));
                boolean created = store.create(record, at) instanceof CreateOutcome.Created;
                queue.send(new QueueMessage(key, "item.sold"));
                return created;
            });
            // The receiver function in process, invoked as the runtime invokes a stream handler (the event's
            // bytes in, the answer out), without a socket: store calls -> handler is Inlet's request work,
            // handler -> Inlet is the HTTP hop.
            RequestStreamHandler receiver =
                    (RequestStreamHandler) stack.handler("RheoReceiverFunction");
            series.put(HANDLER, (t, i) -> {
                SampleRequest s = viaHandler[t][i];
                String requestId = UUID.randomUUID().toString();
                byte[] event = HttpApiEvents.bytes("POST", "/webhooks/rheo", null, "/webhooks/rheo", Map.of(),
                        List.copyOf(s.headers().entrySet()), s.body(), requestId, Instant.now());
                HttpApiResponse response = HttpApiEvents.invoke(receiver, event,
                        new LocalContext("RheoReceiverFunction", requestId, 10_000));
                return response.statusCode() == 200 && response.body().contains("accepted");
            });
            series.put(INLET, (t, i) -> {
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
            // The same webhooks from the lightest sender possible: one keep-alive socket per thread, the request
            // written as bytes, the answer read by its content-length. A provider's sender does not run on
            // Inlet's CPU; here it shares the 2 cores with Inlet and the backends, and java.net.http's selector
            // and executor threads cost about as much CPU per request as the whole HTTP server side.
            SampleRequest[][] viaSocket = new SampleRequest[threads][perThread];
            RawSender[] senders = new RawSender[threads];
            for (int t = 0; t < threads; t++) {
                senders[t] = new RawSender(url);
            }
            series.put(INLET_RAW, (t, i) -> senders[t].post(viaSocket[t][i]));
            // -Dbench.series=store,handler: run only these (for profiling one step; the report needs all six).
            String only = System.getProperty("bench.series", "");
            if (!only.isBlank()) {
                series.keySet().retainAll(List.of(only.split(",")));
            }
            List<String> names = List.copyOf(series.keySet());
            Map<String, List<Round>> results = new HashMap<>();
            for (int r = 0; r < WARM_UP_ROUNDS + rounds; r++) {
                round[0] = "r" + r;
                Instant now = Instant.now();
                for (int t = 0; t < threads; t++) {
                    for (int i = 0; i < perThread; i++) {
                        requests[t][i] = samples.build("item.sold", signing, now, round[0] + "-" + t + "-" + i);
                        viaHandler[t][i] = samples.build("item.sold", signing, now, "h" + round[0] + "-" + t + "-" + i);
                        viaSocket[t][i] = samples.build("item.sold", signing, now, "s" + round[0] + "-" + t + "-" + i);
                    }
                }
                // Each round starts with the next series, so every series runs in every position equally
                // often: whichever runs first after a round's set-up (or after the previous series' garbage)
                // is otherwise at a steady disadvantage.
                StringBuilder line = new StringBuilder("round " + r + ":");
                for (int k = 0; k < names.size(); k++) {
                    String name = names.get((r + k) % names.size());
                    Round result = run(pool, threads, perThread, deadline, series.get(name));
                    if (r >= WARM_UP_ROUNDS) {   // DynamoDB Local and ElasticMQ run in this JVM and warm up too
                        results.computeIfAbsent(name, x -> new ArrayList<>()).add(result);
                    }
                    line.append(String.format(" %s %.0f/s (%.2f ms CPU, errors %d);", name, result.perSecond(),
                            result.cpuMillisPerRequest(), result.errors()));
                }
                System.out.println(line);
            }
            pool.shutdownNow();
            if (!only.isBlank()) {
                Files.deleteIfExists(logFile);
                System.exit(0);
            }
            report(threads, perThread, rounds, results.get(INLET), results.get(CEILING), results.get(DESIGN),
                    results.get(STORE), results.get(HANDLER), results.get(INLET_RAW));
        }
        System.out.printf("receiver log: %d lines, %d bytes in all (one write each)%n", LOG_LINES.get(),
                LOG_BYTES.get());
        Files.deleteIfExists(logFile);
        System.exit(0);
    }

    private static final AtomicLong LOG_LINES = new AtomicLong();
    private static final AtomicLong LOG_BYTES = new AtomicLong();

    private static void writeLine(FileOutputStream out, String line) {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        LOG_LINES.incrementAndGet();
        LOG_BYTES.addAndGet(bytes.length);
        try {
            synchronized (out) {
                out.write(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A minimal HTTP/1.1 client on one keep-alive socket: the load generator that costs the least CPU. */
    static final class RawSender {
        private final URI url;
        private Socket socket;
        private BufferedInputStream in;
        private OutputStream out;

        RawSender(URI url) {
            this.url = url;
        }

        boolean post(SampleRequest s) throws Exception {
            if (socket == null) {
                socket = new Socket(url.getHost(), url.getPort());
                socket.setTcpNoDelay(true);
                in = new BufferedInputStream(socket.getInputStream());
                out = new BufferedOutputStream(socket.getOutputStream());
            }
            StringBuilder head = new StringBuilder("POST ").append(url.getRawPath()).append(" HTTP/1.1\r\nHost: ")
                    .append(url.getHost()).append(':').append(url.getPort()).append("\r\nContent-Length: ")
                    .append(s.body().length).append("\r\n");
            s.headers().forEach((k, v) -> {
                if (!k.equalsIgnoreCase("user-agent") && !k.equalsIgnoreCase("content-length")
                        && !k.equalsIgnoreCase("host")) {
                    head.append(k).append(": ").append(v).append("\r\n");
                }
            });
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            out.write(s.body());
            out.flush();
            String status = line();
            int length = 0;
            for (String h = line(); !h.isEmpty(); h = line()) {
                if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Integer.parseInt(h.substring(15).trim());
                }
            }
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            return status.startsWith("HTTP/1.1 200") && body.contains("accepted");
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new EOFException("connection closed");
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }
    }

    interface Call {
        boolean call(int thread, int index) throws Exception;
    }

    private static Round run(ExecutorService pool, int threads, int perThread, Instant deadline, Call call)
            throws Exception {
        long[][] latencies = new long[threads][perThread];
        List<Future<Integer>> futures = new ArrayList<>();
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        Map<String, Long> groupsStart = THREAD_GROUPS ? cpuByThreadGroup() : Map.of();
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
        double cpuMillis = (processCpuNanos() - cpuStart) / 1e6;
        if (THREAD_GROUPS) {
            StringBuilder b = new StringBuilder("  CPU us per request by thread group:");
            cpuByThreadGroup().forEach((group, nanos) -> {
                long us = (nanos - groupsStart.getOrDefault(group, 0L)) / 1_000 / (threads * perThread);
                if (us > 0) {
                    b.append(' ').append(group).append('=').append(us);
                }
            });
            System.out.println(b);
        }
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        return new Round(threads * perThread / seconds, all, errors, cpuMillis / (threads * perThread));
    }

    /** -Dbench.threads=true: after each series, its CPU per request split by thread group (names without digits). */
    private static final boolean THREAD_GROUPS = Boolean.getBoolean("bench.threads");

    private static Map<String, Long> cpuByThreadGroup() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> groups = new TreeMap<>();
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null) {
                long nanos = mx.getThreadCpuTime(info.getThreadId());
                if (nanos > 0) {
                    groups.merge(info.getThreadName().replaceAll("[0-9]+", "N"), nanos, Long::sum);
                }
            }
        }
        return groups;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void report(int threads, int perThread, int rounds, List<Round> inlet, List<Round> ceiling,
                               List<Round> design, List<Round> stored, List<Round> handler, List<Round> raw) {
        System.out.printf("threads=%d requests per round=%d rounds=%d%n", threads, threads * perThread, rounds);
        double ce = line("ceiling (bare put + send)", ceiling);
        double de = line("design calls (put into both indexes + send)", design);
        double st = line("store calls (Inlet's put of the event + send)", stored);
        double ha = line("handler (the receiver in process, no socket)", handler);
        double in = line("inlet (java.net.http sender -> HTTP -> intake)", inlet);
        double rw = line("inlet (raw socket sender -> HTTP -> intake)", raw);
        int errors = Stream.of(inlet, ceiling, design, stored, handler, raw).flatMap(List::stream)
                .mapToInt(Round::errors).sum();
        System.out.printf("paired, round by round (median [quartiles] of each round's ratio: slow drifts of the shared"
                + " machine cancel): inlet-raw / ceiling %s, inlet / ceiling %s, design / ceiling %s, store / design %s,"
                + " handler / store %s, inlet-raw / handler %s%n", paired(raw, ceiling), paired(inlet, ceiling),
                paired(design, ceiling), paired(stored, design), paired(handler, stored), paired(raw, handler));
        System.out.printf("inlet / ceiling = %.2f with java.net.http as the sender, %.2f with the raw socket sender"
                + "  (target >= 0.8), errors %d (target 0)%n", in / ce, rw / ce, errors);
        System.out.printf("inlet / design calls = %.2f with java.net.http, %.2f with the raw sender  (everything Inlet"
                + " adds to the calls DESIGN.md prescribes)%n", in / de, rw / de);
        System.out.printf("store calls / design calls = %.2f  (the cost of storing the event's body and headers)%n", st / de);
        System.out.printf("handler / store calls = %.2f  (verification, parsing, logging)%n", ha / st);
        System.out.printf("inlet / handler = %.2f with java.net.http, %.2f with the raw sender  (the HTTP hop)%n",
                in / ha, rw / ha);
    }

    /** The median and quartiles of the per-round ratio a / b (both series ran in the same rounds). */
    private static String paired(List<Round> a, List<Round> b) {
        double[] ratios = new double[a.size()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = a.get(i).perSecond() / b.get(i).perSecond();
        }
        Arrays.sort(ratios);
        return String.format("%.2f [%.2f-%.2f]", ratios[ratios.length / 2], ratios[ratios.length / 4],
                ratios[ratios.length * 3 / 4]);
    }

    /** Prints one series' medians and returns its median rate. */
    private static double line(String name, List<Round> rounds) {
        double rate = median(rounds.stream().mapToDouble(Round::perSecond).toArray());
        double cpu = median(rounds.stream().mapToDouble(Round::cpuMillisPerRequest).toArray());
        System.out.printf("%-46s median %4.0f/s  p50 %5.1f ms  p99 %5.1f ms  CPU %.2f ms/request%n", name, rate,
                pct(rounds, 0.50), pct(rounds, 0.99), cpu);
        return rate;
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
