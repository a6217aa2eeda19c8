package dev.inlet.bench;

import dev.inlet.aws.lambda.HttpApiEvent;
import dev.inlet.aws.lambda.HttpApiResponse;
import dev.inlet.aws.lambda.HttpReceiver;
import dev.inlet.core.config.Env;
import dev.inlet.core.config.IntakeSettings;
import dev.inlet.core.ingest.IntakeService;
import dev.inlet.core.observe.Log;
import dev.inlet.core.observe.Metrics;
import dev.inlet.core.testing.InMemoryEventQueue;
import dev.inlet.core.testing.InMemoryEventStore;
import dev.inlet.embedded.SamTemplate;
import dev.inlet.local.emulator.EnvFile;
import dev.inlet.local.emulator.HttpApiEvents;
import dev.inlet.local.samples.ProviderSamples;
import dev.inlet.local.samples.SampleRequest;
import dev.inlet.local.samples.Samples;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Warm receiver work per webhook, everything but the network: the invocation's bytes read as the HTTP
 * API event, the provider's verification, the envelope read, the conditional create, the queue send,
 * the log and metric lines, and the response written. Store and queue are the
 * in-memory implementations of the same ports. Every call is a distinct, correctly signed event (a ring
 * of pre-signed events; the store is emptied when the ring wraps, so no call is a duplicate).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class WarmIntake {
    private static final int RING = 256;

    @Param({"rheo", "reverb", "reusely", "rechat"})
    public String provider;

    @Param({"1024", "16384", "65536"})
    public int bodyBytes;

    private byte[][] events;
    private int next;
    private InMemoryEventStore store;
    private InMemoryEventQueue queue;
    private HttpReceiver receiver;
    private long logged;

    @Setup(Level.Trial)
    public void setUp() {
        Env env = Env.of(EnvFile.load(SamTemplate.locate().resolveSibling("events/env.json")).forFunction(""));
        ProviderSamples samples = Samples.of(provider).orElseThrow();
        Instant now = Instant.now();
        events = new byte[RING][];
        for (int i = 0; i < RING; i++) {
            String type = samples.eventTypes().get(i % samples.eventTypes().size());
            SampleRequest r = samples.build(type, env, now, "warm" + i, bodyBytes);
            events[i] = HttpApiEvents.json("POST", r.path(), r.route(), r.pathParameters(), r.headers(), r.body(),
                    "req-" + i, now).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        Clock clock = Clock.systemUTC();
        Log.Sink sink = (level, line) -> logged += line.length();
        store = new InMemoryEventStore();
        queue = new InMemoryEventQueue();
        receiver = new HttpReceiver(new IntakeService(samples.provider(env), store, queue, IntakeSettings.from(env),
                clock, new Log(sink, clock), new Metrics(sink, clock)), new Log(sink, clock));
    }

    @Benchmark
    public void webhook(Blackhole bh) throws IOException {
        if (next == RING) {
            store.clear();
            queue.clear();
            next = 0;
        }
        HttpApiResponse response = receiver.handle(HttpApiEvent.read(new ByteArrayInputStream(events[next++])));
        if (response.statusCode() != 200) {
            throw new IllegalStateException(provider + " answered " + response.statusCode() + " " + response.body());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        response.writeTo(out);
        bh.consume(out.size());
        bh.consume(logged);
    }
}
