package dev.inlet.local.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.inlet.aws.lambda.HttpApiEvent;
import dev.inlet.aws.lambda.HttpApiResponse;
import dev.inlet.aws.lambda.HttpReceiver;
import dev.inlet.core.config.IntakeSettings;
import dev.inlet.core.ingest.IntakeService;
import dev.inlet.core.ingest.WebhookProvider;
import dev.inlet.core.observe.Log;
import dev.inlet.core.observe.Metrics;
import dev.inlet.core.testing.CapturingSink;
import dev.inlet.core.testing.InMemoryEventQueue;
import dev.inlet.core.testing.InMemoryEventStore;
import dev.inlet.core.testing.MutableClock;
import dev.inlet.rechat.RechatProvider;
import dev.inlet.reusely.ReuselyProvider;
import dev.inlet.reverb.ReverbTopics;
import dev.inlet.rheo.RheoProvider;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Any request to any receiver, through the same code as Lambda (HttpReceiver -> intake), over the
 * in-memory store and queue. Input layout: byte 0 picks the provider, byte 1's bits choose whether the
 * request is correctly signed (and Reverb's token right), whether the body travels base64-encoded, and
 * whether it carries a junk header; the rest is the body. Properties: no 500/503 (nothing escapes);
 * a short code only; nothing stored unless the request was authentic; a correctly signed request is
 * never rejected for its signature or token; bounded work (CPU time) per request.
 */
class ReceiverRequestFuzzTest {
    private static final Pattern ANSWER = Pattern.compile("\\{\"(status|error)\":\"[a-z_]+\"\\}");
    private static final Set<String> AUTH_FAILURES = Set.of("bad_signature", "malformed_signature",
            "missing_signature", "bad_token", "unverifiable_body");
    private static final Instant NOW = Instant.parse("2026-05-27T10:00:00Z");
    private static final java.lang.management.ThreadMXBean CPU = cpuClock();

    private static java.lang.management.ThreadMXBean cpuClock() {
        var bean = java.lang.management.ManagementFactory.getThreadMXBean();
        if (!bean.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure a thread's CPU time: the work bound needs it");
        }
        bean.setThreadCpuTimeEnabled(true);
        return bean;
    }

    @FuzzTest(maxDuration = "30s")
    void anyRequestToAnyReceiver(byte[] input) {
        if (input.length < 2) {
            return;
        }
        WebhookProvider provider = Receivers.pick(input[0]);
        boolean sign = (input[1] & 1) == 0;
        boolean base64 = (input[1] & 2) != 0 || !isUtf8(Arrays.copyOfRange(input, 2, input.length));
        boolean junkHeader = (input[1] & 4) != 0;
        byte[] body = Arrays.copyOfRange(input, 2, input.length);

        Map<String, String> headers = new HashMap<>();
        Map<String, String> path = new HashMap<>();
        boolean authentic = sign && sign(provider, body, headers, path);
        if (!authentic) {
            forge(provider, input[1], headers, path);
        }
        if (junkHeader) {
            headers.put("x-" + (input[1] & 0xF0), new String(body, 0, Math.min(body.length, 40), StandardCharsets.ISO_8859_1));
        }
        HttpApiEvent event = new HttpApiEvent(headers, path,
                base64 ? Base64.getEncoder().encodeToString(body) : new String(body, StandardCharsets.UTF_8), base64, "fuzz");

        InMemoryEventStore store = new InMemoryEventStore();
        MutableClock clock = new MutableClock(NOW);
        CapturingSink sink = new CapturingSink();
        HttpReceiver receiver = new HttpReceiver(new IntakeService(provider, store, new InMemoryEventQueue(),
                IntakeSettings.from(Receivers.ENV), clock, new Log(sink, clock), new Metrics(sink, clock)),
                new Log(sink, clock));
        long started = CPU.getCurrentThreadCpuTime();
        HttpApiResponse response = receiver.handle(event);
        long micros = (CPU.getCurrentThreadCpuTime() - started) / 1_000;

        int status = response.statusCode();
        assertFalse(status == 500 || status == 503, "an exception escaped: " + status + " " + response.body());
        boolean hidden = HttpApiResponse.notFound().equals(response);
        assertTrue(ANSWER.matcher(response.body()).matches() || hidden && provider.hidesRoute(), response.body());
        String code = response.body().replaceAll(".*\":\"([a-z_]+)\".*", "$1");
        if (!authentic) {
            assertEquals(0, store.size(), "nothing unverified is written");
        } else {
            assertFalse(AUTH_FAILURES.contains(code), "a correctly signed request was rejected: " + code);
            assertFalse(hidden && !(body.length > IntakeSettings.from(Receivers.ENV).maxBodyBytes()),
                    "a request with the right token was answered as an unknown route");
        }
        // CPU time of this thread, not wall time: a machine busy with other builds slows the wall clock, not
        // the work. 2 s of CPU includes the first call's class loading and Jazzer's instrumentation.
        assertTrue(micros < Duration.ofSeconds(2).toNanos() / 1_000, "bounded work: " + micros + " us of CPU");
    }

    /** API Gateway passes text bodies as they are and base64-encodes the rest; so does this target. */
    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /** Signs as the provider would; false when this body cannot carry a signature (Reusely without its fields). */
    private static boolean sign(WebhookProvider provider, byte[] body, Map<String, String> headers,
                                Map<String, String> path) {
        switch (provider.name()) {
            case "rheo" -> headers.put(RheoProvider.SIGNATURE_HEADER, ((RheoProvider) provider).sign(0, body));
            case "rechat" -> headers.put(RechatProvider.SIGNATURE_HEADER, ((RechatProvider) provider).sign(0, body));
            case "reusely" -> {
                try {
                    headers.put(ReuselyProvider.SIGNATURE_HEADER, ((ReuselyProvider) provider).sign(0, body));
                } catch (IllegalArgumentException noSignedFields) {
                    return false;
                }
            }
            default -> {
                path.put("topic", ReverbTopics.slug(ReverbTopics.ALL.get(Math.floorMod(body.length, 8))));
                path.put("token", Receivers.ENV.list("REVERB_PATH_TOKENS").get(0));
            }
        }
        return true;
    }

    private static void forge(WebhookProvider provider, byte selector, Map<String, String> headers,
                              Map<String, String> path) {
        String junk = "sha256=" + Integer.toHexString(selector & 0xFF).repeat(40);
        headers.put("x-rheo-signature", junk);
        headers.put("x-rechat-signature", junk.substring(7));
        headers.put("authorization", junk);
        path.put("topic", (selector & 8) != 0 ? "orders-create" : "no-such-topic");
        path.put("token", "wrong-" + selector);
    }
}
