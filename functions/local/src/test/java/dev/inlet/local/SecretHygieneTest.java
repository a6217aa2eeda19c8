package dev.inlet.local;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.core.config.Env;
import dev.inlet.core.store.EventStatus;
import dev.inlet.core.testing.CapturingSink;
import dev.inlet.local.emulator.LocalStack;
import dev.inlet.local.samples.ProviderSamples;
import dev.inlet.local.samples.SampleRequest;
import dev.inlet.local.samples.Samples;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * All providers' traffic, every outcome (accepted, duplicate, forged, quarantined, processed), with
 * every log line captured (our sink, and System.out/err): no configured secret, path token, signature
 * header value or whole body may appear in any of it.
 */
class SecretHygieneTest {
    private static final List<String> SECRET_SETTINGS = List.of("RHEO_WEBHOOK_SECRETS", "REVERB_PATH_TOKENS",
            "REUSELY_WEBHOOK_SECRETS", "RECHAT_WEBHOOK_KEYS");
    private static final Set<String> SIGNATURE_HEADERS = Set.of("x-rheo-signature", "authorization",
            "x-rechat-signature");

    @Test
    void noSecretTokenSignatureOrBodyEverReachesTheLogs() throws Exception {
        CapturingSink sink = new CapturingSink();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        Set<String> forbidden = new LinkedHashSet<>();
        int requests = 0;
        System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
        try (LocalStack stack = LocalStack.start(LocalStack.Options.forTests().withSink(sink))) {
            for (ProviderSamples samples : Samples.all()) {
                String function = Character.toUpperCase(samples.provider().charAt(0)) + samples.provider().substring(1)
                        + "ReceiverFunction";
                Env env = Env.of(stack.environmentOf(function));
                SECRET_SETTINGS.forEach(s -> forbidden.addAll(env.list(s)));
                StackClient client = new StackClient(stack, function);
                List<String> sentIds = new ArrayList<>();
                for (String type : samples.eventTypes()) {
                    SampleRequest good = samples.build(type, env, Instant.now(), UUID.randomUUID().toString());
                    SampleRequest forged = samples.tampered(good);
                    for (SampleRequest r : List.of(good, good, forged)) {
                        client.post(r);
                        requests++;
                        remember(r, forbidden);
                    }
                    sentIds.add(type);
                }
                byte[] junk = "authentic but not JSON".getBytes(StandardCharsets.UTF_8);
                SampleRequest base = samples.build(samples.eventTypes().get(0), env, Instant.now(), "junk");
                client.post(base.path(), base.headers(), junk);
                requests++;
            }
            Thread.sleep(Duration.ofSeconds(3).toMillis());   // let the processor log its share
            StackClient any = new StackClient(stack, "RheoReceiverFunction");
            assertTrue(any.all().stream().anyMatch(r -> r.status() == EventStatus.PROCESSED));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String logs = sink.all() + "\n" + console.toString(StandardCharsets.UTF_8);
        assertTrue(sink.lines().size() > requests, "the traffic was logged: " + sink.lines().size() + " lines");
        assertTrue(forbidden.size() > 50, "checked " + forbidden.size() + " values");
        for (String value : forbidden) {
            assertFalse(logs.contains(value), "a secret, token, signature or body reached the logs (value hidden)");
        }
    }

    private static void remember(SampleRequest r, Set<String> forbidden) {
        r.headers().forEach((name, value) -> {
            if (SIGNATURE_HEADERS.contains(name.toLowerCase())) {
                forbidden.add(value);
            }
        });
        r.pathParameters().values().stream().filter(v -> v.length() >= 16).forEach(forbidden::add);
        forbidden.add(new String(r.body(), StandardCharsets.UTF_8));
    }
}
