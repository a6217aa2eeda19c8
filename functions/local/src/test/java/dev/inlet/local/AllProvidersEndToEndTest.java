package dev.inlet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.core.config.Env;
import dev.inlet.core.ingest.Headers;
import dev.inlet.core.ingest.RawRequest;
import dev.inlet.core.store.EventStatus;
import dev.inlet.local.emulator.LocalStack;
import dev.inlet.local.samples.ProviderSamples;
import dev.inlet.local.samples.SampleRequest;
import dev.inlet.local.samples.Samples;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every event type of every provider through the local stack: signed -> 200 -> PROCESSED; forged -> nothing. */
class AllProvidersEndToEndTest {
    private static LocalStack stack;
    private static StackClient client;
    private static Env env;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(LocalStack.Options.forTests());
        client = new StackClient(stack, "RheoReceiverFunction");
        env = Env.of(stack.environmentOf("RheoReceiverFunction"));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    static Stream<Arguments> everyEventType() {
        List<Arguments> out = new ArrayList<>();
        for (ProviderSamples samples : Samples.all()) {
            for (String type : samples.eventTypes()) {
                out.add(Arguments.of(samples.provider(), type));
            }
        }
        return out.stream();
    }

    static Stream<String> everyProvider() {
        return Samples.all().stream().map(ProviderSamples::provider);
    }

    private static String dedupKey(ProviderSamples samples, SampleRequest r) throws Exception {
        Env functionEnv = Env.of(stack.environmentOf(receiverOf(samples.provider())));
        return samples.provider(functionEnv).read(new RawRequest(r.body(), Headers.of(r.headers()),
                r.pathParameters(), "test")).dedupKey();
    }

    private static String receiverOf(String provider) {
        return Character.toUpperCase(provider.charAt(0)) + provider.substring(1) + "ReceiverFunction";
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyEventType")
    void signedEvent_isAcceptedAndProcessed(String provider, String type) throws Exception {
        ProviderSamples samples = Samples.of(provider).orElseThrow();
        SampleRequest request = samples.build(type, Env.of(stack.environmentOf(receiverOf(provider))), Instant.now(),
                UUID.randomUUID().toString());

        HttpResponse<String> response = client.post(request);

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("{\"status\":\"accepted\"}", response.body());
        assertEquals(type, client.awaitStatus(provider, dedupKey(samples, request), EventStatus.PROCESSED,
                Duration.ofSeconds(15)).eventType());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyProvider")
    void forgedRequest_isRejectedWithTheProvidersCode_andLeavesNothing(String provider) throws Exception {
        ProviderSamples samples = Samples.of(provider).orElseThrow();
        SampleRequest good = samples.build(samples.eventTypes().get(0),
                Env.of(stack.environmentOf(receiverOf(provider))), Instant.now(), UUID.randomUUID().toString());
        SampleRequest forged = samples.tampered(good);
        int before = client.all().size();

        HttpResponse<String> response = client.post(forged);

        boolean reverb = provider.equals("reverb");
        assertEquals(reverb ? 404 : 401, response.statusCode(), response.body());
        assertEquals(reverb ? "{\"message\":\"Not Found\"}" : "{\"error\":\"bad_signature\"}", response.body());
        assertEquals(before, client.all().size(), "nothing stored");
        assertTrue(client.find(provider, dedupKey(samples, forged)).isEmpty());
    }
}
